/**
 * Types for partner sites that embed Assent's widget: download this file next to your code
 * (it is served at /widget/assent.d.ts) and reference it, or declare the module path you load.
 * Pinned to the widget's source by src/entries/assent-types.spec.ts.
 */

/** The attributes of `<assent-consent>` (SPEC section 5). */
export interface AssentConsentAttributes {
	/** One statement id, or several separated by commas (one record each). */
	statement: string;
	/** `accept`: checkbox and confirm; `associate`: associate with `partner`. @default "accept" */
	mode?: 'accept' | 'associate';
	/** A partner id from the statements site's partners.json. */
	partner?: string;
	/** Your opaque id of the customer; required for `associate`. */
	subject?: string;
	/** An opaque assertion of the subject from your backend, carried in the record. */
	'subject-token'?: string;
	/** `en`, `zh-CN`, …  @default the page's `lang`, then the browser's language */
	locale?: string;
	/** The statements site. @default the origin that served assent.js */
	base?: string;
	/** Where records are pushed (SPEC section 7); without it they stay in the browser. */
	'sync-url'?: string;
	/** `iframe` keeps the customer's click out of the host page's reach. @default "iframe" */
	embed?: 'iframe' | 'inline';
	/** The checkbox stays disabled until the statement was scrolled to its end. */
	'require-scroll'?: boolean | '';
	/** Offer a decline button (accept mode). */
	'allow-decline'?: boolean | '';
}

/** One acceptance record (SPEC section 6; JSON Schema at /schemas/record.json). */
export interface AssentRecord {
	schema: 'assent.record/1';
	id: string;
	action: 'accept' | 'decline' | 'associate' | 'disassociate';
	at: string;
	seq: number;
	subject: string;
	subjectToken?: string;
	partner: string | null;
	statement: { id: string; version: string; locale: string; hash: string; url: string };
	presentation: {
		embed: 'iframe' | 'inline' | 'page';
		origin: string;
		label: string;
		scrolledToEnd?: boolean;
	};
	client: { userAgent: string; widget: string };
	prev: string | null;
	digest: string;
}

export interface AssentEventMap {
	'assent:ready': CustomEvent<{ statements: { id: string; version: string; needed: boolean }[] }>;
	'assent:accept': CustomEvent<{ record: AssentRecord }>;
	'assent:decline': CustomEvent<{ record: AssentRecord }>;
	'assent:associate': CustomEvent<{ record: AssentRecord }>;
	'assent:disassociate': CustomEvent<{ record: AssentRecord }>;
	'assent:sync': CustomEvent<{ ids: string[] }>;
	'assent:error': CustomEvent<{ code: string; message: string }>;
}

/**
 * A record that decided `status()`: made in this browser (`local`), or by the subject on another
 * device and read from the backend's standing (`remote`, its digest and receipt checked).
 */
export interface AssentDecidingRecord {
	id: string;
	source: 'local' | 'remote';
}

/**
 * Whether the backend was asked where the subject stands (SPEC section 8: with `subject-token`
 * and `sync-url`). When not, `status()` comes from this browser's records and `reason` says why.
 */
export type AssentBackendCheck =
	| {
			checked: true;
			/** When the standing was read. */
			at: string;
			/** Records of the subject's other devices that count. */
			records: number;
			/** Records of the standing that failed their digest or receipt check (`standing/record`). */
			ignored: number;
	  }
	| {
			checked: false;
			reason:
				| 'no-token'
				| 'no-backend'
				| 'offline'
				| 'no-endpoint'
				| 'token-refused'
				| 'bad-response'
				| 'key-unavailable'
				| 'checking';
			message?: string;
	  };

/** What `status()` answers: where the subject stands, from this browser and its other devices. */
export interface AssentStatus {
	subject: string;
	statements: {
		id: string;
		inForce?: string;
		accepted?: string;
		needed: boolean;
		reason: string;
		/** The acceptance that decided it. */
		decidedBy?: AssentDecidingRecord;
	}[];
	/** Present when the element names a partner. */
	associated?: boolean;
	since?: string;
	/** Every record that decided the answer: the statements' acceptances and the association act. */
	decidedBy: AssentDecidingRecord[];
	/** Whether the backend's standing was read. */
	backend: AssentBackendCheck;
	/** Records of this browser not yet acknowledged by a backend. */
	pending: number;
}

