import Dexie, { type EntityTable } from 'dexie';
import type { Act, AcceptanceRecord } from '../core/record';
import { buildRecord } from '../core/record-builder';
import { settleEntry, type SettleUpdate } from '../core/settle';
import { AssentDatabase, type OutboxEntry, type SyncState } from './db';
import { storeError, toStoreError } from './errors';
import { pauseAfterCollision } from './pause';

export { pauseAfterCollision } from './pause';
import { matchesFilter, type RecordFilter, type RecordStore } from './record-store';

/** Thrown inside an append transaction when another tab extended the chain first. */
class ChainMoved extends Error {
	constructor() {
		super('the chain head moved');
		this.name = 'ChainMoved';
	}
}

/** Enough for tabs appending in a burst without Web Locks: each retry means another tab wrote. */
const MAX_APPEND_ATTEMPTS = 20;

export interface RecordLogOptions {
	/** @default a new AssentDatabase named 'assent' */
	db?: AssentDatabase;
	/** The clock, for tests. @default () => new Date() */
	now?: () => Date;
}

/**
 * The append-only record log of this browser and its outbox. Appends are serialized across tabs
 * (Web Locks where the browser has them; where it does not, the appends of one tab take turns and
 * a chain-head check inside every transaction catches other tabs), so the records form one
 * unbroken chain.
 */
export class RecordLog implements RecordStore {
	readonly db: AssentDatabase;
	private readonly now: () => Date;
	/** The end of this tab's queue of appends, used where the browser has no Web Locks. */
	private appends: Promise<unknown> = Promise.resolve();

	constructor(options: RecordLogOptions = {}) {
		this.db = options.db ?? new AssentDatabase();
		this.now = options.now ?? (() => new Date());
	}

	/** Opens the database, turning refusals into an AssentError (store/*) that says what to do. */
	async open(): Promise<void> {
		if (typeof indexedDB === 'undefined' && !this.db._options.indexedDB) {
			throw storeError('store/unavailable', 'indexedDB is not defined');
		}
		try {
			if (!this.db.isOpen()) await this.db.open();
		} catch (error) {
			throw toStoreError(error);
		}
	}

	/**
	 * Builds the record for an act and stores it with its outbox entry in one strict-durability
	 * transaction. Resolves only after the transaction committed; rejects with an AssentError (store/*) when
	 * nothing was stored.
	 */
	async append(options: {
		act: Act;
		/** Where the record will be sent (`OutboxEntry.target`). @default not recorded */
		target?: string | null;
	}): Promise<AcceptanceRecord> {
		const run = () => this.appendOnce(options.act, options.target);
		const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
		if (locks) return locks.request('assent:append', run);
		// Without Web Locks the appends of this tab take turns, so they never race each other for
		// the chain head; other tabs are still caught by the head check inside the transaction.
		const turn = this.appends.then(run);
		this.appends = turn.catch(() => undefined);
		return turn;
	}

