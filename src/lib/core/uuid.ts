import { v7 } from 'uuid';
import { AssentError } from './errors';

/** A UUIDv7 in its canonical lowercase spelling (RFC 9562): version 7, variant 10. */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The source text of the UUIDv7 pattern, shared with the JSON Schema test. */
export const UUID_V7_PATTERN = UUID_V7.source;

/**
 * A new UUIDv7. Its first 48 bits are the Unix time in milliseconds, so ids sort by creation
 * time and a record's id carries the same instant as its `at`.
 *
 * @param now the instant to stamp into the id. @default the current time
 */
export function uuidv7(now?: Date): string {
	// Without a time, uuid keeps ids monotonic within one millisecond in this tab.
	if (now === undefined) return v7();
	const msecs = now.getTime();
	if (!Number.isFinite(msecs) || msecs < 0) {
		throw new AssentError('record/invalid', `uuidv7: "now" is not a valid date after 1970.`, {
			field: 'now'
		});
	}
	return v7({ msecs });
}

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
