/**
 * `/widget/assent.js`: the module partner pages load. It defines `<assent-consent>` and mounts
 * the consent UI in an iframe on the statements origin, so the host page can neither read nor
 * forge the customer's click. It is kept small (no Svelte, no Dexie): the UI, the record store
 * and the sync engine live in the frame. The attributes (`attributes.ts`), what the page does for
 * its frame (`relay.ts`) and the inline UI's loader (`inline-loader.ts`) live beside it; every
 * request to the frame goes through the one widget channel (`$lib/core/channel.ts`).
 *
 * Longer than 250 lines on purpose: one custom element class, whose private state (the frame,
 * its channel, readiness and the render counter) cannot be shared with other modules without
 * exposing it to the partner page; each part that needs none of it lives in its own file.
 */
import type { AcceptanceRecord } from '../lib/core/record';
import { codedError, createChannel, windowEndpoint, type Channel } from '../lib/core/channel';
import {
	PROTOCOL,
	readFrameMessage,
	type HostMessage,
	type WidgetCall
} from '../lib/core/widget-protocol';
import { readAttributes, readSettings, type ElementRequest } from './attributes';
import { loadInline, type Inline } from './inline-loader';
import { hostStore, serveFrame } from './relay';
import { shadowStyles } from './styles';
import type { AssentAdapter, AssentProblem, AssentStatus, AssentSyncResult } from './types';

export type { AssentAdapter, AssentProblem, AssentStatus, AssentSyncResult } from './types';

const TAG = 'assent-consent';
/** How long the frame may take to say it is ready before the element reports it unreachable. */
const READY_TIMEOUT_MS = 20_000;
const scriptOrigin = new URL(import.meta.url).origin;
/** Why a call fails when the frame it went to is gone: the element was removed or reloaded. */
const GONE = 'The widget was removed or reloaded before it answered.';
let adapter: AssentAdapter | undefined;

/**
 * Routes this page's records through a custom adapter instead of `sync-url`. Register it before
 * the elements connect; elements already on the page pick it up when they next load.
 */
export function registerAdapter(custom: AssentAdapter | undefined): void {
	if (custom !== undefined && typeof custom?.push !== 'function') {
		throw new TypeError('registerAdapter expects an object with a push(records) method.');
	}
	adapter = custom;
}

const STYLE = `:host{display:block;min-width:0}:host([hidden]){display:none}iframe{display:block;width:100%;height:var(--assent-height,12rem);border:0;color-scheme:normal;background:transparent}[part=message]{margin:0;padding:.75rem 1rem;border:1px solid #b42318;border-radius:.5rem;color:#7a271a;background:#fef3f2;font:1rem/1.5 system-ui,sans-serif}`;

export class AssentConsent extends HTMLElement {
	static observedAttributes = ['statement', 'mode', 'partner', 'subject', 'locale', 'base'];

	#root: ShadowRoot;
	#frame: HTMLIFrameElement | undefined;
	/** Requests to and from the current frame; closed (failing what waits) when it goes. */
	#channel: Channel | undefined;
	#origin = '';
	#timer: ReturnType<typeof setTimeout> | undefined;
	#ready: Promise<void> = Promise.resolve();
	/** Settles `#ready`; set while a frame (or the inline UI) is on its way. */
	#markReady: (() => void) | undefined;
	#markFailed: ((error: Error) => void) | undefined;
	/** Lets go of the sync lock this page holds for its frame. */
	#lock: AbortController | undefined;
	#renderQueued = false;
	#inline: Inline | undefined;
	/** Counts renders, so a slow inline load for old attributes does not win over a newer one. */
	#run = 0;
	#error: AssentProblem | null = null;

	constructor() {
		super();
		this.#root = this.attachShadow({ mode: 'open' });
	}

	connectedCallback(): void {
		this.#queueRender();
	}

	disconnectedCallback(): void {
		this.#teardown();
	}

	attributeChangedCallback(_name: string, old: string | null, value: string | null): void {
		if (old !== value && this.isConnected) this.#queueRender();
	}

	/** Lets go of the frame or inline UI: its lock, its timer, and the calls still waiting on it. */
	#teardown(): void {
		clearTimeout(this.#timer);
		this.#lock?.abort();
		this.#channel?.close(GONE);
		this.#channel = this.#frame = undefined;
		this.#inline?.stop();
		this.#inline = undefined;
	}

