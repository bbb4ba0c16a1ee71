/**
 * Connects the widget's record log to the backend: the HTTP adapter for `sync-url`, or the host
 * page's custom adapter. Without either, records stay in the browser and reach the host through
 * events and the JS API.
 */
import type { AssentError } from '../core/errors';
import type { AcceptanceRecord } from '../core/record';
import { SyncEngine, type SyncLog } from '../sync/engine';
import { httpAdapter } from '../sync/http';
import type { SyncAdapter } from '../sync/types';

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

export function startSync(options: {
	log: SyncLog;
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
			? httpAdapter({ url: options.syncUrl })
			: undefined;
	if (!adapter) return undefined;
	const engine = new SyncEngine({
		log: options.log,
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
