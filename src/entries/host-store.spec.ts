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

	it("answers one subject's records in chain order, of the statements and partner asked for", async () => {
		const of = (seq: number, subject: string, statement: string, partner?: string) => ({
			...record(seq, `sha256:${seq}`, seq === 1 ? null : `sha256:${seq - 1}`),
			subject,
			statement: { id: statement, version: '1.0.0' },
			...(partner ? { partner } : {})
		});
		const chain = [
			of(1, 'shopper', 'terms'),
			of(2, 'other', 'terms'),
			of(3, 'shopper', 'privacy', 'acme'),
			of(4, 'shopper', 'terms', 'acme'),
			of(5, 'other', 'privacy', 'acme')
		];
		for (const r of chain) {
			const head = r.seq === 1 ? null : `sha256:${r.seq - 1}`;
			expect(
				await operations.append({ record: r, entry: entry(r.id, r.seq), expected: head })
			).toBe('added');
		}
		const seqs = async (args: Record<string, unknown>) =>
			((await answer({ op: 'recordsOf', args })) as { seq: number }[]).map((r) => r.seq);
		expect(await seqs({ subject: 'shopper' })).toEqual([1, 3, 4]);
		expect(await seqs({ subject: 'shopper', statementIds: ['terms'] })).toEqual([1, 4]);
		expect(await seqs({ subject: 'shopper', partner: 'acme' })).toEqual([3, 4]);
		expect(await seqs({ subject: 'shopper', statementIds: ['privacy'], partner: 'acme' })).toEqual([
			3
		]);
		expect(await seqs({ subject: 'nobody' })).toEqual([]);
		for (const args of [{}, { subject: 7 }, { subject: 'shopper', statementIds: 'terms' }]) {
			await expect(answer({ op: 'recordsOf', args })).rejects.toMatchObject({
				code: 'store/failed',
				message: expect.stringContaining('subject')
			});
		}
	});

	it('keeps every record and outbox entry of a database the first version made, and indexes them by subject', async () => {
		// The first version's database, as host-store.js version 1 left it in a partner's browser.
		const v1 = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open('assent-relay', 1);
			request.onupgradeneeded = () => {
				const db = request.result;
				db.createObjectStore('records', { keyPath: 'id' }).createIndex('seq', 'seq', {
					unique: true
				});
				db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('state', ['state', 'seq']);
			};
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		const old = [1, 2, 3].map((seq) => ({
			...record(seq, `sha256:${seq}`, seq === 1 ? null : `sha256:${seq - 1}`),
			subject: seq === 2 ? 'other' : 'shopper',
			statement: { id: 'terms', version: '1.0.0' }
		}));
		await new Promise<void>((resolve, reject) => {
			const tx = v1.transaction(['records', 'outbox'], 'readwrite');
			for (const r of old) tx.objectStore('records').add(r);
			tx.objectStore('outbox').add(entry(old[0]!.id, 1, 'synced'));
			tx.objectStore('outbox').add(entry(old[1]!.id, 2));
			tx.objectStore('outbox').add(entry(old[2]!.id, 3, 'rejected'));
			tx.oncomplete = () => resolve();
			tx.onerror = () => reject(tx.error);
		});
		// Still open, as in a tab that loaded the first version: it lets go when asked to.
		v1.onversionchange = () => v1.close();

		expect(await operations.all()).toEqual(old);
		expect((await operations.entries({})).map((e) => [e.id, e.state])).toEqual([
			[old[0]!.id, 'synced'],
			[old[1]!.id, 'pending'],
			[old[2]!.id, 'rejected']
		]);
		expect(await operations.recordsOf({ subject: 'shopper' })).toEqual([old[0], old[2]]);
		expect((await operations.head())?.id).toBe(old[2]!.id);
		// The chain goes on from where the first version left it.
		const next = { ...record(4, 'sha256:4', 'sha256:3'), subject: 'shopper' };
		expect(
			await operations.append({ record: next, entry: entry(next.id, 4), expected: 'sha256:3' })
		).toBe('added');
		expect((await operations.recordsOf({ subject: 'shopper' })).map((r) => r.seq)).toEqual([
			1, 3, 4
		]);
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
