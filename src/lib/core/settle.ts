/**
 * The one rule for settling an outbox entry with what a backend said: every record store (the
 * Dexie log, the host page's relay store) applies it inside its own transaction.
 */

/** Where a record stands with the backend. Kept beside the record, never inside it. */
export type SyncState = 'pending' | 'synced' | 'rejected';

/** What a push settled for one record. */
export interface SettleUpdate {
	id: string;
	state: SyncState;
	reason?: string;
	retryable?: boolean;
	receivedAt?: string;
	receipt?: unknown;
	/** The last error, kept as `lastError`. */
	error?: string;
	/** Where an acknowledged record went (the sync URL or `adapter`). */
	target?: string | null;
}

/** The fields of an outbox entry the rule reads and writes. */
export interface SettledEntry {
	id: string;
	state: SyncState;
	attempts: number;
	updatedAt: string;
	lastError?: string;
	reason?: string;
	retryable?: boolean;
	receivedAt?: string;
	receipt?: unknown;
	target?: string | null;
}

/**
 * The entry after `update`, or `undefined` when nothing is to be written: the store never held
 * the record, or the record is acknowledged already and a late answer (another tab's push, a
 * retry read before the acknowledgement was written) would turn it back. A synced record stays
 * synced.
 */
export function settleEntry<E extends SettledEntry>(options: {
	entry: E | undefined;
	update: SettleUpdate;
	/** ISO time of the change. */
	at: string;
}): E | undefined {
	const { entry, update } = options;
	if (!entry || (entry.state === 'synced' && update.state !== 'synced')) return undefined;
	return {
		...entry,
		state: update.state,
		attempts: entry.attempts + 1,
		updatedAt: options.at,
		...(update.reason !== undefined ? { reason: update.reason } : {}),
		...(update.retryable !== undefined ? { retryable: update.retryable } : {}),
		...(update.receivedAt !== undefined ? { receivedAt: update.receivedAt } : {}),
		...(update.receipt !== undefined ? { receipt: update.receipt } : {}),
		...(update.error !== undefined ? { lastError: update.error } : {}),
		...(update.target !== undefined ? { target: update.target } : {})
	};
}
