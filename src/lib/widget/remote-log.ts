/**
 * The record store of a frame whose browser refuses it storage (third-party storage blocked):
 * the records live in the host page's IndexedDB through `/widget/host-store.js`, reached over
 * the widget channel, while this frame still builds every record, its chain link and digest. An
 * append resolves only after the host answered that its strict-durability transaction completed.
 *
 * The host page can write that database, so what it answers is not evidence: this frame vouches
 * only for records it built itself in this page load, which it keeps in its own memory (out of
 * the host's reach, and gone with the frame). A pending record read back is sent as this frame's
 * own only when it is the very record built here; anything else (a record of an earlier load, of
 * another tab's frame, or one the host page wrote) is sent as relayed (`vouches`).
 */
import type { Channel } from '../core/channel';
import type { Act, AcceptanceRecord } from '../core/record';
import { buildRecord } from '../core/record-builder';
import type { SettleUpdate } from '../core/settle';
import type { StoreOperation } from '../core/widget-protocol';
import type { OutboxEntry, SyncState } from '../store/db';
import { storeError, toStoreError } from '../store/errors';
import { pauseAfterCollision } from '../store/pause';
import { matchesFilter, type RecordFilter, type RecordStore } from '../store/record-store';

const MAX_APPEND_ATTEMPTS = 8;
/** How long the host may take to answer one storage request. */
const ANSWER_TIMEOUT_MS = 15_000;

export class RemoteLog implements RecordStore {
	readonly #channel: Pick<Channel, 'request'>;
	readonly #now: () => Date;
	/** The records this frame built, by id: the only ones it vouches for. */
	readonly #built = new Map<string, AcceptanceRecord>();

	constructor(options: {
		channel: Pick<Channel, 'request'>;
		/** The clock, for tests. @default () => new Date() */
		now?: () => Date;
	}) {
		this.#channel = options.channel;
		this.#now = options.now ?? (() => new Date());
	}

	async #ask<T>(op: StoreOperation, args: Record<string, unknown>): Promise<T> {
		try {
			return await this.#channel.request<T>(
				'store',
				{ op, args },
				{ timeoutMs: ANSWER_TIMEOUT_MS }
			);
		} catch (error) {
			const e = error as { code?: string; name?: string; message?: string };
			if (e?.code === 'channel/timeout') {
				throw storeError('store/failed', 'the host page did not answer a storage request');
			}
			if (e?.code?.startsWith('store/')) throw error;
			// The name (QuotaExceededError, MissingAPIError, InvalidStateError…) decides which
			// store error the customer is shown.
			const host = new Error(`host page storage: ${e?.name}: ${e?.message ?? error}`);
			host.name = e?.name ?? 'Error';
			throw toStoreError(host);
		}
	}

	async all(): Promise<AcceptanceRecord[]> {
		return this.#ask('all', {});
	}

	/**
	 * Asks the host for the subject's records only (its subject index), and still keeps only
	 * those that match: the host page may answer anything.
	 */
	async recordsOf(filter: RecordFilter): Promise<AcceptanceRecord[]> {
		const answer = await this.#ask<unknown>('recordsOf', { ...filter });
		if (!Array.isArray(answer)) {
			throw storeError('store/failed', 'the host page answered records that are not a list');
		}
		return answer.filter(
			(record): record is AcceptanceRecord =>
				typeof record?.statement === 'object' && !!record.statement && matchesFilter(record, filter)
		);
	}

	async head(): Promise<AcceptanceRecord | undefined> {
		return (await this.#ask<AcceptanceRecord | null | undefined>('head', {})) ?? undefined;
	}

	async append(options: { act: Act; target?: string | null }): Promise<AcceptanceRecord> {
		for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
			const head = await this.head();
			const record = await buildRecord({
				act: options.act,
				prev: head ? { digest: head.digest, seq: head.seq } : null,
				now: this.#now()
			});
			const entry: OutboxEntry = {
				id: record.id,
				seq: record.seq,
				state: 'pending',
				attempts: 0,
				updatedAt: record.at,
				...(options.target !== undefined ? { target: options.target } : {})
			};
			const outcome = await this.#ask<'added' | 'moved'>('append', {
				record,
				entry,
				expected: head?.digest ?? null
			});
			if (outcome === 'added') {
				this.#built.set(record.id, record);
				return record;
			}
			// Another tab wrote first.
			await pauseAfterCollision(attempt);
		}
		throw storeError('store/conflict', `${MAX_APPEND_ATTEMPTS} attempts`);
	}

	async entries(options: { state?: SyncState; limit?: number } = {}): Promise<OutboxEntry[]> {
		return this.#ask('entries', { ...options });
	}

	async pending(options: { limit?: number } = {}): Promise<AcceptanceRecord[]> {
		const entries = await this.entries({ state: 'pending', ...options });
		const records = await this.#ask<(AcceptanceRecord | null | undefined)[]>('records', {
			ids: entries.map((e) => e.id)
		});
		// A record built here goes out as built, whatever the host answered under its id.
		return records
			.filter((r): r is AcceptanceRecord => !!r)
			.map((r) => {
				const own = this.#built.get(r.id);
				return own && own.digest === r.digest ? own : r;
			});
	}

	/** Whether this frame built `record` itself, in this page load. */
	vouches(record: AcceptanceRecord): boolean {
		return this.#built.get(record.id) === record;
	}

	/** The host applies the settle rule inside its own transaction: one round trip, no outbox read. */
	async settle(updates: SettleUpdate[]): Promise<void> {
		if (updates.length === 0) return;
		await this.#ask('settle', { updates, at: this.#now().toISOString() });
	}

	close(): void {}
}

/**
 * Whether this frame may use IndexedDB. Browsers that block third-party storage refuse it to
 * frames embedded by another site (Chromium: "UnknownError … denied permission"; others a
 * SecurityError on access).
 */
export async function frameStorageAllowed(): Promise<boolean> {
	try {
		if (typeof indexedDB === 'undefined') return false;
		return await new Promise<boolean>((resolve) => {
			const request = indexedDB.open('assent-probe');
			request.onsuccess = () => {
				request.result.close();
				indexedDB.deleteDatabase('assent-probe');
				resolve(true);
			};
			request.onerror = () => resolve(false);
			request.onblocked = () => resolve(true);
		});
	} catch {
		return false;
	}
}
