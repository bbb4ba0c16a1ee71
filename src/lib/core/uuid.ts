import { AssentError } from './errors';

/** A UUIDv7 in its canonical lowercase spelling (RFC 9562): version 7, variant 10. */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The source text of the UUIDv7 pattern, shared with the JSON Schema test. */
export const UUID_V7_PATTERN = UUID_V7.source;

/** The largest Unix time in milliseconds a UUIDv7 holds: 48 bits. */
const MAX_MSECS = 2 ** 48 - 1;
/** The counter fills rand_a (12 bits) and the first 30 bits of rand_b (RFC 9562, 6.2, method 1). */
const COUNTER_LIMIT = 2 ** 42;

function randomWords(): Uint32Array {
	const crypto = globalThis.crypto;
	if (!crypto?.getRandomValues) {
		throw new AssentError(
			'record/no-crypto',
			'This browser has no crypto.getRandomValues, which record ids need. Use a current browser.'
		);
	}
	return crypto.getRandomValues(new Uint32Array(3));
}

function hex(value: number, digits: number): string {
	return value.toString(16).padStart(digits, '0');
}

/** Makes UUIDv7s; see {@link uuidv7Generator}. */
export type UuidV7Generator = (now?: Date) => string;

/**
 * A source of UUIDv7s whose ids sort in creation order, also several in one millisecond or when
 * the clock goes back: after the 48-bit time come 42 counter bits that start at a random value
 * below 2^41 in each new millisecond and count up within it (RFC 9562, section 6.2, method 1).
 * When `now` is not later than the newest id's time, the id keeps that time and takes the next
 * count, so its time is then slightly after `now`.
 *
 * Each generator keeps its own counter. Records use {@link uuidv7}, one per JS realm (a page,
 * a tab, a worker); ids of two tabs made in one millisecond interleave at random, and stay
 * unique by their 32 random bits and random counter start.
 */
export function uuidv7Generator(): UuidV7Generator {
	const last = { msecs: -1, counter: 0 };
	return (now) => {
		const msecs = now === undefined ? Date.now() : now instanceof Date ? now.getTime() : NaN;
		if (!Number.isInteger(msecs) || msecs < 0 || msecs > MAX_MSECS) {
			throw new AssentError('record/invalid', `uuidv7: "now" is not a valid date after 1970.`, {
				field: 'now'
			});
		}
		const words = randomWords();
		// Below 2^41, so at least 2^41 more ids fit in the same millisecond.
		const seed = (words[0]! & 0x1ff) * 2 ** 32 + words[1]!;
		if (msecs > last.msecs) {
			last.msecs = msecs;
			last.counter = seed;
		} else if (last.counter + 1 < COUNTER_LIMIT) {
			last.counter += 1;
		} else {
			// 2^41 ids in one millisecond: borrow the next millisecond rather than repeat an id.
			last.msecs += 1;
			last.counter = seed;
		}
		const { msecs: time, counter } = last;
		return [
			hex(Math.floor(time / 2 ** 16), 8),
			hex(time % 2 ** 16, 4),
			'7' + hex(Math.floor(counter / 2 ** 30), 3),
			hex(0x8000 | (Math.floor(counter / 2 ** 16) & 0x3fff), 4),
			hex(counter % 2 ** 16, 4) + hex(words[2]!, 8)
		].join('-');
	};
}

/**
 * A new UUIDv7 from this realm's one generator. Its first 48 bits are the Unix time in
 * milliseconds, so a record's id carries the instant of its `at` (or, when the clock went back
 * since the previous id, that id's time), and ids made in this realm sort in creation order.
 *
 * @param now the instant to stamp into the id. @default the current time
 */
export const uuidv7: UuidV7Generator = uuidv7Generator();

/** Whether `value` is a UUIDv7 in canonical lowercase form. */
export function isUuidV7(value: unknown): value is string {
	return typeof value === 'string' && UUID_V7.test(value);
}

/** The Unix time in milliseconds stamped into a UUIDv7 (its first 48 bits). */
export function uuidv7Time(id: string): number {
	if (!isUuidV7(id)) {
		throw new AssentError('record/invalid', `"${id}" is not a lowercase UUIDv7.`, { field: 'id' });
	}
	return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
