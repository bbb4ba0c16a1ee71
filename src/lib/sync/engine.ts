/**
 * The sync engine: pushes pending records, oldest first, through an adapter and stores what the
 * backend said beside each record. One tab per browser leads (Web Locks); where locks are
 * missing several tabs may push the same record, which is harmless because record ids are
 * idempotency keys. A record is never deleted: acknowledged ones are marked synced.
 */
import { AssentError } from '../core/errors';
import type { AcceptanceRecord } from '../core/record';
import type { RecordStore } from '../store/record-store';
import { readPushResult, RetryableSyncError, type SettledResult, type SyncAdapter } from './types';

/** What the engine needs of the record store (`RecordLog`, `RemoteLog`). */
export type SyncLog = Pick<RecordStore, 'pending' | 'entries' | 'settle'>;

export type SyncStatus =
	| { state: 'idle' }
	| { state: 'syncing' }
	| { state: 'waiting'; until: number; error: string }
	| { state: 'offline' }
	| { state: 'follower' }
	| { state: 'stopped' };

interface Timers {
	setTimeout(handler: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

export interface SyncEngineOptions {
	log: SyncLog;
	adapter: SyncAdapter;
	/** Every error, for the UI and the host page. @default ignore */
	onError?: (error: AssentError) => void;
	/** What each push settled. @default ignore */
	onSettled?: (result: SettledResult) => void;
	/** Status changes, for the UI. @default ignore */
	onStatus?: (status: SyncStatus) => void;
	/** Records per push. @default 100 */
	batchSize?: number;
	/** The first retry's ceiling in ms; each failure doubles it. @default 1000 */
	baseDelayMs?: number;
	/** The longest wait between retries in ms. @default 300000 (5 minutes) */
	maxDelayMs?: number;
	/** How often to look for pending records written by other tabs, in ms. @default 30000 */
	pollMs?: number;
	/** For tests. @default Math.random */
	random?: () => number;
	/** For tests. @default Date.now */
	now?: () => number;
	/** For tests. @default globalThis's setTimeout and clearTimeout */
	timers?: Timers;
	/** Where `online` and `pagehide` arrive. @default window, when there is one */
	window?: EventTarget & { navigator?: { onLine?: boolean } };
	/** Where `visibilitychange` arrives. @default document, when there is one */
	document?: EventTarget & { visibilityState?: string };
	/** The browser's lock manager; `null` means none. @default navigator.locks */
	locks?: LockManager | null;
	/** Lets one tab tell the leader that it wrote a record. @default a BroadcastChannel */
	channelName?: string;
}

const LOCK = 'assent:sync';

export class SyncEngine {
	readonly #o: SyncEngineOptions;
	readonly #timers: Timers;
	#status: SyncStatus = { state: 'stopped' };
	#leader = false;
	#running: Promise<void> | undefined;
	#again = false;
	#timer: unknown;
	#failures = 0;
	#waitUntil = 0;
	#release: (() => void) | undefined;
	#abort = new AbortController();
	#channel: BroadcastChannel | undefined;
	#cleanup: (() => void)[] = [];
	/** A push failed since the last pass that went through without one. */
	#suspicious = false;
	/** Records that failed when sent alone while others went through: sent alone from now on. */
	readonly #suspects = new Set<string>();
	/**
	 * Records that failed when sent alone, not yet known to be at fault: the backend may have
	 * been down. Kept across passes, so each pass probes further along the queue and two records
	 * at fault side by side cannot hide the good records behind them.
	 */
	readonly #failedAlone = new Set<string>();
	/** A smaller batch size while records keep failing in more than one place. */
	#limit: number | undefined;

	constructor(options: SyncEngineOptions) {
		this.#o = options;
		this.#timers = options.timers ?? {
			setTimeout: (handler, ms) => globalThis.setTimeout(handler, ms),
			clearTimeout: (handle) => globalThis.clearTimeout(handle as number)
		};
	}

	get status(): SyncStatus {
		return this.#status;
	}

	/** Competes for leadership and, once leader, syncs and listens for reasons to sync. */
	start(): void {
		if (this.#status.state !== 'stopped') return;
		this.#abort = new AbortController();
		this.#setStatus({ state: 'follower' });
		const win = this.#o.window ?? (typeof window === 'undefined' ? undefined : window);
		const doc = this.#o.document ?? (typeof document === 'undefined' ? undefined : document);
		const on = (target: EventTarget | undefined, type: string, handler: () => void) => {
			if (!target) return;
			target.addEventListener(type, handler);
			this.#cleanup.push(() => target.removeEventListener(type, handler));
		};
		on(win, 'online', () => this.#kick({ resetBackoff: true }));
		on(win, 'offline', () => this.#leader && this.#setStatus({ state: 'offline' }));
		on(win, 'pagehide', () => void this.flush());
		on(doc, 'visibilitychange', () => {
			if (doc?.visibilityState === 'visible') this.#kick({});
		});
		if (typeof BroadcastChannel !== 'undefined') {
			this.#channel = new BroadcastChannel(this.#o.channelName ?? LOCK);
			this.#channel.onmessage = () => this.#kick({});
		}
		const locks =
			this.#o.locks === undefined
				? typeof navigator === 'undefined'
					? null
					: (navigator.locks ?? null)
				: this.#o.locks;
		if (!locks) {
			this.#lead();
			return;
		}
		const signal = this.#abort.signal;
		locks
			.request(LOCK, { signal }, () => {
				this.#lead();
				// Held until stop(): one leader per browser while this page lives.
				return new Promise<void>((resolve) => (this.#release = resolve));
			})
			.catch(() => {
				// Refused (frames without storage access may not take locks): lead without one.
				// Two leaders only send some records twice, which ids make harmless.
				if (!signal.aborted) this.#lead();
			});
	}

	#lead(): void {
		if (this.#status.state === 'stopped') return;
		this.#leader = true;
		this.#setStatus({ state: 'idle' });
		this.#kick({});
	}

	/** A record was appended: push it (through the leader, which may be another tab). */
	notify(): void {
		this.#channel?.postMessage('appended');
		this.#kick({});
	}

	/** Pushes now, even while waiting out a backoff; resolves when the push is done. */
	async syncNow(): Promise<{ pending: number; status: SyncStatus['state'] }> {
		if (this.#leader) {
			this.#waitUntil = 0;
			await this.#run();
		}
		const pending = (await this.#o.log.entries({ state: 'pending' })).length;
		return { pending, status: this.#status.state };
	}

	/**
	 * The page is going away: hand what fits to one `keepalive` request, which the browser
	 * finishes after the page is gone. Nothing is marked synced here: the answer may never be
	 * read, so the records stay pending and go again (harmlessly) on the next visit.
	 */
	async flush(): Promise<void> {
		try {
			const records = await this.#o.log.pending({ limit: this.#o.batchSize ?? 100 });
			if (records.length === 0) return;
			await this.#o.adapter.push(records, {
				signal: new AbortController().signal,
				keepalive: true
			});
		} catch {
			// Best effort by nature; the records are still pending.
		}
	}

	stop(): void {
		this.#abort.abort();
		this.#release?.();
		this.#release = undefined;
		this.#leader = false;
		this.#timers.clearTimeout(this.#timer);
		this.#cleanup.splice(0).forEach((fn) => fn());
		this.#channel?.close();
		this.#channel = undefined;
		this.#setStatus({ state: 'stopped' });
	}

	#kick(options: { resetBackoff?: boolean }): void {
		if (!this.#leader) return;
		if (options.resetBackoff) this.#waitUntil = 0;
		if (this.#now() < this.#waitUntil) return;
		void this.#run();
	}

	#now(): number {
		return this.#o.now?.() ?? Date.now();
	}

	#online(): boolean {
		const win = this.#o.window ?? (typeof window === 'undefined' ? undefined : window);
		return win?.navigator?.onLine !== false;
	}

	/** One push loop at a time; a reason to sync during a push runs the loop once more. */
	#run(): Promise<void> {
		if (this.#running) {
			this.#again = true;
			return this.#running;
		}
		this.#running = (async () => {
			do {
				this.#again = false;
				await this.#loop();
			} while (this.#again && this.#leader && this.#now() >= this.#waitUntil);
		})().finally(() => (this.#running = undefined));
		return this.#running;
	}

	async #loop(): Promise<void> {
		this.#timers.clearTimeout(this.#timer);
		const batchSize = this.#o.batchSize ?? 100;
		// Records the backend deferred (or left unanswered) in this pass, and records that failed
		// alone: skipped until the next pass, so they cannot keep newer records from going out.
		const deferred = new Set<string>();
		let failed = false;
		for (;;) {
			if (!this.#leader) return;
			if (!this.#online()) {
				this.#setStatus({ state: 'offline' });
				return;
			}
			const size = Math.min(batchSize, this.#limit ?? batchSize);
			let records: AcceptanceRecord[];
			try {
				records = await this.#next({ deferred, size });
			} catch (error) {
				this.#report(error);
				this.#backoff(error);
				return;
			}
			if (records.length === 0 && deferred.size > 0) {
				// Only deferred records are left: wait before asking again, so a record the backend
				// keeps deferring cannot spin the loop.
				this.#backoff(
					new RetryableSyncError({
						message: `${deferred.size} record(s) are still pending after the backend's answer.`
					})
				);
				return;
			}
			if (records.length === 0) {
				this.#failures = 0;
				if (!failed) {
					this.#suspicious = false;
					this.#limit = undefined;
				}
				this.#setStatus({ state: 'idle' });
				this.#poll();
				return;
			}
			this.#setStatus({ state: 'syncing' });
			const attempt = await this.#attempt({ records, deferred });
			if (attempt === 'aborted') return;
			if (!attempt.ok) {
				failed = true;
				const alone = records.length === 1 ? records[0]!.id : undefined;
				if (alone !== undefined && this.#suspects.has(alone)) {
					// A record known to fail on its own: the others go on without it.
					deferred.add(alone);
					continue;
				}
				const splittable =
					attempt.split !== false &&
					!(attempt.error instanceof RetryableSyncError && attempt.error.scope === 'backend');
				// The first failure may be a blip: wait once. Failing again, the batch is split to
				// find a record at fault, so one bad record holds the others back one wait at most.
				if (splittable && this.#suspicious) {
					const found = await this.#isolate({ records, deferred, size: records.length });
					if (found === 'aborted') return;
					if (found === 'found') continue;
				}
				this.#suspicious = true;
				this.#backoff(attempt.error);
				return;
			}
			if (deferred.size === 0) this.#failures = 0;
			if (records.length < size && deferred.size === 0) {
				if (!failed) {
					this.#suspicious = false;
					this.#limit = undefined;
				}
				this.#setStatus({ state: 'idle' });
				this.#poll();
				return;
			}
		}
	}

	/** The next batch, oldest first; a suspect record goes alone, ahead of the others. */
	async #next(options: { deferred: Set<string>; size: number }): Promise<AcceptanceRecord[]> {
		const waiting = await this.#o.log.pending({
			limit: (this.#o.batchSize ?? 100) + options.deferred.size + this.#suspects.size
		});
		const open = waiting.filter((r) => !options.deferred.has(r.id));
		const suspect = open.find((r) => this.#suspects.has(r.id));
		if (suspect) return [suspect];
		return open.slice(0, options.size);
	}

	/**
	 * Finds the record that makes `records` fail: halves are sent one after the other, and the
	 * half that fails alone is split again, down to one record, which is then sent alone from
	 * now on. When both halves fail, the fault is not one record (the backend is down, or
	 * several records fail): the next passes use half the batch size. A single record that
	 * fails is checked against the batch after it.
	 */
	async #isolate(options: {
		records: AcceptanceRecord[];
		deferred: Set<string>;
		size: number;
	}): Promise<'found' | 'unclear' | 'aborted'> {
		const { deferred } = options;
		let batch = options.records;
		if (batch.length === 1) {
			// The records after it: left out before the batch is cut, or a batch size of one (after
			// both halves failed) would probe with this record again and never find it.
			const failing = batch[0]!.id;
			this.#failedAlone.add(failing);
			const after = async (left: Set<string>) =>
				(await this.#next({ deferred: left, size: options.size }).catch(() => [])).filter(
					(r) => !this.#suspects.has(r.id)
				);
			let probe = await after(new Set([...deferred, ...this.#failedAlone]));
			if (probe.length === 0 && this.#failedAlone.size > 1) {
				// Every other record failed alone once, perhaps while the backend was down: try
				// them again rather than never.
				this.#failedAlone.clear();
				this.#failedAlone.add(failing);
				probe = await after(new Set([...deferred, failing]));
			}
			if (probe.length === 0) return 'unclear';
			const attempt = await this.#attempt({ records: probe, deferred });
			if (attempt === 'aborted') return 'aborted';
			if (!attempt.ok) {
				if (probe.length === 1) this.#failedAlone.add(probe[0]!.id);
				return 'unclear';
			}
			// The backend takes other records: each one that failed alone is at fault.
			for (const id of this.#failedAlone) {
				this.#suspects.add(id);
				deferred.add(id);
			}
			this.#failedAlone.clear();
			return 'found';
		}
		for (;;) {
			if (batch.length === 1) {
				this.#suspects.add(batch[0]!.id);
				deferred.add(batch[0]!.id);
				return 'found';
			}
			const half = Math.ceil(batch.length / 2);
			const left = batch.slice(0, half);
			const right = batch.slice(half);
			const first = await this.#attempt({ records: left, deferred });
			if (first === 'aborted') return 'aborted';
			const second = await this.#attempt({ records: right, deferred });
			if (second === 'aborted') return 'aborted';
			if (first.ok && second.ok) return 'found';
			if (!first.ok && !second.ok) {
				// A half of one record that failed failed alone: the next passes probe past it, as
				// past any other, instead of finding it again one pass later.
				for (const part of [left, right]) {
					if (part.length === 1) this.#failedAlone.add(part[0]!.id);
				}
				this.#limit = half;
				return 'unclear';
			}
			batch = first.ok ? right : left;
		}
	}

	/**
	 * One push, and what it settled stored beside the records. A failure is reported and noted
	 * on the records, which stay pending.
	 */
	async #attempt(options: {
		records: AcceptanceRecord[];
		deferred: Set<string>;
	}): Promise<{ ok: true } | { ok: false; error: unknown; split?: false } | 'aborted'> {
		const { records, deferred } = options;
		let settled: SettledResult;
		try {
			const answer = await this.#o.adapter.push(records, { signal: this.#abort.signal });
			settled = readPushResult({ result: answer, sent: records });
		} catch (error) {
			if (this.#abort.signal.aborted) return 'aborted';
			this.#report(error);
			await this.#noteAttempt(records, error);
			return { ok: false, error };
		}
		try {
			await this.#o.log.settle([
				...settled.accepted.map((a) => ({
					id: a.id,
					state: 'synced' as const,
					...(a.receivedAt !== undefined ? { receivedAt: a.receivedAt } : {}),
					...(a.receipt !== undefined ? { receipt: a.receipt } : {})
				})),
				...settled.rejected.map((r) => ({
					id: r.id,
					// Refused for now, not for good: it stays pending and is sent again later.
					state: r.retryable ? ('pending' as const) : ('rejected' as const),
					reason: r.reason,
					retryable: r.retryable === true,
					error: r.reason
				}))
			]);
		} catch (error) {
			// The answer could not be stored: the records stay pending and go again, harmlessly.
			this.#report(error);
			return { ok: false, error, split: false };
		}
		this.#o.onSettled?.(settled);
		const refused = settled.rejected.filter((r) => !r.retryable);
		if (refused.length > 0) {
			this.#report(
				new AssentError(
					'sync/rejected',
					`The backend refused ${refused.length} record(s): ${refused[0]!.reason}. They are kept and shown as rejected.`
				)
			);
		}
		const answered = new Set([...settled.accepted.map((a) => a.id), ...refused.map((r) => r.id)]);
		for (const r of records) {
			if (answered.has(r.id)) {
				this.#suspects.delete(r.id);
				this.#failedAlone.delete(r.id);
			} else deferred.add(r.id);
		}
		return { ok: true };
	}

	async #noteAttempt(records: AcceptanceRecord[], error: unknown): Promise<void> {
		try {
			await this.#o.log.settle(
				records.map((r) => ({
					id: r.id,
					state: 'pending' as const,
					error: error instanceof Error ? error.message : String(error)
				}))
			);
		} catch {
			// Bookkeeping only: the records are pending either way.
		}
	}

	/** Exponential backoff with full jitter, never sooner than the backend's Retry-After. */
	#backoff(error: unknown): void {
		this.#failures++;
		const base = this.#o.baseDelayMs ?? 1000;
		const max = this.#o.maxDelayMs ?? 300_000;
		const ceiling = Math.min(max, base * 2 ** (this.#failures - 1));
		const jitter = Math.floor((this.#o.random ?? Math.random)() * ceiling);
		const asked = error instanceof RetryableSyncError ? (error.retryAfterMs ?? 0) : 0;
		const delay = Math.max(jitter, Math.min(asked, max * 12), base / 10);
		this.#waitUntil = this.#now() + delay;
		this.#setStatus({
			state: 'waiting',
			until: this.#waitUntil,
			error: error instanceof Error ? error.message : String(error)
		});
		this.#timers.clearTimeout(this.#timer);
		this.#timer = this.#timers.setTimeout(() => this.#kick({}), delay);
	}

	/** Other tabs' records reach the leader by message; the timer catches any that did not. */
	#poll(): void {
		this.#timers.clearTimeout(this.#timer);
		this.#timer = this.#timers.setTimeout(() => this.#kick({}), this.#o.pollMs ?? 30_000);
	}

	#report(error: unknown): void {
		const assent =
			error instanceof AssentError
				? error
				: new AssentError(
						'sync/retry',
						`Sync failed: ${error instanceof Error ? error.message : String(error)}. The records stay pending.`,
						{ cause: error }
					);
		this.#o.onError?.(assent);
	}

	#setStatus(status: SyncStatus): void {
		this.#status = status;
		this.#o.onStatus?.(status);
	}
}
