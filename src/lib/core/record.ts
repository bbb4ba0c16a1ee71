/**
 * The acceptance record (SPEC section 6): its types, and the patterns its text fields follow.
 * `record-builder.ts` makes records, `record-check.ts` checks values that claim to be one.
 */

/** The `schema` of every record this code writes. A new shape gets a new number. */
export const RECORD_SCHEMA = 'assent.record/1';

export const RECORD_ACTIONS = ['accept', 'decline', 'associate', 'disassociate'] as const;
/** `accept`/`decline` answer a statement; `associate`/`disassociate` link a partner. */
export type RecordAction = (typeof RECORD_ACTIONS)[number];

export const EMBED_KINDS = ['iframe', 'inline', 'page'] as const;
/** Where the consent UI ran: an iframe on the statements origin, the host page, or our own page. */
export type EmbedKind = (typeof EMBED_KINDS)[number];

/**
 * The patterns a record's text fields follow. The JSON Schema (`static/schemas/record.json`)
 * repeats them and a test keeps the two the same.
 */
// ASCII classes and plain groups only: JSON Schema validators in other languages read these too.
export const RECORD_PATTERNS = {
	/** `toISOString()` output: UTC, with milliseconds. */
	at: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$',
	/** `sha256:` and 64 lowercase hex digits (statement hashes, digests, `prev`). */
	sha256: '^sha256:[0-9a-f]{64}$',
	/** As in the content folder: lowercase `a-z0-9-`, no dash at either end. */
	statementId: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$',
	/** Dotted numbers, as in `version.ts`. */
	version: '^[0-9]+(\\.[0-9]+)*$',
	/** The shape of a BCP 47 tag; the code also requires its canonical spelling (`zh-CN`). */
	locale: '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$',
	/** As in `partners.yaml`. */
	partner: '^[a-z0-9][a-z0-9-]*$',
	/** An absolute http(s) URL; the code also requires that it parses. */
	url: '^https?://\\S+$',
	/** A web origin: scheme, host and port only; the code also requires its serialized form. */
	origin: '^https?://[^/?#\\s]+$',
	widget: '^assent/\\S+$',
	/** Any text with something other than white space in it. */
	nonBlank: '\\S'
} as const;

/** The statement version the act answered, as published (SPEC sections 2 and 3). */
export interface RecordStatement {
	/** The statement id, e.g. `partner-association`. */
	id: string;
	/** The version shown, e.g. `1.1`. */
	version: string;
	/** The locale shown, a canonical BCP 47 tag (`en`, `zh-CN`). */
	locale: string;
	/** The published hash of that version and locale: `sha256:` + 64 lowercase hex digits. */
	hash: string;
	/** The absolute http(s) URL of that version's page. */
	url: string;
}

/** How the statement was put in front of the customer. */
export interface RecordPresentation {
	embed: EmbedKind;
	/** The origin of the page the customer was on, e.g. `https://partner.example`. */
	origin: string;
	/** The exact words next to the checkbox or on the button, as shown. */
	label: string;
	/** Whether the customer scrolled the statement to its end; absent when not tracked. */
	scrolledToEnd?: boolean;
	/**
	 * Whether the browser reported the widget visibly shown, unobscured, when the customer
	 * answered (IntersectionObserver v2, in the frame): `true`, or `"unknown"` where it cannot
	 * tell (other browsers, inline mode). The widget refuses to record while it is not shown, so
	 * `false` is not written by it. Absent in records made before it was tracked.
	 */
	visible?: boolean | 'unknown';
}

export interface RecordClient {
	/** `navigator.userAgent`; may be empty where a browser withholds it. */
	userAgent: string;
	/** `assent/<version>` of the widget that wrote the record. */
	widget: string;
}

interface ActFields {
	/** The host's opaque id of the customer. Never interpreted. */
	subject: string;
	/** An opaque assertion of the subject from the partner's backend, for the backend to check. */
	subjectToken?: string;
	statement: RecordStatement;
	presentation: RecordPresentation;
	client: RecordClient;
}

/** An answer to a statement; `partner` says on whose site, when that matters. */
export interface StatementAct extends ActFields {
	action: 'accept' | 'decline';
	/** A partner id from `partners.yaml`. @default null */
	partner?: string | null;
}

/** A link to a partner made or ended; the partner is what the act is about. */
export interface PartnerAct extends ActFields {
	action: 'associate' | 'disassociate';
	/** A partner id from `partners.yaml`. */
	partner: string;
}

/** What the customer did: everything in a record that is not bookkeeping. */
export type Act = StatementAct | PartnerAct;

interface RecordFields extends ActFields {
	schema: typeof RECORD_SCHEMA;
	/** A UUIDv7 whose time is `at` (later when the clock went back: ids sort in creation order); the backend's idempotency key. */
	id: string;
	/** When the act happened by this browser's clock: ISO 8601, UTC, milliseconds. */
	at: string;
	/** This browser's sequence number: 1 for its first record, then one more each time. */
	seq: number;
	/** The previous record's `digest`; `null` only for `seq` 1. */
	prev: string | null;
	/** `sha256:` + hex SHA-256 of the canonical JSON (RFC 8785) of the record without `digest`. */
	digest: string;
}

export interface StatementActRecord extends RecordFields {
	action: 'accept' | 'decline';
	/** Always present, `null` when no partner was involved, so one meaning has one spelling. */
	partner: string | null;
}

export interface PartnerActRecord extends RecordFields {
	action: 'associate' | 'disassociate';
	partner: string;
}

/** One act, append-only, never edited (SPEC section 6). */
export type AcceptanceRecord = StatementActRecord | PartnerActRecord;

/** A record before its digest is known (or with it ignored). */
export type UnsignedRecord = Omit<StatementActRecord, 'digest'> | Omit<PartnerActRecord, 'digest'>;
