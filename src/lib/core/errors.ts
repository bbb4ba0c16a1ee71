/**
 * Every error Assent raises on purpose. `code` is stable and meant for programs (the widget's
 * `assent:error` event, tests); `message` is for people and says what to fix.
 */
export type AssentErrorCode =
	// content (build time)
	| 'content/front-matter'
	| 'content/field'
	| 'content/file-name'
	| 'content/locale'
	| 'content/order'
	| 'content/duplicate'
	| 'content/consistency'
	| 'content/partners'
	| 'content/site'
	| 'content/lock-changed'
	| 'content/lock-removed'
	| 'content/lock-file'
	| 'content/not-found'
	/** A link or image in a statement leads nowhere (relative, or to a page that does not exist). */
	| 'content/link'
	| 'content/invalid'
	// records (browser)
	/** An act or record field is missing or malformed; `field` names it. */
	| 'record/invalid'
	/** A value cannot be written as canonical JSON (RFC 8785) without changing its meaning. */
	| 'record/not-canonical'
	/** WebCrypto is missing: outside a secure context (https or localhost) browsers hide it. */
	| 'record/no-crypto'
	// the browser's record store
	| 'store/unavailable'
	| 'store/blocked'
	| 'store/quota'
	| 'store/closed'
	| 'store/conflict'
	| 'store/failed'
	// sync
	/** A push failed in a way worth retrying (network, 408, 429, 5xx). */
	| 'sync/retry'
	/** The backend answers, but not to this origin (CORS): its allowed origins need it. */
	| 'sync/cors'
	/** The backend refused records: they are kept, marked rejected with its reason. */
	| 'sync/rejected'
	/** The backend or a custom adapter answered something that is not a push result. */
	| 'sync/bad-response'
	// standing across devices (SPEC section 8)
	/** The backend has no standing endpoint (404): the widget decides from this browser's records. */
	| 'standing/no-endpoint'
	/** The backend refused the subject token for the standing (401, 403). */
	| 'standing/refused'
	/** The standing could not be read now (network, timeout, 408, 429, 5xx): tried again later. */
	| 'standing/unreachable'
	/** The backend answered something that is not a standing. */
	| 'standing/bad-response'
	/** A record of the standing failed its digest or receipt check: ignored, never trusted. */
	| 'standing/record'
	// the widget
	/** An attribute of `<assent-consent>` is missing or malformed; `field` names it. */
	| 'widget/attribute'
	| 'widget/unknown-statement'
	| 'widget/unknown-partner'
	/** The embedding page's origin is not among the partner's `origins` in partners.yaml. */
	| 'widget/origin'
	/** The statements site (or its JSON documents) could not be reached or read. */
	| 'widget/unreachable'
	/** Nothing is in force yet: every version is still announced. */
	| 'widget/nothing-in-force'
	// the channel between the element and its frame
	/** The other side did not answer a request in time. */
	| 'channel/timeout'
	/** The element was removed or the frame replaced while a request waited. */
	| 'channel/closed'
	/** The other side has no handler for the request (an older or newer widget). */
	| 'channel/unknown-method'
	/** The other side failed with an error that had no code of its own. */
	| 'channel/failed';

export interface AssentErrorDetails {
	/** The file the problem is in, relative to the content folder where possible. */
	file?: string;
	/** The field, attribute or key at fault. */
	field?: string;
	/** Several problems reported together (a build lists every content problem at once). */
	problems?: AssentError[];
	/** The error underneath, kept for developers. */
	cause?: unknown;
}

export class AssentError extends Error {
	readonly code: AssentErrorCode;
	readonly file: string | undefined;
	readonly field: string | undefined;
	readonly problems: AssentError[];

	constructor(code: AssentErrorCode, message: string, details: AssentErrorDetails = {}) {
		super(message, details.cause === undefined ? undefined : { cause: details.cause });
		this.name = 'AssentError';
		this.code = code;
		this.file = details.file;
		this.field = details.field;
		this.problems = details.problems ?? [];
	}
}
