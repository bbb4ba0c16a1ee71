/**
 * The field check of records and acts: the first field of a value that breaks the record rules,
 * with what was expected. For values that cross a trust boundary (postMessage, the JS API, an
 * export file) and for `buildRecord`.
 */
import { isUuidV7 } from './uuid';
import { isVersion } from './version';
import {
	EMBED_KINDS,
	RECORD_ACTIONS,
	RECORD_PATTERNS,
	RECORD_SCHEMA,
	type EmbedKind,
	type RecordAction
} from './record';

const PATTERN = Object.fromEntries(
	Object.entries(RECORD_PATTERNS).map(([name, source]) => [name, new RegExp(source)])
) as Record<keyof typeof RECORD_PATTERNS, RegExp>;

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
const PRESENTATION_KEYS = ['embed', 'origin', 'label', 'scrolledToEnd', 'visible'];
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
	const visibleGiven = kind === 'act' ? p.visible !== undefined : 'visible' in p;
	if (visibleGiven && ![true, false, 'unknown'].includes(p.visible as never)) {
		return {
			field: 'presentation.visible',
			message: `expected true, false or "unknown", or no visible when it was not tracked; got ${shown(p.visible)}.`
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

export function isMatch(value: unknown, pattern: keyof typeof RECORD_PATTERNS): value is string {
	return typeof value === 'string' && PATTERN[pattern].test(value);
}

export function isSequenceNumber(value: unknown): value is number {
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
export function shown(value: unknown): string {
	if (value === undefined) return 'nothing';
	let text: string;
	try {
		text = JSON.stringify(value) ?? String(value);
	} catch {
		text = String(value);
	}
	return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
