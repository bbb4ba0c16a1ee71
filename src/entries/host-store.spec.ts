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

	/** An empty `assent-relay` database with the schema an earlier version of host-store.js made. */
	function openEarlier(version: 1 | 2) {
		return new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open('assent-relay', version);
			request.onupgradeneeded = () => {
				const db = request.result;
				const records = db.createObjectStore('records', { keyPath: 'id' });
				records.createIndex('seq', 'seq', { unique: true });
				if (version === 2) records.createIndex('subject', 'subject');
				db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('state', ['state', 'seq']);
			};
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
	}

	/**
	 * The database as an earlier version of host-store.js left it in a partner's browser, with
	 * records of two subjects and statements and an outbox entry in each state, still open as in
	 * a tab that loaded that version (which lets go when asked, as every version does).
	 */
	async function earlierDatabase(version: 1 | 2) {
		const db = await openEarlier(version);
		const old = [1, 2, 3, 4].map((seq) => ({
			...record(seq, `sha256:${seq}`, seq === 1 ? null : `sha256:${seq - 1}`),
			subject: seq === 2 ? 'other' : 'shopper',
			statement: { id: seq === 3 ? 'privacy' : 'terms', version: '1.0.0' }
		}));
		await new Promise<void>((resolve, reject) => {
			const tx = db.transaction(['records', 'outbox'], 'readwrite');
			for (const r of old) tx.objectStore('records').add(r);
			tx.objectStore('outbox').add(entry(old[0]!.id, 1, 'synced'));
			tx.objectStore('outbox').add(entry(old[1]!.id, 2));
			tx.objectStore('outbox').add(entry(old[2]!.id, 3, 'rejected'));
			tx.objectStore('outbox').add(entry(old[3]!.id, 4));
			tx.oncomplete = () => resolve();
			tx.onerror = () => reject(tx.error);
		});
		let closed = false;
		db.onversionchange = () => {
			db.close();
			closed = true;
		};
		return { old, closed: () => closed };
	}

	for (const version of [1, 2] as const) {
		it(`keeps every record and outbox entry of a version ${version} database, and indexes them by subject and statement`, async () => {
			const { old, closed } = await earlierDatabase(version);

			expect(await operations.all()).toEqual(old);
			// The tab of the earlier version let go, so the upgrade went on at once.
			expect(closed()).toBe(true);
			expect((await operations.entries({})).map((e) => [e.id, e.state])).toEqual([
				[old[0]!.id, 'synced'],
				[old[1]!.id, 'pending'],
				[old[2]!.id, 'rejected'],
				[old[3]!.id, 'pending']
			]);
			expect(await operations.recordsOf({ subject: 'shopper' })).toEqual([old[0], old[2], old[3]]);
			expect(await operations.recordsOf({ subject: 'shopper', statementIds: ['terms'] })).toEqual([
				old[0],
				old[3]
			]);
			expect((await operations.head())?.id).toBe(old[3]!.id);
			// The chain goes on from where the earlier version left it.
			const next = {
				...record(5, 'sha256:5', 'sha256:4'),
				subject: 'shopper',
				statement: { id: 'privacy', version: '1.0.0' }
			};
			expect(
				await operations.append({ record: next, entry: entry(next.id, 5), expected: 'sha256:4' })
			).toBe('added');
			expect(
				(await operations.recordsOf({ subject: 'shopper', statementIds: ['privacy'] })).map(
					(r) => r.seq
				)
			).toEqual([3, 5]);
			const upgraded = await new Promise<IDBDatabase>((resolve) => {
				const request = indexedDB.open('assent-relay');
				request.onsuccess = () => resolve(request.result);
			});
			expect(upgraded.version).toBe(3);
			expect([...upgraded.transaction('records').objectStore('records').indexNames]).toEqual([
				'seq',
				'subject',
				'subjectStatement'
			]);
			upgraded.close();
		});
	}

	it('waits for a tab of an earlier version that holds the database open before upgrading it', async () => {
		// An earlier tab that does not let go at once (a transaction still running there).
		const held = await openEarlier(2);
		setTimeout(() => held.close(), 300);
		const [first] = await twoRecords();
		expect((await operations.all()).map((r) => r.id)[0]).toBe(first);
	});

	it('opens a database a later version upgraded, as it is', async () => {
		await twoRecords();
		const db = await new Promise<IDBDatabase>((resolve) => {
			const request = indexedDB.open('assent-relay', 4);
			request.onsuccess = () => resolve(request.result);
		});
		db.close();
		// This page's module let go when the later one upgraded; it opens version 4 next time.
		const third = record(3, 'sha256:d', 'sha256:c');
		expect(
			await operations.append({ record: third, entry: entry(third.id, 3), expected: 'sha256:c' })
		).toBe('added');
		expect((await operations.all()).map((r) => r.seq)).toEqual([1, 2, 3]);
	});

	it("reads a subject's records of the statements asked for without reading its others", async () => {
		const of = (seq: number, subject: string, statement: string) => ({
			...record(seq, `sha256:${seq}`, seq === 1 ? null : `sha256:${seq - 1}`),
			subject,
			statement: { id: statement, version: '1.0.0' }
		});
		const chain = [
			of(1, 'shopper', 'terms'),
			of(2, 'shopper', 'privacy'),
			of(3, 'other', 'terms'),
			of(4, 'shopper', 'newsletter'),
			of(5, 'shopper', 'terms'),
			of(6, 'shopper', 'privacy')
		];
		for (const r of chain) {
			const head = r.seq === 1 ? null : `sha256:${r.seq - 1}`;
			await operations.append({ record: r, entry: entry(r.id, r.seq), expected: head });
		}
		// Every record IndexedDB hands this page while it answers.
		const read: { subject: string; statement: { id: string } }[] = [];
		const getAll = IDBIndex.prototype.getAll;
		const spy = vi.spyOn(IDBIndex.prototype, 'getAll').mockImplementation(function (
			this: IDBIndex,
			...args: Parameters<IDBIndex['getAll']>
		) {
			const request = getAll.apply(this, args);
			request.addEventListener('success', () => read.push(...request.result));
			return request;
		});
		try {
			const answered = (await answer({
				op: 'recordsOf',
				args: { subject: 'shopper', statementIds: ['terms', 'newsletter', 'terms'] }
			})) as { seq: number }[];
			expect(answered.map((r) => r.seq)).toEqual([1, 4, 5]);
			expect(read.map((r) => [r.subject, r.statement.id]).sort()).toEqual([
				['shopper', 'newsletter'],
				['shopper', 'terms'],
				['shopper', 'terms']
			]);
		} finally {
			spy.mockRestore();
		}
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
