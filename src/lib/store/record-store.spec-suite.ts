/**
 * The contract every record store passes (`RecordStore`): `RecordLog` on Dexie and `RemoteLog`
 * over the widget channel to the host page's store run it from their spec files, on real
 * (in-memory) IndexedDB: appends that form one chain across tabs, pending records oldest first,
 * settling by the one rule, the chain head, records by subject, and store/* errors.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../core/chain';
import { sampleAct } from '../core/record-fixtures';
import type { RecordStore } from './record-store';

export interface ContractStores {
	/** Two tabs of one site: two stores over the same storage. */
	tabs: [RecordStore, RecordStore];
	close(): Promise<void>;
}

export function recordStoreContract(options: {
	name: string;
	/** Fresh, empty storage and two stores on it. */
	create: () => Promise<ContractStores>;
	/** A store whose storage fails every operation (as a full or closed browser store does). */
	broken: () => Promise<RecordStore>;
}): void {
	describe(`${options.name} (record store contract)`, () => {
		let stores: ContractStores;
		let store: RecordStore;
		beforeEach(async () => {
			stores = await options.create();
			store = stores.tabs[0];
		});
		afterEach(() => stores.close());

		it('appends records that chain onto the head, and says which is the head', async () => {
			expect(await store.head()).toBeUndefined();
			const first = await store.append({ act: sampleAct() });
			const second = await store.append({ act: sampleAct({ subject: 'customer-2' }) });
			expect(second).toMatchObject({ seq: 2, prev: first.digest });
			expect(await store.head()).toEqual(second);
			expect(await store.all()).toEqual([first, second]);
			expect((await verifyChain({ records: await store.all() })).ok).toBe(true);
		});

		it('keeps one unbroken chain when two tabs append at once', async () => {
			const [left, right] = stores.tabs;
			await Promise.all(
				[0, 1, 2, 3].flatMap((i) => [
					left.append({ act: sampleAct({ subject: `left-${i}` }) }),
					right.append({ act: sampleAct({ subject: `right-${i}` }) })
				])
			);
			const records = await store.all();
			expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
			expect((await verifyChain({ records })).ok).toBe(true);
			expect(await right.all()).toEqual(records);
		});

		it('lists pending records oldest first, up to a limit, with the target noted', async () => {
			const a = await store.append({ act: sampleAct(), target: 'https://api.example/a' });
			const b = await store.append({ act: sampleAct(), target: null });
			await store.append({ act: sampleAct() });
			expect((await store.pending()).map((r) => r.seq)).toEqual([1, 2, 3]);
			expect(await store.pending({ limit: 2 })).toEqual([a, b]);
			const entries = await store.entries({ state: 'pending' });
			expect(entries.map((e) => [e.id, e.state, e.attempts])).toEqual([
				[a.id, 'pending', 0],
				[b.id, 'pending', 0],
				[expect.any(String), 'pending', 0]
			]);
			expect(entries[0]!.target).toBe('https://api.example/a');
			expect(entries[1]!.target).toBe(null);
			expect('target' in entries[2]!).toBe(false);
		});

		it('settles by the one rule: a synced record stays synced, unknown ids change nothing', async () => {
			const [a, b] = [
				await store.append({ act: sampleAct() }),
				await store.append({ act: sampleAct() })
			];
			await store.settle([
				{ id: a.id, state: 'synced', receivedAt: '2026-11-30T00:00:00.000Z', receipt: { s: 1 } },
				{ id: b.id, state: 'rejected', reason: 'bad', retryable: false, error: 'bad' },
				{ id: 'never-stored', state: 'synced' }
			]);
			// A late answer, from another tab's push read before the acknowledgement was written.
			await stores.tabs[1].settle([{ id: a.id, state: 'pending', error: 'timeout' }]);
			const entries = await store.entries();
			expect(entries).toHaveLength(2);
			expect(entries[0]).toMatchObject({
				id: a.id,
				state: 'synced',
				attempts: 1,
				receivedAt: '2026-11-30T00:00:00.000Z',
				receipt: { s: 1 }
			});
			expect(entries[1]).toMatchObject({ id: b.id, state: 'rejected', reason: 'bad' });
			expect(await store.pending()).toEqual([]);
			expect((await store.entries({ state: 'synced' })).map((e) => e.id)).toEqual([a.id]);
			// The records themselves are never touched.
			expect(await store.all()).toEqual([a, b]);
		});

		it('finds the records of one subject, of some statements and one partner', async () => {
			const mine = await store.append({ act: sampleAct({ subject: 's-1' }) });
			await store.append({ act: sampleAct({ subject: 's-2' }) });
			const partnered = await store.append({
				act: sampleAct({ subject: 's-1', action: 'associate', partner: 'harbor-books' })
			});
			expect(await store.recordsOf({ subject: 's-1' })).toEqual([mine, partnered]);
			expect(await store.recordsOf({ subject: 's-1', partner: 'harbor-books' })).toEqual([
				partnered
			]);
			expect(await store.recordsOf({ subject: 's-1', statementIds: ['privacy'] })).toEqual([]);
			expect(await store.recordsOf({ subject: 'nobody' })).toEqual([]);
		});

		it('fails every operation with a store/* code when its storage fails', async () => {
			const broken = await options.broken();
			const operations: [string, () => Promise<unknown>][] = [
				['append', () => broken.append({ act: sampleAct() })],
				['head', () => broken.head()],
				['all', () => broken.all()],
				['recordsOf', () => broken.recordsOf({ subject: 'customer-123' })],
				['entries', () => broken.entries()],
				['pending', () => broken.pending()],
				['settle', () => broken.settle([{ id: 'x', state: 'synced' }])]
			];
			for (const [name, run] of operations) {
				const error = (await run().then(
					() => undefined,
					(e: unknown) => e
				)) as { code?: string } | undefined;
				expect(error?.code, name).toMatch(/^store\//);
			}
			broken.close();
		});
	});
}
