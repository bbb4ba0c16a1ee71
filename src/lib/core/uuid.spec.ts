import { describe, expect, it } from 'vitest';
import { isUuidV7, uuidv7, uuidv7Time } from './uuid';

describe('uuidv7', () => {
	it('makes lowercase version-7 ids', () => {
		const id = uuidv7();
		expect(isUuidV7(id)).toBe(true);
		expect(id[14]).toBe('7');
	});

	it('stamps the given instant into the first 48 bits', () => {
		const now = new Date('2026-11-24T06:30:00.123Z');
		const id = uuidv7(now);
		expect(uuidv7Time(id)).toBe(now.getTime());
		expect(id.startsWith('01a20c3f-3abb-7')).toBe(true);
	});

	it('makes distinct ids for the same instant', () => {
		const now = new Date('2026-11-24T06:30:00.123Z');
		const ids = new Set(Array.from({ length: 100 }, () => uuidv7(now)));
		expect(ids.size).toBe(100);
	});

	it('sorts ids made without a time in creation order', () => {
		const ids = Array.from({ length: 200 }, () => uuidv7());
		expect([...ids].sort()).toEqual(ids);
	});

	it('refuses an invalid date', () => {
		expect(() => uuidv7(new Date('nope'))).toThrow(/not a valid date/);
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
