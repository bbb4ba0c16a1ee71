import { recordDigest, SHA256_REF_PATTERN } from './digest';
import { AssentError } from './errors';
import { isUuidV7, uuidv7 } from './uuid';
import { isVersion } from './version';

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
	sha256: SHA256_REF_PATTERN,
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

const PATTERN = Object.fromEntries(
	Object.entries(RECORD_PATTERNS).map(([name, source]) => [name, new RegExp(source)])
) as Record<keyof typeof RECORD_PATTERNS, RegExp>;

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

/** The head of the chain a new record extends. */
export interface ChainHead {
	/** The previous record's digest. */
	digest: string;
	/** The previous record's sequence number. */
	seq: number;
}

export interface BuildRecordOptions {
	/** What the customer did. Checked strictly: a bad field throws `AssentError` `record/invalid`. */
	act: Act;
	/** The newest record of this browser, or `null` for its first record. */
	prev: ChainHead | null;
	/** The instant of the act. @default new Date() */
	now?: Date;
	/** The record id, for imports and tests; must be a UUIDv7. @default uuidv7(now) */
	id?: string;
}

/**
 * Builds the record of an act: fills `schema`, `id`, `at`, `seq` and `prev`, then the digest.
 * Pure apart from the clock and WebCrypto; storing the record is the caller's job.
 *
 * Throws `AssentError` (`record/invalid`) naming the first bad field and how to fix it, and
 * `record/no-crypto` where WebCrypto is missing.
 */
export async function buildRecord(options: BuildRecordOptions): Promise<AcceptanceRecord> {
	const problem = actProblem(options.act);
	if (problem) throw invalid(problem, { within: 'act' });
	const { act, prev } = options;

	if (prev !== null) {
		if (typeof prev !== 'object' || !PATTERN.sha256.test(String(prev.digest))) {
			throw invalid({
				field: 'prev.digest',
				message: `expected the previous record's digest ("sha256:" and 64 lowercase hex digits), or prev: null for the first record; got ${shown(prev?.digest)}.`
			});
		}
		if (!isSequenceNumber(prev.seq)) {
			throw invalid({
				field: 'prev.seq',
				message: `expected the previous record's seq, an integer of at least 1; got ${shown(prev.seq)}.`
			});
		}
	}

	const now = options.now ?? new Date();
	const time = now instanceof Date ? now.getTime() : NaN;
	// From 1970 because a UUIDv7 cannot hold earlier times; to 9999 because later years would
	// make toISOString() write six digits with a sign.
	const at = time >= 0 ? now.toISOString() : '';
	if (!PATTERN.at.test(at)) {
		throw invalid({
			field: 'now',
			message: 'expected a valid Date between the years 1970 and 9999.'
		});
	}

	const id = options.id ?? uuidv7(now);
	if (!isUuidV7(id)) {
		throw invalid({
			field: 'id',
			message: `expected a lowercase UUIDv7 (leave it out to get a new one); got ${shown(id)}.`
		});
	}

	const { statement, presentation, client } = act;
	// Built field by field, in the SPEC's order, so nothing the caller added rides along.
	const unsigned = {
		schema: RECORD_SCHEMA,
		id,
		action: act.action,
		at,
		seq: prev ? prev.seq + 1 : 1,
		subject: act.subject,
		...(act.subjectToken !== undefined ? { subjectToken: act.subjectToken } : {}),
		partner: act.partner ?? null,
		statement: {
			id: statement.id,
			version: statement.version,
			locale: statement.locale,
			hash: statement.hash,
			url: statement.url
		},
		presentation: {
			embed: presentation.embed,
			origin: presentation.origin,
			label: presentation.label,
			...(presentation.scrolledToEnd !== undefined
				? { scrolledToEnd: presentation.scrolledToEnd }
				: {})
		},
		client: { userAgent: client.userAgent, widget: client.widget },
		prev: prev ? prev.digest : null
	} as UnsignedRecord;
	return { ...unsigned, digest: await recordDigest(unsigned) } as AcceptanceRecord;
}

/** A field that breaks the record rules, and what was expected of it. */
export interface RecordProblem {
	/** A dotted path such as `statement.hash`; empty for the value as a whole. */
	field: string;
	/** What is wrong and what is expected, in words for people. */
	message: string;
}

/**
 * The first field of `value` that is not a valid act, or `undefined` when it is one. For input
 * that crosses a trust boundary (postMessage, the JS API) before `buildRecord` sees it.
 */
export function actProblem(value: unknown): RecordProblem | undefined {
	return fieldsProblem(value, 'act');
}

/**
 * The first field of `value` that breaks the record shape (the TypeScript type and
 * `static/schemas/record.json`), or `undefined`. Checks shape only: the digest and the chain
 * are `verifyChain`'s job.
 */
export function recordProblem(value: unknown): RecordProblem | undefined {
	return fieldsProblem(value, 'record');
}

