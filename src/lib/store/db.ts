import Dexie, { type EntityTable } from 'dexie';
import type { AcceptanceRecord } from '../core/record';

/** Where a record stands with the backend. Kept beside the record, never inside it. */
export type SyncState = 'pending' | 'synced' | 'rejected';

export interface OutboxEntry {
	/** The record's id. */
	id: string;
	/** The record's sequence number, so the oldest pending records go first. */
	seq: number;
	state: SyncState;
	/** Push attempts so far. */
	attempts: number;
	/** ISO time of the last change of this entry. */
	updatedAt: string;
	lastError?: string;
	/** Why the backend refused the record (state `rejected`). */
	reason?: string;
	retryable?: boolean;
	/** The backend's own receive time and signed receipt, when it sends them. */
	receivedAt?: string;
	receipt?: unknown;
	/**
	 * Where the record is sent: the sync URL, `adapter` (the host page's own code), or `null`
	 * when the widget that made it had neither, so it is kept in this browser only. Set when the
	 * record is written, and to where it went when a backend acknowledged it. Absent on records
	 * written before it was kept.
	 */
	target?: string | null;
}

export const DATABASE_NAME = 'assent';

/**
 * The one database of the browser side. Records are append-only; the chain head is the record
 * with the highest `seq`. Schema changes are new `version(n)` blocks, never edits of old ones.
 */
export class AssentDatabase extends Dexie {
	records!: EntityTable<AcceptanceRecord, 'id'>;
	outbox!: EntityTable<OutboxEntry, 'id'>;

	constructor(
		options: { name?: string; indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {}
	) {
		super(options.name ?? DATABASE_NAME, {
			// Records are legal evidence: a commit must reach the disk before we say "saved".
			chromeTransactionDurability: 'strict',
			...(options.indexedDB
				? { indexedDB: options.indexedDB, IDBKeyRange: options.IDBKeyRange }
				: {})
		});
		this.version(1).stores({
			records: '&id, &seq, at, subject, partner, action, statement.id',
			outbox: '&id, state, seq'
		});
		// 2: pending records oldest first for the sync engine, without scanning the outbox.
		this.version(2).stores({
			outbox: '&id, state, seq, [state+seq]'
		});
		// 3: a subject's records of some statements without reading its others (the widget's
		// load). Only adds an index, so the upgrade keeps every record; tabs still running
		// version 2 let go when asked and reopen it as it is (Dexie adapts to a newer schema).
		this.version(3).stores({
			records: '&id, &seq, at, subject, partner, action, statement.id, [subject+statement.id]'
		});
	}
}
