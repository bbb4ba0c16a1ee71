/**
 * What the receiver checks in each record before it stores it: the shape of SPEC section 6 (the
 * published JSON Schema plus the few rules a schema cannot say), and the digest, recomputed from
 * the record's RFC 8785 canonical JSON. The statement hash is checked against the site apart,
 * in `statements.js`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import canonicalize from 'canonicalize';

/** The record schema the site publishes at `/schemas/record.json`. */
export const recordSchema = JSON.parse(
	readFileSync(new URL('../static/schemas/record.json', import.meta.url), 'utf8')
);

// Formats are described, not enforced, by the schema: the patterns and the checks below are the
// rules (ajv-formats is not a dependency).
const validate = new Ajv2020({ strict: true, validateFormats: false }).compile(recordSchema);

/** @typedef {import('ajv').ErrorObject} SchemaError */

/**
 * @typedef {object} CheckedRecord
 * @property {true} ok
 * @property {string} digest  the digest recomputed from the record, equal to its `digest`
 */

/**
 * @typedef {object} RefusedRecord
 * @property {false} ok
 * @property {string} reason  what is wrong, for the people reading the rejection in the browser
 */

/**
 * Checks one record as received (parsed JSON, untrusted).
 * @param {{ record: unknown }} options
 * @returns {CheckedRecord | RefusedRecord}
 */
export function checkRecord(options) {
	const { record } = options;
	if (!validate(record)) {
		return {
			ok: false,
			reason: `The record does not follow /schemas/record.json: ${describeError(validate.errors?.[0])}.`
		};
	}
	const r = /** @type {Record<string, any>} */ (record);
	const problem = ruleProblem(r);
	if (problem)
		return { ok: false, reason: `The record does not follow SPEC section 6: ${problem}.` };
	const digest = recordDigest(r);
	if (digest !== r.digest) {
		return {
			ok: false,
			reason: `The record's digest ${r.digest} is not the digest of its content (${digest}): it was changed after it was made.`
		};
	}
	return { ok: true, digest };
}

/**
 * `sha256:` and the hex SHA-256 of the record's canonical JSON (RFC 8785) without `digest`.
 * @param {{ digest?: unknown }} record  plain JSON data, as parsed
 */
