/**
 * Connects the frame's record log to the backend: the HTTP adapter for `sync-url`, or the host
 * page's custom adapter through the channel.
 */
import type { AssentError } from '../core/errors';
import { PROTOCOL, type WidgetSettings } from '../core/widget-protocol';
import type { RecordLog } from '../store/log';
import type { HostChannel } from './frame';

export interface WidgetSync {
	notify(): void;
	syncNow(): Promise<unknown>;
	stop(): void;
}

export function startSync(options: {
	log: RecordLog;
	settings: WidgetSettings;
	channel: HostChannel;
	onError: (error: AssentError) => void;
	onSynced: (ids: string[]) => void;
}): WidgetSync | undefined {
	void options;
	void PROTOCOL;
	return undefined;
}
