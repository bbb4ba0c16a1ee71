import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssentError } from '../core/errors';
import type { AcceptanceRecord } from '../core/record';
import { sampleAct } from '../core/record-fixtures';
import { AssentDatabase } from '../store/db';
import { RecordLog } from '../store/log';
import { SyncEngine, type SyncEngineOptions, type SyncStatus } from './engine';
import { memoryAdapter } from './memory';
import { RetryableSyncError, type PushResult, type SyncAdapter } from './types';

/** A clock the test moves by hand: timers fire only when it passes their time. */
function manualClock() {
	let now = 0;
	let next = 0;
	const due = new Map<number, { at: number; run: () => void }>();
	return {
		now: () => now,
		timers: {
			setTimeout: (run: () => void, ms: number) => {
				due.set(++next, { at: now + ms, run });
				return next;
			},
			clearTimeout: (handle: unknown) => void due.delete(handle as number)
		},
		/** Moves time forward, firing timers on the way, and lets their pushes finish. */
		async advance(ms: number) {
			const end = now + ms;
			for (;;) {
				const [handle, timer] =
					[...due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0] ??
					[];
				if (!timer) break;
				due.delete(handle!);
				now = timer.at;
				timer.run();
				await settle();
			}
			now = end;
			await settle();
		},
		/** When the next timer fires, relative to now. */
		nextIn: () => Math.min(...[...due.values()].map((t) => t.at - now))
	};
}

