/**
 * One widget on a page, wherever it runs (in its frame, or inline on the host page): the record
 * log, the consent state, the sync and the answers of the JS API.
 */
import type { AssentError } from '../core/errors';
import type { EmbedKind } from '../core/record';
import type {
	WidgetCall,
	WidgetEventName,
	WidgetMode,
	WidgetSettings
} from '../core/widget-protocol';
import type { RecordStore } from '../store/record-store';
import {
	ConsentState,
	type ConsentPartner,
	type ConsentStanding,
	type StatementDocument
} from './consent.svelte';
import type { StandingRead } from './standing';
import type { WidgetAdapter, WidgetSync, WidgetSyncResult } from './sync';
import { WIDGET_VERSION } from './version';

/** What the JS API's `status()` answers: the consent state's standing and the pending count. */
export interface WidgetStatus extends ConsentStanding {
	pending: number;
}

/** Acknowledgements heard from the engine leading in another tab of this partition. */
const SETTLED_CHANNEL = 'assent:settled';

export interface WidgetSessionOptions {
	base: string;
	statementIds: string[];
	mode: WidgetMode | 'api';
	partner?: ConsentPartner;
	provider: string;
	subject: string;
	locale: string;
	embed: EmbedKind;
	hostOrigin: string;
	settings: WidgetSettings;
	emit: (name: WidgetEventName, detail: unknown) => void;
	/** The host's custom adapter, reached directly (inline) or through the frame's channel. */
	hostAdapter?: WidgetAdapter;
	/** @default a RecordLog on this origin's IndexedDB (`RemoteLog` when the frame has no storage) */
	log?: RecordStore;
	/** Who decides which tab syncs. @default navigator.locks */
	locks?: LockManager;
	/** Whether the customer can see the widget now (`ConsentOptions.visible`). */
	visible?: () => Promise<boolean | 'unknown'>;
	/** The statements index, already requested (`ConsentOptions.index`). */
	index?: Promise<Response>;
	/** Statement documents already held (`ConsentOptions.documents`). */
	documents?: StatementDocument[];
}

/**
 * The record store's code, Dexie with it: loaded when a session needs it (or earlier, to have it
 * arrive while other things load), so it never holds up what is shown before.
 */
export function loadRecordLog(): Promise<typeof import('../store/log')> {
	return import('../store/log');
}

export interface WidgetSession {
	consent: ConsentState;
	call(call: WidgetCall): Promise<unknown>;
	stop(): void;
}

export async function startWidgetSession(options: WidgetSessionOptions): Promise<WidgetSession> {
	const { settings } = options;
	const log = options.log ?? new (await loadRecordLog()).RecordLog();
	let stopped = false;
	// The subject's standing across devices (SPEC section 8): read from the sync URL's backend
	// with the subject token, whoever pushes the records.
	const { syncUrl, subjectToken } = settings;
	const standing = async (): Promise<StandingRead> => {
		if (!subjectToken) {
			return {
				checked: false,
				reason: 'no-token',
				message:
					'The widget has no subject-token: the backend is asked where the subject stands only with one (SPEC section 8).'
			};
		}
		if (!syncUrl) {
			return {
				checked: false,
				reason: 'no-backend',
				message: 'The widget has no sync-url whose backend could be asked where the subject stands.'
			};
		}
		// Loaded only for a widget that reads a backend's standing.
		const [{ readStanding }, { httpAdapter }] = await Promise.all([
			import('./standing'),
			import('../sync/http')
		]);
		return readStanding({
			adapter: httpAdapter({ url: syncUrl }),
			syncUrl,
			subject: options.subject,
			token: subjectToken
		});
	};
	const consent = new ConsentState({
		base: options.base,
		statementIds: options.statementIds,
		mode: options.mode === 'api' ? 'accept' : options.mode,
		...(options.partner ? { partner: options.partner } : {}),
		provider: options.provider,
		subject: options.subject,
		...(settings.subjectToken ? { subjectToken: settings.subjectToken } : {}),
		locale: options.locale,
		embed: options.embed,
		hostOrigin: options.hostOrigin,
		requireScroll: settings.requireScroll ?? false,
		...(options.visible ? { visible: options.visible } : {}),
		...(options.index ? { index: options.index } : {}),
		...(options.documents ? { documents: options.documents } : {}),
		allowDecline: settings.allowDecline ?? false,
		log,
		syncTarget: options.hostAdapter ? 'adapter' : (settings.syncUrl ?? null),
		widget: `assent/${WIDGET_VERSION}`,
		emit: (name, detail) => options.emit(name as WidgetEventName, detail),
		standing,
		saved: () => void syncing.then((sync) => sync?.notify())
	});
	// The tab that leads the sync may be another one: whichever engine settles records tells
	// every widget of this browser (and storage partition), and the one that saved them says so.
	const settledChannel =
		typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(SETTLED_CHANNEL);
	if (settledChannel) {
		settledChannel.onmessage = (event: MessageEvent) => {
			if (Array.isArray(event.data)) consent.settled(event.data.map(String));
		};
	}
	// The sync engine's code loads only for a widget with somewhere to send records.
	const syncing: Promise<WidgetSync | undefined> =
		settings.syncUrl || options.hostAdapter
			? import('./sync').then(({ startSync }) =>
					stopped
						? undefined
						: startSync({
								log,
								...(settings.syncUrl ? { syncUrl: settings.syncUrl } : {}),
								...(options.hostAdapter ? { adapter: options.hostAdapter } : {}),
								...(options.locks ? { locks: options.locks } : {}),
								onError: (error: AssentError) =>
									options.emit('assent:error', { code: error.code, message: error.message }),
								onSynced: (ids) => {
									consent.settled(ids);
									// What the backend holds changed: other devices may have written too.
									if (subjectToken && syncUrl) void consent.refreshStanding();
									settledChannel?.postMessage(ids);
								}
							})
				)
			: Promise.resolve(undefined);

	const calls: Record<WidgetCall, () => Promise<unknown>> = {
		records: async () =>
			JSON.parse(
				JSON.stringify(
					await log.recordsOf({
						subject: consent.options.subject,
						statementIds: options.statementIds,
						...(options.partner ? { partner: options.partner.id } : {})
					})
				)
			),
		sync: async (): Promise<WidgetSyncResult> => {
			const sync = await syncing;
			return sync
				? sync.syncNow()
				: { pending: (await log.entries({ state: 'pending' })).length, status: 'off' };
		},
		status: async (): Promise<WidgetStatus> => ({
			...(await consent.standing()),
			pending: (await log.entries({ state: 'pending' })).length
		})
	};

	await consent.load();
	options.emit('assent:ready', {
		statements: consent.statements.map((s) => ({
			id: s.id,
			version: s.version,
			needed: s.need.needed
		}))
	});
	return {
		consent,
		call: (call) => calls[call](),
		stop: () => {
			stopped = true;
			void syncing.then((sync) => sync?.stop());
			settledChannel?.close();
			log.close();
		}
	};
}
