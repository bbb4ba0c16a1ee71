/**
 * A backend in memory: stores each record once by id, like a real receiver, and can be told to
 * refuse records or fail. For tests, demos and as the reference of the adapter contract.
 */
import type { AcceptanceRecord } from '../core/record';
import {
	RetryableSyncError,
	StandingError,
	type PushResult,
	type StandingResult,
	type SyncAdapter
} from './types';

export interface MemoryAdapterOptions {
	/** Refuse a record: return the reason, or undefined to accept it. @default accept all */
	reject?: (record: AcceptanceRecord) => { reason: string; retryable?: boolean } | undefined;
	/**
	 * The subject a token vouches for, or undefined when the token is no good: the standing
	 * answers only a token's own subject. @default every token is refused
	 */
	tokenSubject?: (token: string) => string | undefined;
}

export interface MemoryAdapter extends SyncAdapter {
	standing(
		subject: string,
		token: string,
		options?: { signal?: AbortSignal }
	): Promise<StandingResult>;
	/** Every record received, once each, in the order they first arrived. */
	readonly received: AcceptanceRecord[];
	/** Requests seen, duplicates included. */
	readonly requests: AcceptanceRecord[][];
	/** Makes the next `count` pushes fail as a network error would. */
	failNext(count?: number): void;
}

export function memoryAdapter(options: MemoryAdapterOptions = {}): MemoryAdapter {
	const stored = new Map<string, { record: AcceptanceRecord; receivedAt: string }>();
	const requests: AcceptanceRecord[][] = [];
	let failures = 0;
	return {
		get received() {
			return [...stored.values()].map((s) => s.record);
		},
		requests,
		failNext(count = 1) {
			failures += count;
		},
		async standing(subject, token, { signal } = {}) {
			if (signal?.aborted) throw signal.reason;
			const vouched = options.tokenSubject?.(token);
			if (vouched === undefined || vouched !== subject) {
				throw new StandingError({
					reason: 'refused',
					message: `The memory backend refused the token for the standing of "${subject}".`
				});
			}
			return {
				records: [...stored.values()]
					.filter((s) => s.record.subject === subject)
					.map((s) => ({ record: s.record, receivedAt: s.receivedAt }))
			};
		},
		async push(records, { signal }) {
			if (signal.aborted) throw signal.reason;
			requests.push(records);
			if (failures > 0) {
				failures--;
				throw new RetryableSyncError({ message: 'The memory backend was told to fail.' });
			}
			const result: PushResult = { accepted: [], rejected: [] };
			for (const record of records) {
				const refusal = options.reject?.(record);
				if (refusal) {
					result.rejected.push({ id: record.id, ...refusal });
					continue;
				}
				const known = stored.get(record.id);
				if (known && known.record.digest !== record.digest) {
					result.rejected.push({
						id: record.id,
						reason: 'A different record with this id was received before.',
						retryable: false
					});
					continue;
				}
				const receivedAt = known?.receivedAt ?? new Date().toISOString();
				if (!known) stored.set(record.id, { record, receivedAt });
				result.accepted.push({ id: record.id, receivedAt });
			}
			return result;
		}
	};
}