	private async appendOnce(act: Act, target?: string | null): Promise<AcceptanceRecord> {
		await this.reopenIfClosed();
		for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
			let head: AcceptanceRecord | undefined;
			try {
				head = await this.head();
			} catch (error) {
				throw toStoreError(error);
			}
			// Everything asynchronous that is not IndexedDB (ids, WebCrypto) happens before the
			// transaction: awaiting it inside would let the transaction commit early.
			const record = await buildRecord({
				act,
				prev: head ? { digest: head.digest, seq: head.seq } : null,
				now: this.now()
			});
			const entry: OutboxEntry = {
				id: record.id,
				seq: record.seq,
				state: 'pending',
				attempts: 0,
				updatedAt: record.at,
				...(target !== undefined ? { target } : {})
			};
			try {
				await this.db.transaction('rw', this.db.records, this.db.outbox, async () => {
					const current = await this.db.records.orderBy('seq').last();
					if ((current?.digest ?? null) !== (head?.digest ?? null)) throw new ChainMoved();
					await this.db.records.add(record);
					await this.db.outbox.add(entry);
				});
				return record;
			} catch (error) {
				if (error instanceof ChainMoved || isConstraintError(error)) {
					// Another tab wrote first. Waiting a random moment keeps two tabs from colliding
					// again in step.
					await pauseAfterCollision(attempt);
					continue;
				}
				throw toStoreError(error);
			}
		}
		throw storeError('store/conflict', `${MAX_APPEND_ATTEMPTS} attempts`);
	}

	/** The newest record of the chain. */
	async head(): Promise<AcceptanceRecord | undefined> {
		try {
			return await this.db.records.orderBy('seq').last();
		} catch (error) {
			throw toStoreError(error);
		}
	}

	/** Every record, oldest first. */
	async all(): Promise<AcceptanceRecord[]> {
		try {
			return await this.db.records.orderBy('seq').toArray();
		} catch (error) {
			throw toStoreError(error);
		}
	}

	/**
	 * The records of one subject, oldest first, read through the subject index, or through the
	 * subject-and-statement index when the filter names statements: the subject's records of
	 * other statements are never read.
	 */
	async recordsOf(filter: RecordFilter): Promise<AcceptanceRecord[]> {
		try {
			const records = await (
				filter.statementIds
					? this.db.records
							.where('[subject+statement.id]')
							.anyOf([...new Set(filter.statementIds)].map((id) => [filter.subject, id]))
					: this.db.records.where('subject').equals(filter.subject)
			).sortBy('seq');
			return records.filter((record) => matchesFilter(record, filter));
		} catch (error) {
			throw toStoreError(error);
		}
	}

	/** Outbox entries in a state, oldest first. */
	async entries(options: { state?: SyncState; limit?: number } = {}): Promise<OutboxEntry[]> {
		try {
			const query = options.state
				? this.db.outbox
						.where('[state+seq]')
						.between([options.state, Dexie.minKey], [options.state, Dexie.maxKey])
				: this.db.outbox.orderBy('seq');
			return await (options.limit ? query.limit(options.limit) : query).toArray();
		} catch (error) {
			throw toStoreError(error);
		}
	}

	/** Records waiting for the backend, oldest first. */
	async pending(options: { limit?: number } = {}): Promise<AcceptanceRecord[]> {
		const entries = await this.entries({ state: 'pending', limit: options.limit });
		try {
			const records = await this.db.records.bulkGet(entries.map((e) => e.id));
			return records.filter((r): r is AcceptanceRecord => r !== undefined);
		} catch (error) {
			throw toStoreError(error);
		}
	}

	/** Updates sync state beside records; the records themselves are never touched. */
	async settle(updates: SettleUpdate[]): Promise<void> {
		const at = this.now().toISOString();
		try {
			await this.db.transaction('rw', this.db.outbox, async () => {
				for (const update of updates) {
					const entry = await this.db.outbox.get(update.id);
					const settled = settleEntry({ entry, update, at });
					if (settled) await this.db.outbox.put(settled);
				}
			});
		} catch (error) {
			throw toStoreError(error);
		}
	}

	private async reopenIfClosed(): Promise<void> {
		if (this.db.isOpen()) return;
		await this.open();
	}

	close(): void {
		this.db.close();
	}
}

function isConstraintError(error: unknown): boolean {
	const e = error as { name?: string; inner?: { name?: string }; failures?: { name?: string }[] };
	return e?.name === 'ConstraintError' || e?.inner?.name === 'ConstraintError';
}

/** Asks the browser to keep this site's storage under pressure; says whether it agreed. */
export async function requestPersistence(): Promise<'granted' | 'denied' | 'unsupported'> {
	const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
	if (!storage?.persist) return 'unsupported';
	try {
		if (await storage.persisted()) return 'granted';
		return (await storage.persist()) ? 'granted' : 'denied';
	} catch {
		return 'denied';
	}
}

/** How many records a chunked read holds at once. */
export const READ_CHUNK = 1000;

/**
 * The rows of a table keyed by `seq`, oldest first, a chunk at a time through the `seq` index, so
 * a long chain never has to be in memory at once. Rows added while it reads come at the end.
 */
async function* seqChunks<Row extends { id: string; seq: number }>(
	table: EntityTable<Row, 'id'>,
	size: number
): AsyncGenerator<Row[]> {
	let after: number | undefined;
	for (;;) {
		let chunk: Row[];
		try {
			const range = after === undefined ? table.orderBy('seq') : table.where('seq').above(after);
			chunk = await range.limit(size).toArray();
		} catch (error) {
			throw toStoreError(error);
		}
		if (chunk.length === 0) return;
		yield chunk;
		after = chunk[chunk.length - 1]!.seq;
		if (chunk.length < size) return;
	}
}

/** Every record, oldest first, a chunk at a time (`seqChunks`). */
export function recordChunks(
	db: AssentDatabase,
	size = READ_CHUNK
): AsyncGenerator<AcceptanceRecord[]> {
	return seqChunks(db.records, size);
}

/** Every outbox entry, oldest record first, a chunk at a time (`seqChunks`). */
export function outboxChunks(db: AssentDatabase, size = READ_CHUNK): AsyncGenerator<OutboxEntry[]> {
	return seqChunks(db.outbox, size);
}