/**
 * What `sync()` answers, with or without a backend: the records still pending, and the sync's
 * state (`off`: the element has neither `sync-url` nor a registered adapter, so records stay in
 * the browser).
 */
export interface AssentSyncResult {
	pending: number;
	status: 'idle' | 'syncing' | 'waiting' | 'offline' | 'follower' | 'stopped' | 'off';
}

/** Why the widget cannot be shown: the detail of its `assent:error` event. */
export interface AssentProblem {
	/** `widget/attribute`, `widget/origin`, `widget/unknown-partner`, `widget/unknown-statement`, `widget/unreachable`, … */
	code: string;
	/** What is wrong and what to fix. */
	message: string;
}

export interface AssentConsentElement extends HTMLElement {
	/**
	 * The problem that keeps the widget from being shown, or null. Set as soon as the element has
	 * checked its attributes (before `assent:error` fires, which waits until the page is parsed);
	 * cleared when its attributes change.
	 */
	readonly error: AssentProblem | null;
	/** Calls reject with an error carrying a `code` (as in `assent:error`), whatever failed. */
	status(): Promise<AssentStatus>;
	records(): Promise<AssentRecord[]>;
	/** Pushes pending records now. */
	sync(): Promise<AssentSyncResult>;
	addEventListener<K extends keyof AssentEventMap>(
		type: K,
		listener: (this: AssentConsentElement, event: AssentEventMap[K]) => void,
		options?: boolean | AddEventListenerOptions
	): void;
	addEventListener(
		type: string,
		listener: EventListenerOrEventListenerObject,
		options?: boolean | AddEventListenerOptions
	): void;
}

/** A backend other than the HTTP wire protocol. */
export interface AssentAdapter {
	push(
		records: AssentRecord[],
		options?: { signal?: AbortSignal }
	):
		| Promise<{ accepted: (string | { id: string })[]; rejected: { id: string; reason: string }[] }>
		| { accepted: (string | { id: string })[]; rejected: { id: string; reason: string }[] };
	/**
	 * Optional (SPEC section 8): the records your backend holds for `subject`, read with its
	 * subject token, each with `receivedAt` and the backend's signed receipt. Throw when the
	 * token is refused. The widget itself reads standings from `sync-url` only
	 * (`GET <sync-url>/standing`), where it also finds the key that checks the receipts.
	 */
	standing?(
		subject: string,
		token: string,
		options?: { signal?: AbortSignal }
	):
		| Promise<{ records: { record: AssentRecord; receivedAt?: string; receipt?: unknown }[] }>
		| { records: { record: AssentRecord; receivedAt?: string; receipt?: unknown }[] };
}

export function registerAdapter(adapter: AssentAdapter | undefined): void;

declare global {
	interface HTMLElementTagNameMap {
		'assent-consent': AssentConsentElement;
	}
	// Declaration merging: the element's events become known to addEventListener everywhere.
	// eslint-disable-next-line @typescript-eslint/no-empty-object-type
	interface HTMLElementEventMap extends AssentEventMap {}
	// React (react/jsx-runtime reads the global JSX namespace in older setups).
	namespace JSX {
		interface IntrinsicElements {
			'assent-consent': Partial<AssentConsentAttributes> & {
				ref?: unknown;
				id?: string;
				class?: string;
				className?: string;
				style?: unknown;
			};
		}
	}
}

// Svelte: elements are typed through svelte/elements.
declare module 'svelte/elements' {
	interface SvelteHTMLElements {
		'assent-consent': Partial<AssentConsentAttributes> & {
			'onassent:accept'?: (event: AssentEventMap['assent:accept']) => void;
			'onassent:decline'?: (event: AssentEventMap['assent:decline']) => void;
			'onassent:associate'?: (event: AssentEventMap['assent:associate']) => void;
			'onassent:disassociate'?: (event: AssentEventMap['assent:disassociate']) => void;
			'onassent:sync'?: (event: AssentEventMap['assent:sync']) => void;
			'onassent:error'?: (event: AssentEventMap['assent:error']) => void;
			id?: string;
			class?: string;
			style?: string;
		};
	}
}
