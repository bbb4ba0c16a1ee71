/**
 * `/widget/assent.js`: the module partner pages load. It defines `<assent-consent>` and mounts
 * the consent UI in an iframe on the statements origin, so the host page can neither read nor
 * forge the customer's click. It is kept small (no Svelte, no Dexie): the UI, the record store
 * and the sync engine live in the frame.
 */
import {
	PROTOCOL,
	THEME_PROPERTIES,
	WIDGET_MODES,
	isSafeThemeValue,
	readFrameMessage,
	type HostMessage,
	type WidgetCall,
	type WidgetSettings
} from '../lib/core/widget-protocol';
import { shadowStyles } from './styles';

/** A backend other than the HTTP wire protocol (SPEC section 7). */
export interface AssentAdapter {
	push(
		records: unknown[],
		options?: { signal?: AbortSignal }
	):
		| Promise<{ accepted: unknown[]; rejected: unknown[] }>
		| { accepted: unknown[]; rejected: unknown[] };
}

/** Where a subject stands with the element's statements and partner. */
export interface AssentStatus {
	statements: {
		id: string;
		inForce?: string;
		accepted?: string;
		needed: boolean;
		reason: string;
	}[];
	associated?: boolean;
	since?: string;
	pending: number;
}

interface Inline {
	call(call: WidgetCall): Promise<unknown>;
	stop(): void;
}

const TAG = 'assent-consent';
/** How long the frame may take to say it is ready before the element reports it unreachable. */
const READY_TIMEOUT_MS = 20_000;
const scriptOrigin = new URL(import.meta.url).origin;
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

/** A problem that keeps the widget from being shown: the detail of its `assent:error`. */
export interface AssentProblem {
	code: string;
	message: string;
}

const STYLE = `:host{display:block;min-width:0}:host([hidden]){display:none}iframe{display:block;width:100%;height:var(--assent-height,12rem);border:0;color-scheme:normal;background:transparent}[part=message]{margin:0;padding:.75rem 1rem;border:1px solid #b42318;border-radius:.5rem;color:#7a271a;background:#fef3f2;font:1rem/1.5 system-ui,sans-serif}`;

export class AssentConsent extends HTMLElement {
	static observedAttributes = ['statement', 'mode', 'partner', 'subject', 'locale', 'base'];

	#root: ShadowRoot;
	#frame: HTMLIFrameElement | undefined;
	#origin = '';
	#timer: ReturnType<typeof setTimeout> | undefined;
	#calls = new Map<string, { resolve: (value: unknown) => void; reject: (e: Error) => void }>();
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

	#listener = (event: MessageEvent) => void this.#onMessage(event);

