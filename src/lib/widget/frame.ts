/**
 * The frame side of the widget (`/embed/<id>/`): checks who embeds it, waits for the element's
 * settings, and relays events to the host. The host page is trusted for nothing but the
 * settings it is entitled to give (subject, sync URL, theme); it can never make a record.
 */
import {
	PROTOCOL,
	THEME_PROPERTIES,
	WIDGET_MODES,
	isSafeThemeValue,
	readHostMessage,
	type FrameMessage,
	type HostMessage,
	type WidgetEventName,
	type WidgetMode,
	type WidgetSettings
} from '../core/widget-protocol';
import { createChannel, windowEndpoint, type Channel } from '../core/channel';
import type { ConsentPartner } from './consent.svelte';
import { attributeProblem, widgetLocale } from './attributes';

export interface EmbedPartner extends ConsentPartner {
	origins: string[];
}

/** What the frame was asked to show, read from its address. */
export interface EmbedRequest {
	statementIds: string[];
	mode: WidgetMode | 'api';
	partner?: EmbedPartner;
	subject?: string;
	/** A locale the widget speaks (en, zh-CN), from whatever the host page asked for. */
	locale: string;
	/** Why the requested locale could not be used; the widget still shows, in `locale`. */
	localeProblem?: string;
	hostOrigin: string;
}

/** Why the frame refuses to render, in words for the partner's developer. */
export interface EmbedRefusal {
	code: 'widget/origin' | 'widget/unknown-partner' | 'widget/attribute';
	message: string;
}

/**
 * Reads and checks the frame's address. The embedding origin named there is only a claim: the
 * frame posts to it alone (the browser drops messages to any other parent) and then accepts
 * settings only from a message whose `event.origin` is that origin.
 */
export function readEmbedRequest(options: {
	url: URL;
	statementId: string;
	partners: EmbedPartner[];
	/** Origins that may embed accept mode without a partner (site.yaml `origins`). */
	siteOrigins?: string[];
	/** `location.ancestorOrigins`, where the browser has it. */
	ancestorOrigins?: readonly string[];
	/** Whether the page is inside a frame at all. */
	framed: boolean;
}): EmbedRequest | EmbedRefusal {
	const query = options.url.searchParams;
	const mode = query.get('mode') ?? 'accept';
	const hostOrigin = query.get('origin') ?? '';
	const partnerId = query.get('partner') ?? undefined;
	const subject = query.get('subject')?.trim() || undefined;
	if (!options.framed) {
		return {
			code: 'widget/attribute',
			message:
				'This page is the consent widget for partner sites. Embed it with <assent-consent> from /widget/assent.js rather than opening it directly.'
		};
	}
	if (!(WIDGET_MODES as readonly string[]).includes(mode) && mode !== 'api') {
		return {
			code: 'widget/attribute',
			message: `Unknown mode "${mode}": use accept or associate.`
		};
	}
	let origin: string;
	try {
		origin = new URL(hostOrigin).origin;
	} catch {
		origin = '';
	}
	if (!origin || origin !== hostOrigin) {
		return {
			code: 'widget/attribute',
			message:
				'The frame was opened without the origin of the page embedding it. Load the widget through <assent-consent> from /widget/assent.js.'
		};
	}
	const parent = options.ancestorOrigins?.[0];
	if (parent !== undefined && parent !== origin) {
		return {
			code: 'widget/origin',
			message: `The frame says it is embedded by ${origin}, but the browser reports ${parent}. Load the widget through <assent-consent>.`
		};
	}
	const statementIds = (query.get('statements') ?? options.statementId)
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const problem = attributeProblem({
		...(subject !== undefined ? { subject } : {}),
		...(partnerId !== undefined ? { partner: partnerId } : {}),
		statementIds
	});
	if (problem) return { code: 'widget/attribute', message: problem };
	// Every page around the frame, up to the top, must be one allowed to embed it: a listed page
	// framed in turn by another site is not the listed site asking.
	const ancestors = [origin, ...(options.ancestorOrigins ?? [])];
	let partner: EmbedPartner | undefined;
	if (partnerId !== undefined) {
		partner = options.partners.find((p) => p.id === partnerId);
		if (!partner) {
			return {
				code: 'widget/unknown-partner',
				message: `Unknown partner "${partnerId}". The partner attribute must be an id from the statements site's partners.json (${options.partners.map((p) => p.id).join(', ')}).`
			};
		}
		const outsider = ancestors.find((o) => !partner!.origins.includes(o));
		if (outsider !== undefined) {
			return {
				code: 'widget/origin',
				message: `${outsider} may not embed this widget for ${partner.name}. Add ${outsider} to the origins of partner "${partner.id}" in partners.yaml and publish the statements site again.`
			};
		}
	} else if (mode === 'associate') {
		return {
			code: 'widget/attribute',
			message: 'mode="associate" needs a partner attribute with a partner id from partners.yaml.'
		};
	} else if (mode === 'accept') {
		const allowed = new Set([
			options.url.origin,
			...(options.siteOrigins ?? []),
			...options.partners.flatMap((p) => p.origins)
		]);
		const outsider = ancestors.find((o) => !allowed.has(o));
		if (outsider !== undefined) {
			return {
				code: 'widget/origin',
				message: `${outsider} may not embed this widget. Add ${outsider} to "origins" in site.yaml (or to a partner's origins in partners.yaml) and publish the statements site again.`
			};
		}
	}
	const locale = widgetLocale(query.get('locale') ?? undefined);
	return {
		statementIds,
		mode: mode as WidgetMode | 'api',
		...(partner ? { partner } : {}),
		...(subject ? { subject } : {}),
		locale: locale.locale,
		...(locale.problem ? { localeProblem: locale.problem } : {}),
		hostOrigin: origin
	};
}

