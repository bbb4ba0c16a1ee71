import canonicalize from 'canonicalize';
import { AssentError } from './errors';

/** Matches a UTF-16 surrogate that is not part of a pair (the `u` flag keeps pairs whole). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The canonical JSON text of `value` per RFC 8785 (JCS): object keys sorted by UTF-16 code
 * units, no whitespace, numbers as ECMAScript writes them, minimal string escapes. Two parties
 * that hold the same data get the same text, and so the same digest.
 *
 * Only plain JSON data is accepted. `JSON.stringify` would silently drop `undefined`, turn
 * `NaN` into `null` or call `toJSON`; here each of those throws a `AssentError`
 * (`record/not-canonical`) naming the path, because a digest must be recomputable from the
 * exported JSON file, not from an in-memory accident.
 */
export function canonicalJson(value: unknown): string {
	assertJsonData(value, '$', new Set());
	const text = canonicalize(value);
	// Unreachable after the check above; kept so the type is honest.
	if (text === undefined) throw notCanonical('$', 'has no JSON form');
	return text;
}

function assertJsonData(value: unknown, path: string, ancestors: Set<object>): void {
	switch (typeof value) {
		case 'string':
			if (LONE_SURROGATE.test(value)) {
				throw notCanonical(path, 'is a string with an unpaired UTF-16 surrogate');
			}
			return;
		case 'boolean':
			return;
		case 'number':
			if (!Number.isFinite(value)) throw notCanonical(path, `is ${value}, which JSON cannot hold`);
			return;
		case 'object':
			break;
		default:
			throw notCanonical(path, `is ${describe(value)}, which JSON cannot hold`);
	}
	if (value === null) return;
	if (ancestors.has(value)) throw notCanonical(path, 'refers back to itself (a cycle)');
	ancestors.add(value);
	if (Array.isArray(value)) {
		// An indexed loop, not forEach: holes in sparse arrays must be seen as undefined.
		for (let i = 0; i < value.length; i++) {
			assertJsonData(value[i], `${path}[${i}]`, ancestors);
		}
	} else {
		if (!isPlainObject(value)) {
			throw notCanonical(path, `is ${describe(value)}; convert it to plain JSON data first`);
		}
		for (const [key, item] of Object.entries(value)) {
			const itemPath = `${path}.${key}`;
			if (LONE_SURROGATE.test(key)) {
				throw notCanonical(itemPath, 'is a key with an unpaired UTF-16 surrogate');
			}
			assertJsonData(item, itemPath, ancestors);
		}
	}
	ancestors.delete(value);
}

/** Plain objects from any realm (an iframe, structured clone), not class instances or Dates. */
function isPlainObject(value: object): boolean {
	if (Object.prototype.toString.call(value) !== '[object Object]') return false;
	const proto = Object.getPrototypeOf(value) as object | null;
	return proto === null || Object.getPrototypeOf(proto) === null;
}

function describe(value: unknown): string {
	if (value === undefined) return 'undefined';
	if (typeof value === 'bigint') return 'a bigint';
	if (typeof value === 'function') return 'a function';
	if (typeof value === 'symbol') return 'a symbol';
	const name = (value as object).constructor?.name;
	return name ? `a ${name}` : 'not plain data';
}

function notCanonical(path: string, problem: string): AssentError {
	return new AssentError('record/not-canonical', `Canonical JSON: ${path} ${problem}.`, {
		field: path
	});
}