/** Whether `value` has the shape of a record. Does not check its digest. */
export function isAcceptanceRecord(value: unknown): value is AcceptanceRecord {
	return recordProblem(value) === undefined;
}

const ACT_KEYS = [
	'action',
	'subject',
	'subjectToken',
	'partner',
	'statement',
	'presentation',
	'client'
];
const RECORD_KEYS = ['schema', 'id', 'at', 'seq', 'prev', 'digest', ...ACT_KEYS];
const STATEMENT_KEYS = ['id', 'version', 'locale', 'hash', 'url'];
const PRESENTATION_KEYS = ['embed', 'origin', 'label', 'scrolledToEnd'];
const CLIENT_KEYS = ['userAgent', 'widget'];

function fieldsProblem(value: unknown, kind: 'act' | 'record'): RecordProblem | undefined {
	const problem = (field: string, message: string): RecordProblem => ({ field, message });

	const top = objectProblem(value, '', kind === 'act' ? ACT_KEYS : RECORD_KEYS);
	if (top) return top;
	const v = value as Record<string, unknown>;

	if (kind === 'record') {
		if (v.schema !== RECORD_SCHEMA) {
			return problem('schema', `expected "${RECORD_SCHEMA}"; got ${shown(v.schema)}.`);
		}
		if (!isUuidV7(v.id)) return problem('id', `expected a lowercase UUIDv7; got ${shown(v.id)}.`);
		if (!isInstant(v.at)) {
			return problem(
				'at',
				`expected an ISO 8601 UTC time with milliseconds, e.g. "2026-11-24T06:30:00.123Z"; got ${shown(v.at)}.`
			);
		}
		if (!isSequenceNumber(v.seq)) {
			return problem('seq', `expected an integer of at least 1; got ${shown(v.seq)}.`);
		}
		if (v.prev !== null && !isMatch(v.prev, 'sha256')) {
			return problem(
				'prev',
				`expected the previous record's digest ("sha256:" and 64 lowercase hex digits) or null; got ${shown(v.prev)}.`
			);
		}
		if (!isMatch(v.digest, 'sha256')) {
			return problem(
				'digest',
				`expected "sha256:" and 64 lowercase hex digits; got ${shown(v.digest)}.`
			);
		}
	}

	if (!RECORD_ACTIONS.includes(v.action as RecordAction)) {
		return problem(
			'action',
			`expected one of ${RECORD_ACTIONS.join(', ')}; got ${shown(v.action)}.`
		);
	}
	if (!isMatch(v.subject, 'nonBlank')) {
		return problem(
			'subject',
			`expected the host's id of the customer as non-blank text; got ${shown(v.subject)}.`
		);
	}
	// Absent and undefined are the same to an act, but a stored record must not carry an
	// undefined key: its canonical JSON would not exist.
	const tokenGiven = kind === 'act' ? v.subjectToken !== undefined : 'subjectToken' in v;
	if (tokenGiven && !isMatch(v.subjectToken, 'nonBlank')) {
		return problem(
			'subjectToken',
			`expected the partner's opaque token as non-blank text, or no subjectToken at all; got ${shown(v.subjectToken)}.`
		);
	}

	// A record spells "no partner" one way, null; an act may also leave it out.
	if (kind === 'record' && v.partner === undefined) {
		return problem('partner', 'expected a partner id, or null when no partner was involved.');
	}
	const needsPartner = v.action === 'associate' || v.action === 'disassociate';
	const partnerGiven = v.partner !== undefined && v.partner !== null;
	if (needsPartner && !partnerGiven) {
		return problem(
			'partner',
			`an ${String(v.action)} act names its partner: give the partner id from partners.yaml, e.g. "acme".`
		);
	}
	if (partnerGiven && !isMatch(v.partner, 'partner')) {
		return problem(
			'partner',
			`expected a partner id from partners.yaml (lowercase a-z, 0-9 and "-")${needsPartner ? '' : ', or null'}; got ${shown(v.partner)}.`
		);
	}

	return (
		statementProblem(v.statement) ??
		presentationProblem(v.presentation, kind) ??
		clientProblem(v.client)
	);
}

function statementProblem(value: unknown): RecordProblem | undefined {
	const shape = objectProblem(value, 'statement', STATEMENT_KEYS);
	if (shape) return shape;
	const s = value as Record<string, unknown>;
	if (!isMatch(s.id, 'statementId')) {
		return {
			field: 'statement.id',
			message: `expected a statement id (lowercase a-z, 0-9 and "-"), e.g. "partner-association"; got ${shown(s.id)}.`
		};
	}
	if (typeof s.version !== 'string' || !isVersion(s.version)) {
		return {
			field: 'statement.version',
			message: `expected a version of dotted numbers, e.g. "1.1"; got ${shown(s.version)}.`
		};
	}
	if (!isCanonicalLocale(s.locale)) {
		return {
			field: 'statement.locale',
			message: `expected a BCP 47 tag in its canonical spelling, e.g. "en" or "zh-CN"; got ${shown(s.locale)}.`
		};
	}
	if (!isMatch(s.hash, 'sha256')) {
		return {
			field: 'statement.hash',
			message: `expected the version's published hash, "sha256:" and 64 lowercase hex digits (see /statements/index.json); got ${shown(s.hash)}.`
		};
	}
	if (!isHttpUrl(s.url)) {
		return {
			field: 'statement.url',
			message: `expected the absolute http(s) URL of the version's page, e.g. "https://statements.example.com/statements/terms/1.1/en/"; got ${shown(s.url)}.`
		};
	}
	return undefined;
}