	connectedCallback(): void {
		window.addEventListener('message', this.#listener);
		this.#queueRender();
	}

	disconnectedCallback(): void {
		window.removeEventListener('message', this.#listener);
		this.#inline?.stop();
		this.#inline = undefined;
		clearTimeout(this.#timer);
		this.#lock?.abort();
		for (const call of this.#calls.values()) call.reject(new Error('The element was removed.'));
		this.#calls.clear();
	}

	attributeChangedCallback(_name: string, old: string | null, value: string | null): void {
		if (old !== value && this.isConnected) this.#queueRender();
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
		this.#error = { code, message };
		this.#markFailed?.(Object.assign(new Error(message), { code }));
		const run = this.#run;
		const dispatch = () => {
			if (run !== this.#run || !this.isConnected) return;
			this.dispatchEvent(
				new CustomEvent('assent:error', {
					detail: { code, message },
					bubbles: true,
					composed: true
				})
			);
		};
		if (document.readyState === 'loading') {
			document.addEventListener('DOMContentLoaded', () => setTimeout(dispatch), { once: true });
		} else setTimeout(dispatch);
	}

	/** Where the subject stands; answered by the frame from the records of this browser. */
	status(): Promise<AssentStatus> {
		return this.#call('status') as Promise<AssentStatus>;
	}

	/** The records of this browser for this element's statements, partner and subject. */
	records(): Promise<unknown[]> {
		return this.#call('records') as Promise<unknown[]>;
	}

	/** Pushes pending records now; resolves with the sync state. */
	sync(): Promise<unknown> {
		return this.#call('sync');
	}

	#message(text: string): void {
		const p = document.createElement('p');
		p.setAttribute('part', 'message');
		p.setAttribute('role', 'alert');
		p.textContent = text;
		this.#root.replaceChildren(...shadowStyles(this.#root, STYLE), p);
	}

	#render(): void {
		clearTimeout(this.#timer);
		this.#lock?.abort();
		this.#frame = undefined;
		this.#inline?.stop();
		this.#inline = undefined;
		this.#run++;
		this.#error = null;
		this.#waitForReady();
		const statements = (this.getAttribute('statement') ?? '')
			.split(',')
			.map((s) => s.trim())
			.filter(Boolean);
		const mode = this.getAttribute('mode') ?? 'accept';
		const partner = this.getAttribute('partner') ?? '';
		const subject = this.getAttribute('subject') ?? '';
		const problem =
			statements.length === 0 || statements.some((s) => !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(s))
				? 'The statement attribute must name one statement id, or several separated by commas, such as statement="partner-association".'
				: !(WIDGET_MODES as readonly string[]).includes(mode) && mode !== 'api'
					? `The mode attribute must be "accept" or "associate"; got "${mode}".`
					: mode === 'associate' && !partner
						? 'mode="associate" needs a partner attribute with a partner id from partners.yaml.'
						: mode === 'associate' && !subject.trim()
							? 'mode="associate" needs a subject attribute: your opaque id of the signed-in customer.'
							: !['iframe', 'inline', null].includes(this.getAttribute('embed'))
								? 'The embed attribute must be "iframe" (the default) or "inline".'
								: undefined;
		let base: URL | undefined;
		try {
			base = new URL(this.getAttribute('base') ?? scriptOrigin);
		} catch {
			base = undefined;
		}
		if (problem || !base || !/^https?:$/.test(base.protocol)) {
			const message =
				problem ?? 'The base attribute must be the http(s) address of the statements site.';
			this.#fail('widget/attribute', message);
			return;
		}
		this.#origin = base.origin;
		if (this.getAttribute('embed') === 'inline') {
			this.#renderInline({ base, statements, mode, partner, subject });
			return;
		}
		const query = new URLSearchParams({ mode, origin: location.origin });
		if (partner) query.set('partner', partner);
		if (subject) query.set('subject', subject);
		query.set('locale', this.#locale());
		if (statements.length > 1) query.set('statements', statements.join(','));
		const frame = document.createElement('iframe');
		frame.setAttribute('part', 'frame');
		frame.title = this.getAttribute('frame-title') ?? 'Consent';
		frame.src = new URL(`/embed/${statements[0]}/?${query}`, base).href;
		this.#frame = frame;
		// A statement id the site does not know loads its "not found" page, which never says
		// ready: a few seconds after the frame loaded, the site's index tells the developer so.
		const run = this.#run;
		frame.addEventListener(
			'load',
			() => setTimeout(() => void this.#checkStatements(run, base, statements), 3000),
			{ once: true }
		);
		this.#root.replaceChildren(...shadowStyles(this.#root, STYLE), frame);
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
		clearTimeout(this.#timer);
		this.#fail(
			'widget/unknown-statement',
			`The statements site ${base.origin} has no statement "${unknown.join('", "')}". Check the statement attribute against ${base.origin}/statements/index.json; nothing was recorded.`
		);
	}

	#renderInline(options: {
		base: URL;
		statements: string[];
		mode: string;
		partner: string;
		subject: string;
	}): void {
		this.#root.replaceChildren(...shadowStyles(this.#root, STYLE));
		const run = this.#run;
		import(/* @vite-ignore */ new URL('/widget/inline.js', options.base).href)
			.then((module: { mountInline: (o: unknown) => Promise<Inline> }) =>
				module.mountInline({
					root: this.#root,
					base: options.base.href,
					statementIds: options.statements,
					mode: options.mode,
					partner: options.partner || undefined,
					subject: options.subject,
					locale: this.#locale(),
					settings: this.#settings(),
					hostAdapter: adapter,
					emit: (name: string, detail: unknown) =>
						this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }))
				})
			)
			.then(
				(inline) => {
					if (run !== this.#run) return inline.stop();
					this.#inline = inline;
					this.#markReady?.();
				},
				(error: { code?: string; message?: string }) => {
					if (run !== this.#run) return;
					const message = error?.message ?? String(error);
					this.#fail(error?.code ?? 'widget/unreachable', message);
				}
			);
	}

	#locale(): string {
		return this.getAttribute('locale') || document.documentElement.lang || navigator.language;
	}

	#post(message: HostMessage): void {
		this.#frame?.contentWindow?.postMessage(message, this.#origin);
	}

	#settings(): WidgetSettings {
		const computed = getComputedStyle(this);
		const theme: Record<string, string> = {};
		for (const name of THEME_PROPERTIES) {
			const value = computed.getPropertyValue(name).trim();
			if (value && isSafeThemeValue(value)) theme[name] = value;
		}
		const attr = (name: string) => this.getAttribute(name) ?? undefined;
		return {
			subject: attr('subject'),
			subjectToken: attr('subject-token'),
			syncUrl: attr('sync-url') && new URL(attr('sync-url')!, location.href).href,
			requireScroll: this.hasAttribute('require-scroll'),
			allowDecline: this.hasAttribute('allow-decline'),
			hostAdapter: adapter !== undefined,
			theme
		};
	}

