/**
 * Connects the widget's record log to the backend: the HTTP adapter for `sync-url`, or the host
 * page's custom adapter. Without either, records stay in the browser and reach the host through
 * events and the JS API.
 */
import type { AssentError } from '../core/errors';
import type { AcceptanceRecord } from '../core/record';
import type { RecordStore } from '../store/record-store';
import { SyncEngine, type SyncLog, type SyncStatus } from '../sync/engine';
import { httpAdapter } from '../sync/http';
import { RetryableSyncError, type SyncAdapter } from '../sync/types';

/** How long to wait before trying a backend that refused this origin again: 5 minutes. */
export const CORS_RETRY_MS = 5 * 60_000;

/**
 * The HTTP adapter, telling a backend that refuses this origin (CORS) from one that cannot be
 * reached: when a push fails without an answer, a `no-cors` request to the same URL shows
 * whether the host answers at all. If it does, the browser refused the answer for want of
 * CORS headers: the error says which origin to allow, and the next try waits minutes. Either
 * way the records stay pending.
 */
export function corsAwareAdapter(options: {
	url: string;
	/** The origin requests come from. @default location.origin */
	origin?: string;
	/** @default globalThis.fetch */
	fetch?: typeof fetch;
	/** Sends the records as relayed (`HttpAdapterOptions.relayed`). @default false */
	relayed?: boolean;
}): SyncAdapter {
	const http = httpAdapter({
		url: options.url,
		...(options.fetch ? { fetch: options.fetch } : {}),
		...(options.relayed ? { relayed: true } : {})
	});
	return {
		async push(records, push) {
			try {
				return await http.push(records, push);
			} catch (error) {
				if (
					push.signal.aborted ||
					!(error instanceof RetryableSyncError) ||
					!(error.cause instanceof TypeError)
				) {
					throw error;
				}
				const fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
				const answers = await fetcher(options.url, {
					mode: 'no-cors',
					credentials: 'omit',
					cache: 'no-store',
					signal: push.signal
				}).then(
					() => true,
					() => false
				);
				if (!answers) throw error;
				const origin = options.origin ?? globalThis.location?.origin ?? 'this page';
				throw new RetryableSyncError({
					code: 'sync/cors',
					message: `The sync backend at ${options.url} does not allow requests from origin ${origin}: add ${origin} to its allowed origins (ASSENT_RECEIVER_ORIGINS on the reference receiver) and answer CORS for it. The records stay in this browser, pending, and are sent again every few minutes.`,
					retryAfterMs: CORS_RETRY_MS,
					// The origin is refused, not a record: splitting the batch would find no record at fault.
					scope: 'backend',
					cause: error
				});
			}
		}
	};
}

/** A backend reached by the host page's own code (SPEC section 7, custom adapter). */
export interface WidgetAdapter {
	push(
		records: AcceptanceRecord[],
		options: { signal: AbortSignal }
	): Promise<{ accepted: unknown[]; rejected: unknown[] }>;
}

/**
 * What `element.sync()` answers, with or without a backend: the records still waiting for one,
 * and the sync's state (`off` when the widget has neither `sync-url` nor a custom adapter).
 */
export interface WidgetSyncResult {
	pending: number;
	status: SyncStatus['state'] | 'off';
}

export interface WidgetSync {
	notify(): void;
	syncNow(): Promise<WidgetSyncResult>;
	stop(): void;
}

/**
 * Sends the records the widget vouches for through `own`, and the others through `relayed`, so
 * a backend never takes a record the host page could have written for one the widget built.
 */
export function vouchingAdapter(options: {
	own: SyncAdapter;
	relayed: SyncAdapter;
	vouches: (record: AcceptanceRecord) => boolean;
}): SyncAdapter {
	return {
		async push(records, push) {
			const mine = records.filter((r) => options.vouches(r));
			const others = records.filter((r) => !options.vouches(r));
			const results = [];
			if (mine.length > 0) results.push(await options.own.push(mine, push));
			if (others.length > 0) results.push(await options.relayed.push(others, push));
			return {
				accepted: results.flatMap((r) => r.accepted),
				rejected: results.flatMap((r) => r.rejected)
			};
		}
	};
}

export function startSync(options: {
	log: Pick<RecordStore, 'pending' | 'entries' | 'settle' | 'vouches'>;
	syncUrl?: string;
	adapter?: WidgetAdapter;
	/** Who decides which tab syncs. @default navigator.locks */
	locks?: LockManager;
	onError: (error: AssentError) => void;
	onSynced: (ids: string[]) => void;
}): WidgetSync | undefined {
	const adapter: SyncAdapter | undefined = options.adapter
		? (options.adapter as SyncAdapter)
		: options.syncUrl
			? options.log.vouches
				? vouchingAdapter({
						own: corsAwareAdapter({ url: options.syncUrl }),
						relayed: corsAwareAdapter({ url: options.syncUrl, relayed: true }),
						vouches: (record) => options.log.vouches!(record)
					})
				: corsAwareAdapter({ url: options.syncUrl })
			: undefined;
	if (!adapter) return undefined;
	const target = options.adapter ? 'adapter' : options.syncUrl!;
	const source = options.log;
	// An acknowledged record notes the backend that has it: its receipt is checked against that
	// backend's key, whichever widget made the record.
	const log: SyncLog = {
		pending: (o) => source.pending(o),
		entries: (o) => source.entries(o),
		settle: (updates) =>
			source.settle(updates.map((u) => (u.state === 'synced' ? { ...u, target } : u)))
	};
	const engine = new SyncEngine({
		log,
		adapter,
		...(options.locks ? { locks: options.locks } : {}),
		onError: options.onError,
		onSettled: (result) => {
			if (result.accepted.length > 0) options.onSynced(result.accepted.map((a) => a.id));
		}
	});
	engine.start();
	return {
		notify: () => engine.notify(),
		syncNow: () => engine.syncNow(),
		stop: () => engine.stop()
	};
}