function presentationProblem(value: unknown, kind: 'act' | 'record'): RecordProblem | undefined {
	const shape = objectProblem(value, 'presentation', PRESENTATION_KEYS);
	if (shape) return shape;
	const p = value as Record<string, unknown>;
	if (!EMBED_KINDS.includes(p.embed as EmbedKind)) {
		return {
			field: 'presentation.embed',
			message: `expected one of ${EMBED_KINDS.join(', ')}; got ${shown(p.embed)}.`
		};
	}
	if (!isOrigin(p.origin)) {
		return {
			field: 'presentation.origin',
			message: `expected the page's web origin as the browser writes it (scheme, host and port, no path), e.g. "https://partner.example"; got ${shown(p.origin)}.`
		};
	}
	if (!isMatch(p.label, 'nonBlank')) {
		return {
			field: 'presentation.label',
			message: `expected the exact words shown next to the checkbox; got ${shown(p.label)}.`
		};
	}
	const scrollGiven = kind === 'act' ? p.scrolledToEnd !== undefined : 'scrolledToEnd' in p;
	if (scrollGiven && typeof p.scrolledToEnd !== 'boolean') {
		return {
			field: 'presentation.scrolledToEnd',
			message: `expected true or false, or no scrolledToEnd when it was not tracked; got ${shown(p.scrolledToEnd)}.`
		};
	}
	return undefined;
}

function clientProblem(value: unknown): RecordProblem | undefined {
	const shape = objectProblem(value, 'client', CLIENT_KEYS);
	if (shape) return shape;
	const c = value as Record<string, unknown>;
	if (typeof c.userAgent !== 'string') {
		return {
			field: 'client.userAgent',
			message: `expected navigator.userAgent as text (it may be empty); got ${shown(c.userAgent)}.`
		};
	}
	if (!isMatch(c.widget, 'widget')) {
		return {
			field: 'client.widget',
			message: `expected "assent/<version>", e.g. "assent/0.1.0"; got ${shown(c.widget)}.`
		};
	}
	return undefined;
}

/** A plain object with no keys beyond `keys`: extras would be silently left out of the record. */
function objectProblem(
	value: unknown,
	field: string,
	keys: readonly string[]
): RecordProblem | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return { field, message: `expected an object; got ${shown(value)}.` };
	}
	const extra = Object.keys(value).find((key) => !keys.includes(key));
	if (extra !== undefined) {
		const path = field ? `${field}.${extra}` : extra;
		return {
			field: path,
			message: `is not a record field (expected only ${keys.join(', ')}); remove it.`
		};
	}
	return undefined;
}

function isMatch(value: unknown, pattern: keyof typeof RECORD_PATTERNS): value is string {
	return typeof value === 'string' && PATTERN[pattern].test(value);
}

function isSequenceNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

/** The pattern alone lets through "2026-02-30T…"; a round trip through Date does not. */
function isInstant(value: unknown): value is string {
	if (!isMatch(value, 'at')) return false;
	const time = Date.parse(value);
	return Number.isFinite(time) && new Date(time).toISOString() === value;
}

function isCanonicalLocale(value: unknown): value is string {
	if (!isMatch(value, 'locale')) return false;
	try {
		return Intl.getCanonicalLocales(value)[0] === value;
	} catch {
		return false;
	}
}

function isHttpUrl(value: unknown): value is string {
	if (!isMatch(value, 'url')) return false;
	try {
		new URL(value);
		return true;
	} catch {
		return false;
	}
}

function isOrigin(value: unknown): value is string {
	if (!isMatch(value, 'origin')) return false;
	try {
		return new URL(value).origin === value;
	} catch {
		return false;
	}
}

/** A value as it appears in a message: JSON where possible, cut short when long. */
function shown(value: unknown): string {
	if (value === undefined) return 'nothing';
	let text: string;
	try {
		text = JSON.stringify(value) ?? String(value);
	} catch {
		text = String(value);
	}
	return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function invalid(problem: RecordProblem, options: { within?: 'act' } = {}): AssentError {
	const { within } = options;
	const field = within ? [within, problem.field].filter(Boolean).join('.') : problem.field;
	return new AssentError('record/invalid', `buildRecord: ${field}: ${problem.message}`, { field });
}
