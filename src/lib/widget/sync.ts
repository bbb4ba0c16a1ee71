/**
 * Connects the widget's record log to the backend: the HTTP adapter for `sync-url`, or the host
 * page's custom adapter. Without either, records stay in the browser and reach the host through
 * events and the JS API.
 */
import type { AssentError } from '../core/errors';
import type { AcceptanceRecord } from '../core/record';
import { SyncEngine, type SyncLog } from '../sync/engine';
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
}): SyncAdapter {
	const http = httpAdapter({
		url: options.url,
		...(options.fetch ? { fetch: options.fetch } : {})
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

export interface WidgetSync {
	notify(): void;
	syncNow(): Promise<unknown>;
	stop(): void;
}

/** The log the widget syncs: it also keeps where each acknowledged record went. */
export interface TargetedLog extends SyncLog {
	settle(
		updates: (Parameters<SyncLog['settle']>[0][number] & { target?: string | null })[]
	): Promise<void>;
}

export function startSync(options: {
	log: TargetedLog;
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
			? corsAwareAdapter({ url: options.syncUrl })
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