export function recordDigest(record) {
	// Left out by destructuring, not deleted from a copy: an object with a deleted key is slower
	// to walk.
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { digest, ...unsigned } = record;
	const text = /** @type {string} */ (canonicalize(unsigned));
	return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** @param {SchemaError | undefined} error */
function describeError(error) {
	if (!error) return 'it is not a valid record';
	const where = error.instancePath
		? `"${error.instancePath.slice(1).replaceAll('/', '.')}"`
		: 'the record';
	const params = /** @type {Record<string, unknown>} */ (error.params);
	const detail =
		error.keyword === 'additionalProperties'
			? ` ("${params.additionalProperty}" is not a record field)`
			: error.keyword === 'enum'
				? ` (${/** @type {unknown[]} */ (params.allowedValues).join(', ')})`
				: error.keyword === 'const'
					? ` ("${params.allowedValue}")`
					: '';
	return `${where} ${error.message}${detail}`;
}

// Unpaired surrogates have no UTF-8 form (the browser could not have hashed them), and
// PostgreSQL's jsonb holds neither them nor U+0000.
/** @param {string} text */
const unstorableText = (text) => text.includes('\u0000') || !text.isWellFormed();

/**
 * A check of one string whose answer never changes, remembered: most records of a receiver
 * name the same few locales and origins. Forgets everything past `limit` strings.
 * @template T
 * @param {(text: string) => T} check
 * @param {number} [limit]
 * @returns {(text: string) => T}
 */
function remembered(check, limit = 1000) {
	/** @type {Map<string, T>} */
	const answers = new Map();
	return (text) => {
		if (answers.has(text)) return /** @type {T} */ (answers.get(text));
		if (answers.size >= limit) answers.clear();
		const answer = check(text);
		answers.set(text, answer);
		return answer;
	};
}

/** The canonical spelling of a BCP 47 tag, or undefined when it is not one. */
const canonicalLocale = remembered((/** @type {string} */ locale) => {
	try {
		return Intl.getCanonicalLocales(locale)[0];
	} catch {
		return undefined;
	}
});

/** Whether a text is a web origin as browsers write it. */
const isOrigin = remembered(
	(/** @type {string} */ origin) => URL.canParse(origin) && new URL(origin).origin === origin
);

/**
 * The rules of SPEC section 6 that the JSON Schema states in words only.
 * @param {Record<string, any>} record  a record that passed the schema
 * @returns {string | undefined}
 */
function ruleProblem(record) {
	const bad = unstorable(record, '');
	if (bad !== undefined) {
		return `${bad ? `"${bad}"` : 'the record'} holds U+0000 or an unpaired UTF-16 surrogate, which a record cannot carry`;
	}
	const at = Date.parse(record.at);
	if (Number.isNaN(at) || new Date(at).toISOString() !== record.at) {
		return `"at" is ${record.at}, which is not a real instant`;
	}
	const { locale, url } = record.statement;
	const canonical = canonicalLocale(locale);
	if (canonical !== locale) {
		return `"statement.locale" is ${locale}, which is not a BCP 47 tag in its canonical spelling${canonical ? ` (${canonical})` : ''}`;
	}
	if (!URL.canParse(url)) return `"statement.url" is ${url}, which is not a URL`;
	const origin = record.presentation.origin;
	if (!isOrigin(origin)) {
		return `"presentation.origin" is ${origin}, which is not a web origin as browsers write it`;
	}
	return undefined;
}

/**
 * The dotted path of the first string (or key) that cannot be stored, '' for the top level.
 * @param {unknown} value
 * @param {string} path
 * @returns {string | undefined}
 */
function unstorable(value, path) {
	if (typeof value === 'string') return unstorableText(value) ? path : undefined;
	if (typeof value !== 'object' || value === null) return undefined;
	for (const [key, item] of Object.entries(value)) {
		const itemPath = path ? `${path}.${key}` : key;
		if (unstorableText(key)) return itemPath;
		const found = unstorable(item, itemPath);
		if (found !== undefined) return found;
	}
	return undefined;
}

/**
 * The exact text of each element of the body's top-level `records` array, so a record is stored
 * as the browser sent it, byte for byte, not as this server would write it again.
 * `body` must already have parsed as JSON; like `JSON.parse`, the last `records` key wins.
 * @param {{ body: string }} options
 * @returns {string[] | undefined}  undefined when the body is not an object with a records array
 */
export function recordTexts(options) {
	const text = options.body;
	let i = space(text, 0);
	if (text[i] !== '{') return undefined;
	/** @type {[number, number] | undefined} */
	let records;
	i = space(text, i + 1);
	while (text[i] === '"') {
		const keyEnd = stringEnd(text, i);
		const key = JSON.parse(text.slice(i, keyEnd));
		i = space(text, space(text, keyEnd) + 1);
		const valueEnd = valueEndAt(text, i);
		if (key === 'records') records = [i, valueEnd];
		i = space(text, valueEnd);
		if (text[i] === ',') i = space(text, i + 1);
	}
	if (!records || text[records[0]] !== '[') return undefined;
	/** @type {string[]} */
	const items = [];
	i = space(text, records[0] + 1);
	while (i < records[1] - 1) {
		const end = valueEndAt(text, i);
		items.push(text.slice(i, end));
		i = space(text, end);
		if (text[i] === ',') i = space(text, i + 1);
	}
	return items;
}

/** @param {string} text @param {number} i */
function space(text, i) {
	while (
		i < text.length &&
		(text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')
	) {
		i++;
	}
	return i;
}

/**
 * The decoded key of the string literal from `start` to `end`: read as is when it holds no
 * escape, else decoded as JSON.
 * @param {string} text @param {number} start @param {number} end
 */
function keyText(text, start, end) {
	const inner = text.slice(start + 1, end - 1);
	return inner.includes('\\') ? JSON.parse(text.slice(start, end)) : inner;
}

/** The index just past the string literal starting at `i`. @param {string} text @param {number} i */
function stringEnd(text, i) {
	for (i++; i < text.length; i++) {
		if (text[i] === '\\') i++;
		else if (text[i] === '"') return i + 1;
	}
	return i;
}

/** The index just past the JSON value starting at `i`. @param {string} text @param {number} i */
function valueEndAt(text, i) {
	const first = text[i];
	if (first === '"') return stringEnd(text, i);
	if (first === '{' || first === '[') {
		let depth = 0;
		for (; i < text.length; i++) {
			const c = text[i];
			if (c === '"') i = stringEnd(text, i) - 1;
			else if (c === '{' || c === '[') depth++;
			else if (c === '}' || c === ']') {
				depth--;
				if (depth === 0) return i + 1;
			}
		}
		return i;
	}
	// A number, true, false or null: it runs to the next delimiter.
	while (i < text.length && !',]} \t\n\r'.includes(/** @type {string} */ (text[i]))) i++;
	return i;
}

/**
 * The dotted path of the first key that one object of `text` names twice, or undefined. JSON
 * parsers disagree about duplicates (the first wins, the last wins, or an error), so a record
 * with one could be read differently by whoever checks it later. Keys are compared decoded:
 * `"\u0061ction"` is `"action"`. `text` must already have parsed as JSON.
 * @param {string} text
 * @returns {string | undefined}
 */
export function duplicateKey(text) {
	return repeatedKey(text, space(text, 0), '').repeated;
}

/**
 * @param {string} text
 * @param {number} i  where a value starts
 * @param {string} path
 * @returns {{ end: number, repeated?: string }}
 */
function repeatedKey(text, i, path) {
	if (text[i] === '{') {
		/** @type {Set<string>} */
		const keys = new Set();
		i = space(text, i + 1);
		while (text[i] === '"') {
			const keyEnd = stringEnd(text, i);
			const key = keyText(text, i, keyEnd);
			const where = path ? `${path}.${key}` : key;
			if (keys.has(key)) return { end: keyEnd, repeated: where };
			keys.add(key);
			const inner = repeatedKey(text, space(text, space(text, keyEnd) + 1), where);
			if (inner.repeated !== undefined) return inner;
			i = space(text, inner.end);
			if (text[i] === ',') i = space(text, i + 1);
		}
		return { end: i + 1 };
	}
	if (text[i] === '[') {
		i = space(text, i + 1);
		for (let n = 0; i < text.length && text[i] !== ']'; n++) {
			const inner = repeatedKey(text, i, `${path}[${n}]`);
			if (inner.repeated !== undefined) return inner;
			i = space(text, inner.end);
			if (text[i] === ',') i = space(text, i + 1);
		}
		return { end: i + 1 };
	}
	return { end: valueEndAt(text, i) };
}
