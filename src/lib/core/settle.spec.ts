import { describe, expect, it } from 'vitest';
import { settleEntry, type SettledEntry } from './settle';

const at = '2026-11-30T12:00:00.000Z';
const entry = (state: SettledEntry['state'], extra: Partial<SettledEntry> = {}): SettledEntry => ({
	id: 'r1',
	state,
	attempts: 1,
	updatedAt: '2026-11-29T00:00:00.000Z',
	...extra
});

describe('settling an outbox entry', () => {
	it('writes the new state, counts the attempt and keeps what the backend sent', () => {
		expect(
			settleEntry({
				entry: entry('pending', { target: null }),
				update: { id: 'r1', state: 'synced', receivedAt: at, receipt: { sig: 'x' }, target: 'u' },
				at
			})
		).toEqual({
			id: 'r1',
			state: 'synced',
			attempts: 2,
			updatedAt: at,
			receivedAt: at,
			receipt: { sig: 'x' },
			target: 'u'
		});
	});

	it('keeps the last error and a refusal reason', () => {
		const settled = settleEntry({
			entry: entry('pending'),
			update: { id: 'r1', state: 'rejected', reason: 'bad hash', retryable: false, error: 'e' },
			at
		});
		expect(settled).toMatchObject({ state: 'rejected', reason: 'bad hash', lastError: 'e' });
		expect(settled?.retryable).toBe(false);
	});

	it('never turns a synced record back, whatever a late answer says', () => {
		for (const state of ['pending', 'rejected'] as const) {
			expect(settleEntry({ entry: entry('synced'), update: { id: 'r1', state }, at })).toBe(
				undefined
			);
		}
		// A second acknowledgement may still bring the receipt.
		expect(
			settleEntry({ entry: entry('synced'), update: { id: 'r1', state: 'synced' }, at })?.attempts
		).toBe(2);
	});

	it('writes nothing for a record the store never held', () => {
		expect(settleEntry({ entry: undefined, update: { id: 'r9', state: 'synced' }, at })).toBe(
			undefined
		);
	});

	it('leaves fields the update does not name as they were', () => {
		const settled = settleEntry({
			entry: entry('pending', { reason: 'old', target: 'x' }),
			update: { id: 'r1', state: 'pending' },
			at
		});
		expect(settled).toMatchObject({ reason: 'old', target: 'x' });
	});
});
