/**
 * The record store port: what the widget, its consent state and the sync engine need of the
 * place records are kept. Two adapters implement it and pass one contract suite
 * (`record-store.spec-suite.ts`): `RecordLog` on this origin's IndexedDB (Dexie), and `RemoteLog`,
 * which keeps a frame's records in the host page's IndexedDB when the browser refuses the frame
 * storage. Every method rejects with an AssentError whose code is `store/*`.
 */
import type { SettleUpdate } from '../core/settle';
import type { AcceptanceRecord, Act } from '../core/record';
import type { OutboxEntry, SyncState } from './db';

export interface RecordStore {
	/**
	 * Builds the record for `act` on the chain head and stores it with its outbox entry in one
	 * strict-durability transaction; resolves only after it committed. Appends from other tabs
	 * never fork the chain: a record built on a head that moved is built again.
	 */
	append(options: {
		act: Act;
		/** Where the record will be sent (`OutboxEntry.target`). @default not recorded */
		target?: string | null;
	}): Promise<AcceptanceRecord>;
	/** The newest record of the chain. */
	head(): Promise<AcceptanceRecord | undefined>;
	/** Every record, oldest first. */
	all(): Promise<AcceptanceRecord[]>;
	/** The records of one subject, oldest first, optionally of some statements and one partner. */
	recordsOf(filter: RecordFilter): Promise<AcceptanceRecord[]>;
	/** Outbox entries, oldest first, optionally in one state. */
	entries(options?: { state?: SyncState; limit?: number }): Promise<OutboxEntry[]>;
	/** Records waiting for the backend, oldest first. */
	pending(options?: { limit?: number }): Promise<AcceptanceRecord[]>;
	/** Notes what the backend said beside records (`settleEntry`); records are never touched. */
	settle(updates: SettleUpdate[]): Promise<void>;
	/**
	 * Whether the widget vouches for `record` as one it built: absent for a store on the widget's
	 * own origin (every record in it is); a store the host page keeps answers for each record,
	 * and the others are sent as relayed.
	 */
	vouches?(record: AcceptanceRecord): boolean;
	close(): void;
}

export interface RecordFilter {
	subject: string;
	/** @default every statement */
	statementIds?: string[];
	/** @default any partner */
	partner?: string;
}

/** Whether a record matches a filter; both adapters select with it. */
export function matchesFilter(record: AcceptanceRecord, filter: RecordFilter): boolean {
	return (
		record.subject === filter.subject &&
		(!filter.statementIds || filter.statementIds.includes(record.statement.id)) &&
		(!filter.partner || record.partner === filter.partner)
	);
}
