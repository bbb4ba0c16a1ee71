/**
 * The host page's record store (`/widget/host-store.js`), on an in-memory IndexedDB: the frame
 * relies on it for the chain check and for never losing an acknowledgement.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { operations } from './host-store';

const record = (seq: number, digest: string, prev: string | null) => ({
	id: `id-${seq}-${digest}`,
	seq,
	digest,
	prev
});
const entry = (id: string, seq: number, state = 'pending') => ({
	id,
	seq,
	state,
	attempts: 0,
	updatedAt: '2026-11-26T00:00:00.000Z'
});

describe('the host page store', () => {
	it('adds a record only on the chain head the frame built it on', async () => {
		const first = record(1, 'sha256:a', null);
		expect(
			await operations.append({ record: first, entry: entry(first.id, 1), expected: null })
		).toBe('added');
		// A second tab built on the same (empty) head: refused, so it rebuilds on the new head.
		const stale = record(1, 'sha256:b', null);
		expect(
			await operations.append({ record: stale, entry: entry(stale.id, 1), expected: null })
		).toBe('moved');
		const second = record(2, 'sha256:c', 'sha256:a');
		expect(
			await operations.append({ record: second, entry: entry(second.id, 2), expected: 'sha256:a' })
		).toBe('added');
		expect((await operations.all()).map((r) => r.id)).toEqual([first.id, second.id]);
		expect((await operations.head())?.id).toBe(second.id);
		expect((await operations.entries({ state: 'pending' })).map((e) => e.id)).toEqual([
			first.id,
			second.id
		]);
	});

	it('never turns an acknowledged record back into a pending or rejected one', async () => {
		const [first, second] = (await operations.all()).map((r) => r.id);
		await operations.settle({ entries: [{ ...entry(first!, 1, 'synced'), receivedAt: 'now' }] });
		// A late answer from another tab's sync, read before the acknowledgement was written.
		await operations.settle({
			entries: [entry(first!, 1, 'pending'), { ...entry(second!, 2, 'rejected'), reason: 'no' }]
		});
		const states = Object.fromEntries((await operations.entries({})).map((e) => [e.id, e.state]));
		expect(states).toEqual({ [first!]: 'synced', [second!]: 'rejected' });
		// Settling an id the store never held adds nothing.
		await operations.settle({ entries: [entry('unknown', 9, 'synced')] });
		expect(await operations.entries({})).toHaveLength(2);
	});
});