	/**
	 * Renders once for a burst of changes: an element upgraded with its attributes gets one
	 * `attributeChangedCallback` per attribute before `connectedCallback`, and every render starts
	 * loading a new frame (or mounting the inline UI, with its own record store and sync).
	 */
	#queueRender(): void {
		this.#waitForReady();
		if (this.#renderQueued) return;
		this.#renderQueued = true;
		queueMicrotask(() => {
			this.#renderQueued = false;
			if (this.isConnected) this.#render();
		});
	}

	/**
	 * Makes calls of the JS API wait for the widget. One pending readiness serves every render, so
	 * a call made before a re-render is answered by the new frame rather than left waiting.
	 */
	#waitForReady(): void {
		if (this.#markReady) return;
		this.#ready = new Promise((resolve, reject) => {
			this.#markReady = () => {
				this.#markReady = this.#markFailed = undefined;
				resolve();
			};
			// A widget that cannot be shown answers every call with its reason, at once.
			this.#markFailed = (error) => {
				this.#markReady = this.#markFailed = undefined;
				reject(error);
			};
		});
		this.#ready.catch(() => undefined);
	}

	/** Why the widget cannot be shown (`{ code, message }`, as in `assent:error`), or null. */
	get error(): AssentProblem | null {
		return this.#error && { ...this.#error };
	}

	/**
	 * Shows a problem in place of the widget, keeps it in `error`, fails waiting calls and tells
	 * the host page. The event waits for the page to be parsed and then for a task of its own:
	 * an element upgraded while the parser meets it checks its attributes before the next script
	 * runs, and a listener that script adds must still hear of the problem.
	 */
	#fail(code: string, message: string): void {
		this.#message(message);
		this.#refuse({ code, message });
		const run = this.#run;
		const dispatch = () => {
			if (run === this.#run && this.isConnected) this.#emit('assent:error', { code, message });
		};
		if (document.readyState === 'loading') {
			document.addEventListener('DOMContentLoaded', () => setTimeout(dispatch), { once: true });
		} else setTimeout(dispatch);
	}

	/** Keeps the problem in `error` and fails every call waiting for the widget with its code. */
	#refuse(problem: AssentProblem): void {
		clearTimeout(this.#timer);
		this.#error = problem;
		this.#markFailed?.(codedError(problem.code, problem.message));
	}

	#emit(name: string, detail: unknown): void {
		this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
	}

	/** Where the subject stands; answered by the frame from the records of this browser. */
	status(): Promise<AssentStatus> {
		return this.#call('status') as Promise<AssentStatus>;
	}

	/** The records of this browser for this element's statements, partner and subject. */
	records(): Promise<AcceptanceRecord[]> {
		return this.#call('records') as Promise<AcceptanceRecord[]>;
	}

	/** Pushes pending records now; resolves with what is still pending and the sync's state. */
	sync(): Promise<AssentSyncResult> {
		return this.#call('sync') as Promise<AssentSyncResult>;
	}

	#message(text: string): void {
		const p = document.createElement('p');
		p.setAttribute('part', 'message');
		p.setAttribute('role', 'alert');
		p.textContent = text;
		this.#root.replaceChildren(...shadowStyles(this.#root, STYLE), p);
	}

	#render(): void {
		this.#teardown();
		this.#run++;
		this.#error = null;
		this.#waitForReady();
		const request = readAttributes({ element: this, scriptOrigin });
		if (typeof request === 'string') return this.#fail('widget/attribute', request);
		this.#origin = request.base.origin;
		if (request.inline) return this.#renderInline(request);
		// Only what the frame checks before it speaks (who may embed it) goes into its address; the
		// subject, locale and the rest follow in the `init` message, of any length.
		const query = new URLSearchParams({ mode: request.mode, origin: location.origin });
		if (request.partner) query.set('partner', request.partner);
		const { statements, base } = request;
		if (statements.length > 1) query.set('statements', statements.join(','));
		const frame = document.createElement('iframe');
		frame.setAttribute('part', 'frame');
		frame.title = this.getAttribute('frame-title') ?? 'Consent';
		frame.src = new URL(`/embed/${statements[0]}/?${query}`, base).href;
		// In the page first: its request starts now, while the rest is set up. It can say
		// nothing before its page has loaded, a task later than this one.
		this.#root.replaceChildren(...shadowStyles(this.#root, STYLE), frame);
		this.#frame = frame;
		// Only the frame this element made, on the statements origin, speaks to it.
		this.#channel = createChannel({
			endpoint: windowEndpoint({
				self: window,
				peer: () => frame.contentWindow,
				origin: this.#origin
			}),
			onMessage: (data) => this.#onMessage(frame, data)
		});
		serveFrame({ channel: this.#channel, origin: this.#origin, adapter: () => adapter });
		// A statement id the site does not know loads its "not found" page, which never says
		// ready: a few seconds after the frame loaded, the site's index tells the developer so.
		const run = this.#run;
		frame.addEventListener(
			'load',
			() => setTimeout(() => void this.#checkStatements(run, base, statements), 3000),
			{ once: true }
		);
		this.#timer = setTimeout(() => {
			const message = `The statements site ${base.origin} did not answer. Check the base attribute and that the site is online; nothing was recorded.`;
			this.#fail('widget/unreachable', message);
		}, READY_TIMEOUT_MS);
	}

	async #checkStatements(run: number, base: URL, statements: string[]): Promise<void> {
		if (run !== this.#run || !this.#markReady) return;
		const index = (await fetch(new URL('/statements/index.json', base))
			.then((r) => r.json())
			.catch(() => undefined)) as { statements?: { id: string }[] } | undefined;
		const unknown = statements.filter((id) => !index?.statements?.some((s) => s.id === id));
		if (run !== this.#run || !this.#markReady || !index?.statements || !unknown.length) return;
		this.#fail(
			'widget/unknown-statement',
			`The statements site ${base.origin} has no statement "${unknown.join('", "')}". Check the statement attribute against ${base.origin}/statements/index.json; nothing was recorded.`
		);
	}

	#renderInline(request: ElementRequest): void {
		this.#root.replaceChildren(...shadowStyles(this.#root, STYLE));
		const run = this.#run;
		loadInline({
			...request,
			root: this.#root,
			settings: readSettings({ element: this, hostAdapter: adapter !== undefined }),
			hostAdapter: adapter,
			emit: (name, detail) => this.#emit(name, detail)
		}).then(
			(inline) => {
				if (run !== this.#run) return inline.stop();
				this.#inline = inline;
				this.#markReady?.();
			},
			(error: { code?: string; message?: string }) => {
				if (run !== this.#run) return;
				this.#fail(error?.code ?? 'widget/unreachable', error?.message ?? String(error));
			}
		);
	}

	#post(message: HostMessage): void {
		this.#frame?.contentWindow?.postMessage(message, this.#origin);
	}

	/** A JS API call: rejects with an error carrying a `code`, whatever went wrong. */
	async #call(call: WidgetCall): Promise<unknown> {
		await this.#ready;
		// Both answer with errors that carry a code (inline.ts gives its own one).
		if (this.#inline) return this.#inline.call(call);
		if (!this.#channel) throw codedError('channel/closed', GONE);
		return this.#channel.request(call);
	}

	#onMessage(frame: HTMLIFrameElement, data: unknown): void {
		const message = readFrameMessage(data);
		if (!message) return;
		switch (message.type) {
			case 'ready':
				clearTimeout(this.#timer);
				this.#post({
					protocol: PROTOCOL,
					type: 'init',
					settings: readSettings({ element: this, hostAdapter: adapter !== undefined })
				});
				this.#markReady?.();
				break;
			case 'resize': {
				const height = `${Math.ceil(message.height)}px`;
				frame.style.setProperty('--assent-height', height);
				frame.style.height = height;
				break;
			}
			case 'event': {
				// An error before the frame is ready is a refusal (origin, attributes): calls fail.
				const detail = message.detail as AssentProblem;
				if (message.name === 'assent:error' && this.#markFailed) {
					this.#refuse({ code: String(detail?.code), message: String(detail?.message) });
				}
				this.#emit(message.name, message.detail);
				break;
			}
			case 'lock': {
				// Only a frame without storage asks: its records, and so its lock, are kept here.
				const run = this.#run;
				void hostStore(this.#origin).then((store) => {
					if (run !== this.#run) return;
					this.#lock = store.holdLock({
						hold: message.hold,
						held: this.#lock,
						granted: () => this.#post({ protocol: PROTOCOL, type: 'locked' })
					});
				});
				break;
			}
		}
	}
}

if (!customElements.get(TAG)) customElements.define(TAG, AssentConsent);

// `<assent-consent>` in HTMLElementTagNameMap: static/widget/assent.d.ts, pinned to this source.
