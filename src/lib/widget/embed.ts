/**
 * Starts the widget inside its frame: checks the embedder, receives the element's settings,
 * opens the record store, and connects the consent UI, the sync and the JS API to the host.
 */
import { AssentError } from '../core/errors';
import { paths } from '../core/paths';
import { PROTOCOL, WIDGET_CALLS, readAdapterAnswer } from '../core/widget-protocol';
import type { ConsentState, StatementDocument } from './consent.svelte';
import { HostChannel, applyTheme, hostLocks, readEmbedRequest, type EmbedPartner } from './frame';
import { subjectProblem, widgetLocale } from './attributes';
import { RemoteLog, frameStorageAllowed } from './remote-log';
import { loadRecordLog, startWidgetSession, type WidgetSession } from './session';
import type { WidgetAdapter } from './sync';
import { themeProblem, watchVisibility, wordsShown } from './visibility';

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
	/** The site's own origins that may embed accept mode without a partner (site.yaml). */
	origins?: string[];
	provider: string;
	/** The element whose size the host's iframe follows. @default document.body */
	content?: HTMLElement;
	/** Statement documents the page already holds (`ConsentOptions.documents`). */
	documents?: StatementDocument[];
}): Promise<EmbedSession> {
	const request = readEmbedRequest({
		url: options.url,
		statementId: options.statementId,
		partners: options.partners,
		siteOrigins: options.origins ?? [],
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
				const told = new HostChannel({ origin: new URL(claimed).origin, parent: window.parent });
				told.emit('assent:error', { code: request.code, message: request.message });
				told.close();
			} catch {
				// No usable origin to tell: the refusal on screen is all there is.
			}
		}
		return { kind: 'refused', message: request.message, stop };
	}

	const channel = new HostChannel({ origin: request.hostOrigin, parent: window.parent });
	stops.push(() => channel.close());
	const content = options.content ?? document.body;
	const postHeight = () =>
		channel.post({
			protocol: PROTOCOL,
			type: 'resize',
			height: Math.ceil(content.getBoundingClientRect().height)
		});
	const observer = new ResizeObserver(postHeight);
	observer.observe(content);
	stops.push(() => observer.disconnect());

	// Started now, while the element's settings are on their way: the statements index (it does
	// not depend on them) and the check whether this frame may keep records itself.
	const index = fetch(new URL(paths.index(), location.origin).href, { credentials: 'omit' });
	index.catch(() => {});
	const storageAllowed = frameStorageAllowed();
	// The record store's code (Dexie) loads meanwhile too.
	const store = loadRecordLog();
	store.catch(() => {});
	const settings = await channel.settings();
	// The element may call the JS API as soon as it sent its settings: calls wait for the session
	// (the statement and the records still loading) instead of being dropped unanswered.
	let started: (session: WidgetSession) => void = () => {};
	let failed: (error: unknown) => void = () => {};
	const sessionReady = new Promise<WidgetSession>((resolve, reject) => {
		started = resolve;
		failed = reject;
	});
	sessionReady.catch(() => {});
	channel.rpc.serve(
		Object.fromEntries(
			WIDGET_CALLS.map((call) => [call, () => sessionReady.then((session) => session.call(call))])
		)
	);
	const subject = settings.subject?.trim() || request.subject || undefined;
	if (request.mode === 'associate' && !subject) {
		const message =
			'mode="associate" needs a subject attribute: your opaque id of the signed-in customer.';
		channel.emit('assent:error', { code: 'widget/attribute', message });
		failed(new AssentError('widget/attribute', message));
		return { kind: 'refused', message, stop };
	}
	const badSubject = subject === undefined ? undefined : subjectProblem(subject);
	if (badSubject) {
		channel.emit('assent:error', { code: 'widget/attribute', message: badSubject });
		failed(new AssentError('widget/attribute', badSubject));
		return { kind: 'refused', message: badSubject, stop };
	}
	// The element sends its locale with its settings; the address's is for direct use.
	const locale =
		settings.locale === undefined
			? { locale: request.locale, problem: request.localeProblem }
			: widgetLocale(settings.locale);
	if (locale.problem) {
		// Told, and shown anyway: the customer still gets the widget, in the fallback locale.
		channel.emit('assent:error', { code: 'widget/attribute', message: locale.problem });
	}
	// A theme that would make the words unreadable is not applied: the widget keeps its colours.
	const unreadable = themeProblem({
		theme: settings.theme,
		dark: matchMedia('(prefers-color-scheme: dark)').matches
	});
	if (unreadable) channel.emit('assent:error', { code: 'widget/attribute', message: unreadable });
	else applyTheme({ theme: settings.theme, root: document.documentElement });
	// What the browser says about this frame on the partner page: an answer is taken only while
	// the widget is visibly shown, and its words rendered and readable.
	const watch = watchVisibility(content);
	stops.push(() => watch.stop());

	// Browsers that block third-party storage give the frame none: records then live in the host
	// page's IndexedDB, through the loader, while this frame still takes the click and builds them.
	const storage = (await storageAllowed) ? undefined : new RemoteLog({ channel: channel.rpc });
	const starting = startWidgetSession({
		// Refused storage means refused Web Locks too: the host page holds the sync lock instead.
		...(storage ? { log: storage, locks: hostLocks(channel) } : {}),
		base: location.origin,
		statementIds: request.statementIds,
		mode: request.mode,
		...(request.partner ? { partner: request.partner } : {}),
		provider: options.provider,
		subject: subject ?? anonymousSubject(),
		locale: locale.locale,
		embed: 'iframe',
		hostOrigin: request.hostOrigin,
		visible: async () => (wordsShown(document) ? watch.visible() : false),
		index,
		...(options.documents ? { documents: options.documents } : {}),
		settings,
		emit: (name, detail) => channel.emit(name, detail),
		...(settings.hostAdapter ? { hostAdapter: hostAdapter(channel) } : {})
	});
	starting.then(started, failed);
	const session = await starting;
	stops.push(() => session.stop());
	// Browsers pause rendering, and so resize observers, in frames out of view: a widget below
	// the fold would keep its placeholder height until scrolled to. Measuring forces layout.
	const measured = setTimeout(postHeight, 50);
	stops.push(() => clearTimeout(measured));
	return { kind: 'ready', mode: request.mode, consent: session.consent, stop };
}

/** The host page's custom adapter, reached through the channel: records out, results back. */
function hostAdapter(channel: HostChannel): WidgetAdapter {
	return {
		push: async (records, { signal }) => {
			let result: unknown;
			try {
				// Records cross as plain JSON; nothing of the frame's objects leaks.
				result = await channel.rpc.request('push', JSON.parse(JSON.stringify(records)), {
					signal
				});
			} catch (error) {
				// The partner's own error, which has no code: the engine reports it as a retry.
				const e = error as { code?: string; message?: string };
				throw e?.code === 'channel/failed' ? new Error(e.message) : error;
			}
			const answer = readAdapterAnswer(result);
			if (!answer) {
				throw new Error('The host adapter answered without { accepted, rejected } arrays.');
			}
			return answer;
		}
	};
}