	async #call(call: WidgetCall): Promise<unknown> {
		await this.#ready;
		if (this.#inline) return this.#inline.call(call);
		const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
		return new Promise((resolve, reject) => {
			this.#calls.set(id, { resolve, reject });
			this.#post({ protocol: PROTOCOL, type: 'call', id, call });
		});
	}

	async #onMessage(event: MessageEvent): Promise<void> {
		// Only the frame this element made, on the statements origin, speaks to it.
		if (!this.#frame || event.source !== this.#frame.contentWindow) return;
		if (event.origin !== this.#origin) return;
		const message = readFrameMessage(event.data);
		if (!message) return;
		switch (message.type) {
			case 'ready':
				clearTimeout(this.#timer);
				this.#post({ protocol: PROTOCOL, type: 'init', settings: this.#settings() });
				this.#markReady?.();
				break;
			case 'resize':
				this.#frame.style.setProperty('--assent-height', `${Math.ceil(message.height)}px`);
				this.#frame.style.height = `${Math.ceil(message.height)}px`;
				break;
			case 'event':
				// An error before the frame is ready is a refusal (origin, attributes): calls fail.
				if (message.name === 'assent:error' && this.#markFailed) {
					clearTimeout(this.#timer);
					const detail = message.detail as { code?: string; message?: string };
					this.#error = { code: String(detail?.code), message: String(detail?.message) };
					this.#markFailed(Object.assign(new Error(detail?.message), { code: detail?.code }));
				}
				this.dispatchEvent(
					new CustomEvent(message.name, { detail: message.detail, bubbles: true, composed: true })
				);
				break;
			case 'answer': {
				const call = this.#calls.get(message.id);
				this.#calls.delete(message.id);
				if (message.error !== undefined) call?.reject(new Error(message.error));
				else call?.resolve(message.result);
				break;
			}
			case 'store': {
				// The frame's own storage was refused: it keeps its records here, on the host's origin.
				const reply = (answer: { result?: unknown; error?: string }) =>
					this.#post({ protocol: PROTOCOL, type: 'stored', id: message.id, ...answer });
				import(/* @vite-ignore */ new URL('/widget/host-store.js', this.#origin).href)
					.then((store: { operations: Record<string, (args: unknown) => Promise<unknown>> }) =>
						store.operations[message.op]!(message.args)
					)
					.then(
						(result) => reply({ result }),
						(error: unknown) =>
							reply({ error: `${(error as Error)?.name}: ${(error as Error)?.message ?? error}` })
					);
				break;
			}
			case 'lock':
				// The frame may not take Web Locks: this page holds its sync lock, on this origin,
				// where its records are kept; every tab of the site competes for the same one.
				this.#lock?.abort();
				this.#lock = undefined;
				if (message.hold) {
					const held = (this.#lock = new AbortController());
					const granted = () => this.#post({ protocol: PROTOCOL, type: 'locked' });
					if (!navigator.locks) granted();
					else
						navigator.locks
							.request('assent:sync', { signal: held.signal }, () => {
								granted();
								return new Promise((release) => held.signal.addEventListener('abort', release));
							})
							.catch(() => undefined);
				}
				break;
			case 'push': {
				try {
					if (!adapter) throw new Error('No adapter is registered on the host page.');
					const result = await adapter.push(message.records);
					this.#post({ protocol: PROTOCOL, type: 'pushed', id: message.id, result });
				} catch (error) {
					this.#post({
						protocol: PROTOCOL,
						type: 'pushed',
						id: message.id,
						error: error instanceof Error ? error.message : String(error)
					});
				}
				break;
			}
		}
	}
}

if (!customElements.get(TAG)) customElements.define(TAG, AssentConsent);

declare global {
	interface HTMLElementTagNameMap {
		'assent-consent': AssentConsent;
	}
}
