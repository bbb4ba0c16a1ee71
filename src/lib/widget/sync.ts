/**
 * Connects the widget's record log to the backend: the HTTP adapter for `sync-url`, or the host
 * page's custom adapter.
 */
import type { AssentError } from '../core/errors';
import type { AcceptanceRecord } from '../core/record';
import type { WidgetLog } from './session';

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
	log: WidgetLog;
	syncUrl?: string;
	adapter?: WidgetAdapter;
	onError: (error: AssentError) => void;
	onSynced: (ids: string[]) => void;
}): WidgetSync | undefined {
	void options;
	return undefined;
}
