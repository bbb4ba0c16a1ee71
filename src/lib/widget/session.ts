/**
 * One widget on a page, wherever it runs (in its frame, or inline on the host page): the record
 * log, the consent state, the sync and the answers of the JS API.
 */
import type { AssentError } from '../core/errors';
import { associationStatus, needsAcceptance } from '../core/status';
import type { EmbedKind } from '../core/record';
import type {
	WidgetCall,
	WidgetEventName,
	WidgetMode,
	WidgetSettings
} from '../core/widget-protocol';
import { RecordLog } from '../store/log';
import { ConsentState, type ConsentPartner } from './consent.svelte';
import { startSync, type WidgetAdapter, type WidgetSync } from './sync';
import { WIDGET_VERSION } from './version';

/** The record log a widget writes to: `RecordLog`, or `RemoteLog` when the frame has no storage. */
export type WidgetLog = Pick<
	RecordLog,
	'all' | 'head' | 'append' | 'entries' | 'pending' | 'settle' | 'close'
>;

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
	/** @default a RecordLog on this origin's IndexedDB */
	log?: WidgetLog;
	/** Who decides which tab syncs. @default navigator.locks */
	locks?: LockManager;
}

export interface WidgetSession {
	consent: ConsentState;
	call(call: WidgetCall): Promise<unknown>;
	stop(): void;
}

export async function startWidgetSession(options: WidgetSessionOptions): Promise<WidgetSession> {
	const { settings } = options;
	const log = options.log ?? new RecordLog();
	const ref: { sync?: WidgetSync } = {};
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
		allowDecline: settings.allowDecline ?? false,
		log,
		syncTarget: options.hostAdapter ? 'adapter' : (settings.syncUrl ?? null),
		widget: `assent/${WIDGET_VERSION}`,
		emit: (name, detail) => options.emit(name as WidgetEventName, detail),
		saved: () => {
			if (!ref.sync) return;
			ref.sync.notify();
			void consent.watchSynced();
		}
	});
	ref.sync = startSync({
		log,
		...(settings.syncUrl ? { syncUrl: settings.syncUrl } : {}),
		...(options.hostAdapter ? { adapter: options.hostAdapter } : {}),
		...(options.locks ? { locks: options.locks } : {}),
		onError: (error: AssentError) =>
			options.emit('assent:error', { code: error.code, message: error.message }),
		// The element that saved a record announces its sync (watchSynced), whichever leads.
		onSynced: () => {}
	});

	const ofSubject = async () =>
		(await log.all()).filter(
			(r) =>
				r.subject === consent.options.subject &&
				options.statementIds.includes(r.statement.id) &&
				(!options.partner || r.partner === options.partner.id)
		);

	const calls: Record<WidgetCall, () => Promise<unknown>> = {
		records: async () => JSON.parse(JSON.stringify(await ofSubject())),
		sync: async () => (ref.sync ? ref.sync.syncNow() : { pending: 0, syncing: false }),
		status: async () => {
			const records = await ofSubject();
			const now = new Date();
			return {
				subject: consent.options.subject,
				statements: consent.statements.map((s) => {
					const need = needsAcceptance({
						records,
						subject: consent.options.subject,
						statementId: s.id,
						partner: consent.options.mode === 'associate' ? options.partner?.id : undefined,
						versions: s.versions,
						now
					});
					return {
						id: s.id,
						inForce: need.inForce,
						accepted: need.accepted,
						needed: need.needed,
						reason: need.reason
					};
				}),
				...(options.partner
					? (({ associated, since }) => ({ associated, since }))(
							associationStatus({
								records,
								subject: consent.options.subject,
								partner: options.partner.id
							})
						)
					: {}),
				pending: (await log.entries({ state: 'pending' })).length
			};
		}
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
			ref.sync?.stop();
			log.close();
		}
	};
}