/** Lets IndexedDB callbacks and promise chains run. */
async function settle() {
	for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

function freshLog() {
	return new RecordLog({ db: new AssentDatabase({ indexedDB: new IDBFactory(), IDBKeyRange }) });
}

async function append(log: RecordLog, count: number, subject = 'customer-123') {
	const records: AcceptanceRecord[] = [];
	for (let i = 0; i < count; i++) records.push(await log.append({ act: sampleAct({ subject }) }));
	return records;
}

class FakeWindow extends EventTarget {
	navigator = { onLine: true };
}

const engines: SyncEngine[] = [];
afterEach(() => engines.splice(0).forEach((e) => e.stop()));

function engine(options: Partial<SyncEngineOptions> & Pick<SyncEngineOptions, 'log' | 'adapter'>) {
	const clock = manualClock();
	const errors: AssentError[] = [];
	const statuses: SyncStatus[] = [];
	const win = new FakeWindow();
	const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
	const created = new SyncEngine({
		locks: null,
		random: () => 1,
		now: clock.now,
		timers: clock.timers,
		window: win,
		document: doc,
		onError: (e) => errors.push(e),
		onStatus: (s) => statuses.push(s),
		channelName: `test-${Math.random()}`,
		...options
	});
	engines.push(created);
	return { engine: created, clock, errors, statuses, win, doc };
}

describe('SyncEngine', () => {
	it('pushes pending records oldest first in batches and keeps every record, marked synced', async () => {
		const log = freshLog();
		const written = await append(log, 5);
		const adapter = memoryAdapter();
		const { engine: sync } = engine({ log, adapter, batchSize: 2 });
		sync.start();
		await settle();
		expect(adapter.requests.map((r) => r.map((x) => x.seq))).toEqual([[1, 2], [3, 4], [5]]);
		expect(adapter.received).toEqual(written);
		expect(await log.all()).toEqual(written);
		const entries = await log.entries();
		expect(entries.map((e) => e.state)).toEqual(Array(5).fill('synced'));
		expect(entries[0]!.receivedAt).toMatch(/^\d{4}-/);
	});

	it('backs off exponentially with full jitter up to five minutes, then recovers', async () => {
		const log = freshLog();
		await append(log, 1);
		const adapter = memoryAdapter();
		adapter.failNext(12);
		const { engine: sync, clock, errors, statuses } = engine({ log, adapter });
		sync.start();
		await settle();
		const waits: number[] = [];
		for (let i = 0; i < 11; i++) {
			waits.push(clock.nextIn());
			await clock.advance(clock.nextIn());
		}
		// random() = 1: each wait is the ceiling, doubling from 1 s and capped at 5 min.
		expect(waits).toEqual([
			1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000
		]);
		expect(errors.length).toBeGreaterThanOrEqual(11);
		expect(errors[0]!.code).toBe('sync/retry');
		expect(statuses.at(-1)?.state).toBe('waiting');
		await clock.advance(clock.nextIn());
		expect((await log.entries())[0]!.state).toBe('synced');
		expect((await log.entries())[0]!.attempts).toBeGreaterThan(1);
	});

	it('draws each wait between zero and the ceiling', async () => {
		const log = freshLog();
		await append(log, 1);
		const adapter = memoryAdapter();
		adapter.failNext(3);
		const { engine: sync, clock } = engine({ log, adapter, random: () => 0.25 });
		sync.start();
		await settle();
		const waits: number[] = [];
		for (let i = 0; i < 3; i++) {
			waits.push(clock.nextIn());
			await clock.advance(clock.nextIn());
		}
		expect(waits).toEqual([250, 500, 1000]);
	});

	it('never asks again sooner than Retry-After says', async () => {
		const log = freshLog();
		await append(log, 1);
		let calls = 0;
		const adapter: SyncAdapter = {
			push: (records) => {
				calls++;
				if (calls === 1) throw new RetryableSyncError({ message: '429', retryAfterMs: 60_000 });
				return { accepted: records.map((r) => r.id), rejected: [] };
			}
		};
		const { engine: sync, clock } = engine({ log, adapter, random: () => 0 });
		sync.start();
		await settle();
		await clock.advance(59_000);
		sync.notify();
		await settle();
		expect(calls).toBe(1);
		await clock.advance(1_000);
		expect(calls).toBe(2);
		expect((await log.entries())[0]!.state).toBe('synced');
	});

	it('waits while offline and pushes when the browser is back online', async () => {
		const log = freshLog();
		await append(log, 2);
		const adapter = memoryAdapter();
		const { engine: sync, win, statuses } = engine({ log, adapter });
		win.navigator.onLine = false;
		sync.start();
		await settle();
		expect(adapter.requests).toHaveLength(0);
		expect(statuses.at(-1)).toEqual({ state: 'offline' });
		win.navigator.onLine = true;
		win.dispatchEvent(new Event('online'));
		await settle();
		expect(adapter.received).toHaveLength(2);
	});

	it('pushes when the page becomes visible again', async () => {
		const log = freshLog();
		const adapter = memoryAdapter();
		const { engine: sync, doc } = engine({ log, adapter });
		sync.start();
		await settle();
		await append(log, 1);
		doc.dispatchEvent(new Event('visibilitychange'));
		await settle();
		expect(adapter.received).toHaveLength(1);
	});

	it('keeps a refused record, with the reason, and does not let it block the others', async () => {
		const log = freshLog();
		await append(log, 1);
		const [poison] = await append(log, 1, 'refuse-me');
		await append(log, 2);
		const adapter = memoryAdapter({
			reject: (r) => (r.subject === 'refuse-me' ? { reason: 'Unknown subject.' } : undefined)
		});
		const { engine: sync, errors } = engine({ log, adapter, batchSize: 2 });
		sync.start();
		await settle();
		sync.notify();
		await settle();
		const entries = await log.entries();
		expect(entries.map((e) => e.state)).toEqual(['synced', 'rejected', 'synced', 'synced']);
		expect(entries[1]).toMatchObject({ id: poison!.id, reason: 'Unknown subject.' });
		expect((await log.all()).map((r) => r.id)).toContain(poison!.id);
		expect(errors.map((e) => e.code)).toContain('sync/rejected');
		// Sent once: a refused record is not sent again.
		expect(adapter.requests.flat().filter((r) => r.id === poison!.id)).toHaveLength(1);
	});

	it('sends a record the backend deferred again later, not at once', async () => {
		const log = freshLog();
		const [record] = await append(log, 1);
		let calls = 0;
		const adapter: SyncAdapter = {
			push: (records): PushResult => {
				calls++;
				return calls === 1
					? {
							accepted: [],
							rejected: [{ id: record!.id, reason: 'unknown version', retryable: true }]
						}
					: { accepted: records.map((r) => r.id), rejected: [] };
			}
		};
		const { engine: sync, clock } = engine({ log, adapter });
		sync.start();
		await settle();
		expect(calls).toBe(1);
		expect((await log.entries())[0]).toMatchObject({
			state: 'pending',
			lastError: 'unknown version'
		});
		await clock.advance(clock.nextIn());
		expect(calls).toBe(2);
		expect((await log.entries())[0]!.state).toBe('synced');
	});

	it('does not let a run of deferred records hold back the newer ones behind it', async () => {
		const log = freshLog();
		const held = await append(log, 3, 'not-yet');
		const fresh = await append(log, 3);
		const adapter = memoryAdapter({
			reject: (r) =>
				r.subject === 'not-yet' ? { reason: 'unknown version', retryable: true } : undefined
		});
		const { engine: sync, clock } = engine({ log, adapter, batchSize: 2 });
		sync.start();
		await settle();
		// The deferred records fill whole batches at the head of the queue; the rest still go.
		const states = new Map((await log.entries()).map((e) => [e.id, e.state]));
		expect(fresh.map((r) => states.get(r.id))).toEqual(['synced', 'synced', 'synced']);
		expect(held.map((r) => states.get(r.id))).toEqual(['pending', 'pending', 'pending']);
		// Each sent once in this pass, and again only after a wait.
		expect(adapter.requests.flat().filter((r) => r.subject === 'not-yet')).toHaveLength(3);
		expect(clock.nextIn()).toBeGreaterThan(0);
		await clock.advance(clock.nextIn());
		expect(adapter.requests.flat().filter((r) => r.subject === 'not-yet')).toHaveLength(6);
	});

	it('never pushes twice at once', async () => {
		const log = freshLog();
		await append(log, 1);
		let inFlight = 0;
		let most = 0;
		let release: () => void = () => {};
		const adapter: SyncAdapter = {
			push: async (records) => {
				inFlight++;
				most = Math.max(most, inFlight);
				await new Promise<void>((resolve) => (release = resolve));
				inFlight--;
				return { accepted: records.map((r) => r.id), rejected: [] };
			}
		};
		const { engine: sync } = engine({ log, adapter });
		sync.start();
		await settle();
		await append(log, 1);
		sync.notify();
		sync.notify();
		void sync.syncNow();
		await settle();
		release();
		await settle();
		release();
		await settle();
		expect(most).toBe(1);
		expect((await log.entries()).map((e) => e.state)).toEqual(['synced', 'synced']);
	});

	it('lets one engine lead when two share the browser’s locks', async () => {
		const log = freshLog();
		await append(log, 3);
		const adapter = memoryAdapter();
		// A lock manager with the one behaviour the engine relies on: one holder at a time.
		const holders: (() => void)[] = [];
		let held = false;
		const locks = {
			request: (_name: string, _options: unknown, callback: () => Promise<void>) =>
				new Promise<void>((resolve) => {
					const run = () => {
						held = true;
						void callback().then(() => {
							held = false;
							holders.shift()?.();
							resolve();
						});
					};
					if (held) holders.push(run);
					else run();
				})
		} as unknown as LockManager;
		const first = engine({ log, adapter, locks });
		const second = engine({ log, adapter, locks });
		first.engine.start();
		second.engine.start();
		await settle();
		expect(first.engine.status.state).toBe('idle');
		expect(second.engine.status.state).toBe('follower');
		second.engine.notify();
		await settle();
		expect(adapter.requests).toHaveLength(1);
		first.engine.stop();
		await settle();
		expect(second.engine.status.state).toBe('idle');
	});

	it('reports an adapter answer that is not a push result, and keeps the records pending', async () => {
		const log = freshLog();
		await append(log, 1);
		const adapter = { push: () => ({ ok: true }) } as unknown as SyncAdapter;
		const { engine: sync, errors } = engine({ log, adapter });
		sync.start();
		await settle();
		expect(errors[0]!.code).toBe('sync/bad-response');
		expect((await log.entries())[0]!.state).toBe('pending');
	});

	it('hands pending records to one keepalive request when the page is hidden for good', async () => {
		const log = freshLog();
		await append(log, 2);
		const seen: boolean[] = [];
		const adapter: SyncAdapter = {
			push: (records, options) => {
				seen.push(options.keepalive === true);
				throw new RetryableSyncError({ message: 'offline' });
			}
		};
		const { engine: sync, win } = engine({ log, adapter });
		sync.start();
		await settle();
		win.dispatchEvent(new Event('pagehide'));
		await settle();
		expect(seen).toEqual([false, true]);
		expect((await log.entries()).map((e) => e.state)).toEqual(['pending', 'pending']);
	});
});
