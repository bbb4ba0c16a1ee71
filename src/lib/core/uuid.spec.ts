import { describe, expect, it } from 'vitest';
import { isUuidV7, uuidv7, uuidv7Generator, uuidv7Time } from './uuid';

describe('uuidv7', () => {
	it('makes lowercase version-7 ids', () => {
		const id = uuidv7();
		expect(isUuidV7(id)).toBe(true);
		expect(id[14]).toBe('7');
	});

	it('stamps the given instant into the first 48 bits', () => {
		const now = new Date('2026-11-24T06:30:00.123Z');
		const id = uuidv7Generator()(now);
		expect(uuidv7Time(id)).toBe(now.getTime());
		expect(id.startsWith('01a20c3f-3abb-7')).toBe(true);
	});

	it('makes distinct ids for the same instant', () => {
		const now = new Date('2026-11-24T06:30:00.123Z');
		const ids = new Set(Array.from({ length: 100 }, () => uuidv7(now)));
		expect(ids.size).toBe(100);
	});

	it('sorts 1,000 ids made in one millisecond in creation order', () => {
		const now = new Date('2026-11-24T06:30:00.123Z');
		const next = uuidv7Generator();
		const ids = Array.from({ length: 1000 }, () => next(now));
		expect(new Set(ids).size).toBe(1000);
		expect([...ids].sort()).toEqual(ids);
		expect(ids.every((id) => isUuidV7(id))).toBe(true);
		expect(uuidv7Time(ids[0]!)).toBe(now.getTime());
	});

	it('sorts ids in creation order when the clock goes back', () => {
		const start = Date.parse('2026-11-24T06:30:00.000Z');
		// A clock that goes forward, jumps back a minute, then goes forward again.
		const times = Array.from({ length: 1000 }, (_, i) => start + (i < 500 ? i : i - 60_500));
		const next = uuidv7Generator();
		const ids = times.map((t) => next(new Date(t)));
		expect(new Set(ids).size).toBe(1000);
		expect([...ids].sort()).toEqual(ids);
		// Ids made after the jump keep the newest time seen rather than go back with the clock.
		expect(uuidv7Time(ids[999]!)).toBe(start + 499);
		// Once the clock passes the newest id's time again, ids carry the clock's time.
		expect(uuidv7Time(next(new Date(start + 10_000)))).toBe(start + 10_000);
	});

	it('keeps one counter per realm: ids of records built one after another sort', () => {
		const now = new Date('2099-01-01T00:00:00.000Z');
		const ids = Array.from({ length: 20 }, () => uuidv7(now));
		expect([...ids].sort()).toEqual(ids);
	});

	it('sorts ids made without a time in creation order', () => {
		const ids = Array.from({ length: 200 }, () => uuidv7());
		expect([...ids].sort()).toEqual(ids);
	});

	it('refuses an invalid date', () => {
		expect(() => uuidv7(new Date('nope'))).toThrow(/not a valid date/);
		expect(() => uuidv7(new Date(-1))).toThrow(/not a valid date/);
	});
});

describe('isUuidV7', () => {
	it.each([
		['019ab4f4-5a3b-7c2d-8e4f-0123456789ab', true],
		['019AB4F4-5A3B-7C2D-8E4F-0123456789AB', false],
		['019ab4f4-5a3b-4c2d-8e4f-0123456789ab', false],
		['019ab4f4-5a3b-7c2d-ce4f-0123456789ab', false],
		['019ab4f45a3b7c2d8e4f0123456789ab', false],
		[42, false]
	])('%s → %s', (value, expected) => {
		expect(isUuidV7(value)).toBe(expected);
	});
});
