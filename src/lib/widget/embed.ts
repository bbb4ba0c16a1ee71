/**
 * Starts the widget inside its frame: checks the embedder, receives the element's settings,
 * opens the record store, and connects the consent UI, the sync and the JS API to the host.
 */
import { needsAcceptance, associationStatus } from '../core/status';
import { PROTOCOL } from '../core/widget-protocol';
import { RecordLog } from '../store/log';
import { ConsentState } from './consent.svelte';
import { HostChannel, applyTheme, readEmbedRequest, type EmbedPartner } from './frame';
import { startSync, type WidgetSync } from './sync';
import { WIDGET_VERSION } from './version';

export type EmbedSession =
	| { kind: 'refused'; message: string; stop: () => void }
	| {
			kind: 'ready';
			mode: 'accept' | 'associate' | 'api';
			consent: ConsentState;
			stop: () => void;
	  };

const ANONYMOUS_KEY = 'assent:anonymous-subject';

/**
 * A subject for accept mode when the host names none: one random id per browser (and per
 * partner site, as the browser partitions the frame's storage), so the browser's own answer can
 * still be found again.
 */
function anonymousSubject(): string {
	try {
		const known = localStorage.getItem(ANONYMOUS_KEY);
		if (known) return known;
		const made = `anonymous:${crypto.randomUUID()}`;
		localStorage.setItem(ANONYMOUS_KEY, made);
		return made;
	} catch {
		return `anonymous:${crypto.randomUUID()}`;
	}
}

export async function startEmbed(options: {
	url: URL;
	statementId: string;
	partners: EmbedPartner[];
	provider: string;
	/** The element whose size the host's iframe follows. @default document.body */
	content?: HTMLElement;
}): Promise<EmbedSession> {
	const request = readEmbedRequest({
		url: options.url,
		statementId: options.statementId,
		partners: options.partners,
		ancestorOrigins: location.ancestorOrigins ? [...location.ancestorOrigins] : undefined,
		framed: window.parent !== window
	});
	const stops: (() => void)[] = [];
	const stop = () => stops.splice(0).forEach((fn) => fn());

	if ('code' in request) {
		// Told only to the origin the frame names; if that is not really the parent, the browser
		// drops the message.
		const claimed = options.url.searchParams.get('origin');
		if (window.parent !== window && claimed) {
			try {
				new HostChannel({ origin: new URL(claimed).origin, parent: window.parent }).emit(
					'assent:error',
					{ code: request.code, message: request.message }
				);
			} catch {
				// No usable origin to tell: the refusal on screen is all there is.
			}
		}
		return { kind: 'refused', message: request.message, stop };
	}

	const channel = new HostChannel({ origin: request.hostOrigin, parent: window.parent });
	const content = options.content ?? document.body;
	const observer = new ResizeObserver(() => {
		channel.post({
			protocol: PROTOCOL,
			type: 'resize',
			height: Math.ceil(content.getBoundingClientRect().height)
		});
	});
	observer.observe(content);
	stops.push(() => observer.disconnect());

	const settings = await channel.settings();
	const subject = settings.subject?.trim() || request.subject || undefined;
	if (request.mode === 'associate' && !subject) {
		const message =
			'mode="associate" needs a subject attribute: your opaque id of the signed-in customer.';
		channel.emit('assent:error', { code: 'widget/attribute', message });
		return { kind: 'refused', message, stop };
	}
	applyTheme({ theme: settings.theme, root: document.documentElement });

	const log = new RecordLog();
	stops.push(() => log.close());
	const syncRef: { current?: WidgetSync } = {};
	const consent = new ConsentState({
		base: location.origin,
		statementIds: request.statementIds,
		mode: request.mode === 'api' ? 'accept' : request.mode,
		...(request.partner ? { partner: request.partner } : {}),
		provider: options.provider,
		subject: subject ?? anonymousSubject(),
		...(settings.subjectToken ? { subjectToken: settings.subjectToken } : {}),
		locale: request.locale,
		embed: 'iframe',
		hostOrigin: request.hostOrigin,
		requireScroll: settings.requireScroll ?? false,
		allowDecline: settings.allowDecline ?? false,
		log,
		widget: `assent/${WIDGET_VERSION}`,
		emit: (name, detail) => channel.emit(name as Parameters<typeof channel.emit>[0], detail),
		saved: () => syncRef.current?.notify()
	});

	const sync = (syncRef.current = startSync({
		log,
		settings,
		channel,
		onError: (error) => channel.emit('assent:error', { code: error.code, message: error.message }),
		onSynced: (ids) => {
			consent.markSynced(ids);
			channel.emit('assent:sync', { ids });
		}
	}));
	stops.push(() => sync?.stop());

	stops.push(
		channel.listen((message) => {
			if (message.type !== 'call') return;
			const answer = (result: unknown) =>
				channel.post({ protocol: PROTOCOL, type: 'answer', id: message.id, result });
			const fail = (error: unknown) =>
				channel.post({
					protocol: PROTOCOL,
					type: 'answer',
					id: message.id,
					error: error instanceof Error ? error.message : String(error)
				});
			const ofSubject = async () =>
				(await log.all()).filter(
					(r) =>
						r.subject === consent.options.subject &&
						request.statementIds.includes(r.statement.id) &&
						(!request.partner || r.partner === request.partner.id)
				);
			if (message.call === 'records') {
				ofSubject().then((records) => answer(JSON.parse(JSON.stringify(records))), fail);
			} else if (message.call === 'sync') {
				(sync?.syncNow() ?? Promise.resolve({ pending: 0 })).then(answer, fail);
			} else {
				ofSubject()
					.then(async (records) => ({
						statements: consent.statements.map((s) => {
							const need = needsAcceptance({
								records,
								subject: consent.options.subject,
								statementId: s.id,
								partner: request.mode === 'associate' ? request.partner?.id : undefined,
								versions: s.versions,
								now: new Date()
							});
							return {
								id: s.id,
								inForce: need.inForce,
								accepted: need.accepted,
								needed: need.needed,
								reason: need.reason
							};
						}),
						...(request.partner
							? (({ associated, since }) => ({ associated, since }))(
									associationStatus({
										records,
										subject: consent.options.subject,
										partner: request.partner.id
									})
								)
							: {}),
						pending: (await log.entries({ state: 'pending' })).length
					}))
					.then(answer, fail);
			}
		})
	);

	await consent.load();
	channel.emit('assent:ready', {
		statements: consent.statements.map((s) => ({
			id: s.id,
			version: s.version,
			needed: s.need.needed
		}))
	});
	return { kind: 'ready', mode: request.mode, consent, stop };
}