/** The channel to the host page: one origin, one window, checked both ways. */
export class HostChannel {
	readonly #origin: string;
	readonly #parent: Window;
	/** Requests both ways: the JS API, the host page's adapter, the relay store. */
	readonly rpc: Channel;

	constructor(options: { origin: string; parent: Window }) {
		this.#origin = options.origin;
		this.#parent = options.parent;
		this.rpc = createChannel({
			endpoint: windowEndpoint({ self: window, peer: () => this.#parent, origin: this.#origin })
		});
	}

	post(message: FrameMessage): void {
		this.#parent.postMessage(message, this.#origin);
	}

	emit(name: WidgetEventName, detail: unknown): void {
		// Records cross as plain JSON; nothing of the frame's objects leaks.
		this.post({
			protocol: PROTOCOL,
			type: 'event',
			name,
			detail: JSON.parse(JSON.stringify(detail))
		});
	}

	/** Calls `handle` for every well-formed message from the host page, and nothing else. */
	listen(handle: (message: HostMessage) => void): () => void {
		const listener = (event: MessageEvent) => {
			if (event.source !== this.#parent || event.origin !== this.#origin) return;
			const message = readHostMessage(event.data);
			if (message) handle(message);
		};
		window.addEventListener('message', listener);
		return () => window.removeEventListener('message', listener);
	}

	/** Resolves with the element's settings, the first `init` the host sends. */
	settings(): Promise<WidgetSettings> {
		return new Promise((resolve) => {
			const stop = this.listen((message) => {
				if (message.type !== 'init') return;
				stop();
				resolve(message.settings);
			});
			this.post({ protocol: PROTOCOL, type: 'ready' });
		});
	}

	close(): void {
		this.rpc.close('The widget frame was closed.');
	}
}

/** Applies the host's theme values to the frame's root, the only styling it can give. */
export function applyTheme(options: { theme?: Record<string, string>; root: HTMLElement }): void {
	for (const name of THEME_PROPERTIES) {
		const value = options.theme?.[name];
		if (value && isSafeThemeValue(value)) options.root.style.setProperty(name, value);
	}
}

/**
 * The sync lock, held by the host page for a frame that may not take Web Locks itself. Its
 * records live on the host's origin, so the host's lock is the right one: every tab of that site
 * competes for it, and one syncs.
 */
export function hostLocks(channel: HostChannel): LockManager {
	const request = (
		_name: string,
		options: LockOptions,
		callback: (lock: Lock | null) => unknown
	): Promise<unknown> =>
		new Promise((resolve, reject) => {
			const release = () => channel.post({ protocol: PROTOCOL, type: 'lock', hold: false });
			const stop = channel.listen((message) => {
				if (message.type !== 'locked') return;
				stop();
				Promise.resolve(callback(null)).then(resolve, reject).finally(release);
			});
			options.signal?.addEventListener('abort', () => {
				stop();
				release();
				reject(options.signal?.reason);
			});
			channel.post({ protocol: PROTOCOL, type: 'lock', hold: true });
		});
	return { request, query: () => Promise.resolve({}) } as unknown as LockManager;
}
