/**
 * The host page's record store (`/widget/host-store.js`), on an in-memory IndexedDB: the frame
 * relies on it for the chain check and for never losing an acknowledgement. Each test starts on
 * an empty database. The store contract (`record-store.spec-suite.ts`) runs it further, through
 * the frame's `RemoteLog`.
 */
import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

let store: typeof import('./host-store');
let operations: (typeof import('./host-store'))['operations'];
const answer = (params: unknown) => store.answer(params);

const record = (seq: number, digest: string, prev: string | null) => ({
	id: `id-${seq}-${digest}`,
	seq,
	digest,
	prev
});
const entry = (id: string, seq: number, state: 'pending' | 'synced' | 'rejected' = 'pending') => ({
	id,
	seq,
	state,
	attempts: 0,
	updatedAt: '2026-11-26T00:00:00.000Z'
});
const at = '2026-11-30T00:00:00.000Z';

/** Two records on the chain, both pending. */
async function twoRecords(): Promise<[string, string]> {
	const first = record(1, 'sha256:a', null);
	const second = record(2, 'sha256:c', 'sha256:a');
	await operations.append({ record: first, entry: entry(first.id, 1), expected: null });
	await operations.append({ record: second, entry: entry(second.id, 2), expected: 'sha256:a' });
	return [first.id, second.id];
}

beforeEach(async () => {
	// A fresh database, and a fresh module holding it open, per test: no test depends on what
	// another one wrote.
	globalThis.indexedDB = new IDBFactory();
	vi.resetModules();
	store = await import('./host-store');
	operations = store.operations;
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
		const [first, second] = await twoRecords();
		await operations.settle({ updates: [{ id: first, state: 'synced', receivedAt: 'now' }], at });
		// A late answer from another tab's sync, read before the acknowledgement was written.
		await operations.settle({
			updates: [
				{ id: first, state: 'pending' },
				{ id: second, state: 'rejected', reason: 'no' }
			],
			at
		});
		const states = Object.fromEntries((await operations.entries({})).map((e) => [e.id, e.state]));
		expect(states).toEqual({ [first]: 'synced', [second]: 'rejected' });
		expect((await operations.entries({})).find((e) => e.id === first)).toMatchObject({
			receivedAt: 'now',
			attempts: 1,
			updatedAt: at
		});
	});

	it('adds nothing when settling an id it never held', async () => {
		await twoRecords();
		await operations.settle({ updates: [{ id: 'unknown', state: 'synced' }], at });
		expect(await operations.entries({})).toHaveLength(2);
	});

	it('answers only the operations it knows', async () => {
		const [first] = await twoRecords();
		expect(await answer({ op: 'records', args: { ids: [first, 'unknown'] } })).toEqual([
			expect.objectContaining({ id: first }),
			undefined
		]);
		for (const params of [{ op: 'clear', args: {} }, { op: 'head' }, 'head']) {
			await expect(answer(params)).rejects.toMatchObject({ code: 'store/failed' });
		}
	});
});
