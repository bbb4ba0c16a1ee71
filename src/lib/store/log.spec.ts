import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyChain } from '../core/chain';
import type { AcceptanceRecord } from '../core/record';
import { sampleAct } from '../core/record-fixtures';
import { AssentDatabase } from './db';
import { RecordLog, requestPersistence } from './log';

let counter = 0;
const opened: RecordLog[] = [];

/** A fresh database name, so no test sees another test's records. */
function uniqueName(): string {
	return `assent-log-${++counter}-${Math.random().toString(36).slice(2)}`;
}

function database(name: string): AssentDatabase {
	return new AssentDatabase({ name, indexedDB, IDBKeyRange });
}

/** A record log on its own connection, as one tab of the site has. */
async function tab(options: { name: string; now?: () => Date }): Promise<RecordLog> {
	const log = new RecordLog({ db: database(options.name), now: options.now });
	opened.push(log);
	await log.open();
	return log;
}

/** A clock that moves one second per call, so records get distinct, ordered times. */
function ticking(start = Date.parse('2026-11-24T06:30:00.000Z')): () => Date {
	let calls = 0;
	return () => new Date(start + calls++ * 1000);
}

async function appendMany(log: RecordLog, count: number): Promise<AcceptanceRecord[]> {
	const records: AcceptanceRecord[] = [];
	for (let i = 0; i < count; i++) {
		records.push(await log.append({ act: sampleAct({ subject: `customer-${i}` }) }));
	}
	return records;
}

afterEach(() => {
	for (const log of opened.splice(0)) log.close();
	vi.unstubAllGlobals();
});

describe('RecordLog.append', () => {
	it('has the record and a pending outbox entry on disk by the time it resolves', async () => {
		const name = uniqueName();
		const log = await tab({ name, now: ticking() });
		const record = await log.append({ act: sampleAct() });

		// Another connection, as another tab or a reload would have, sees the committed record.
		const other = database(name);
		try {
			expect(await other.records.get(record.id)).toEqual(record);
			expect(await other.outbox.get(record.id)).toEqual({
				id: record.id,
				seq: 1,
				state: 'pending',
				attempts: 0,
				updatedAt: record.at
			});
		} finally {
			other.close();
		}
		expect(record.seq).toBe(1);
		expect(record.prev).toBeNull();
		expect(record.at).toBe('2026-11-24T06:30:00.000Z');
		expect(await log.all()).toEqual([record]);
	});

	it('numbers records from 1 and links each to the digest of the one before', async () => {
		const log = await tab({ name: uniqueName(), now: ticking() });
		const records = await appendMany(log, 5);

		const stored = await log.all();
		expect(stored).toEqual(records);
		expect(stored.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
		expect(stored[0]!.prev).toBeNull();
		for (let i = 1; i < stored.length; i++) expect(stored[i]!.prev).toBe(stored[i - 1]!.digest);
		expect(await verifyChain({ records: stored })).toEqual({ ok: true, count: 5 });

		const entries = await log.entries();
		expect(entries.map((e) => [e.id, e.seq, e.state, e.attempts])).toEqual(
			stored.map((r) => [r.id, r.seq, 'pending', 0])
		);
	});

	it('continues the chain of records written before the page was reloaded', async () => {
		const name = uniqueName();
		const first = await tab({ name, now: ticking() });
		await appendMany(first, 2);
		first.close();

		const reloaded = await tab({ name, now: ticking(Date.parse('2026-11-25T00:00:00.000Z')) });
		const third = await reloaded.append({ act: sampleAct() });
		const stored = await reloaded.all();
		expect(third.seq).toBe(3);
		expect(third.prev).toBe(stored[1]!.digest);
		expect(await verifyChain({ records: stored })).toEqual({ ok: true, count: 3 });
	});

	it('opens the database itself when append comes first', async () => {
		const log = new RecordLog({ db: database(uniqueName()) });
		opened.push(log);
		const record = await log.append({ act: sampleAct() });
		expect(await log.all()).toEqual([record]);
	});

	it('refuses an invalid act and stores nothing', async () => {
		const log = await tab({ name: uniqueName() });
		await expect(log.append({ act: sampleAct({ subject: ' ' }) })).rejects.toMatchObject({
			code: 'record/invalid'
		});
		expect(await log.all()).toEqual([]);
		expect(await log.entries()).toEqual([]);
	});

	it('keeps concurrent appends in one tab in one unbroken chain', async () => {
		const log = await tab({ name: uniqueName() });
		const count = 20;
		const results = await Promise.all(
			Array.from({ length: count }, (_, i) =>
				log.append({ act: sampleAct({ subject: `customer-${i}` }) })
			)
		);

		const stored = await log.all();
		expect(stored.map((r) => r.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
		expect(new Set(results.map((r) => r.id))).toEqual(new Set(stored.map((r) => r.id)));
		expect(await verifyChain({ records: stored })).toEqual({ ok: true, count });
	});

	it('keeps appends from two tabs at the same moment in one unbroken chain', async () => {
		const name = uniqueName();
		const [left, right] = [await tab({ name }), await tab({ name })];
		const count = 20;
		const results = await Promise.all(
			Array.from({ length: count }, (_, i) =>
				(i % 2 ? right : left).append({ act: sampleAct({ subject: `customer-${i}` }) })
			)
		);

		for (const log of [left, right]) {
			const stored = await log.all();
			expect(stored.map((r) => r.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
			for (let i = 1; i < count; i++) expect(stored[i]!.prev).toBe(stored[i - 1]!.digest);
			expect(await verifyChain({ records: stored })).toEqual({ ok: true, count });
			// What each caller was told was saved is exactly what is on disk.
			const byId = new Map(stored.map((r) => [r.id, r]));
			for (const record of results) expect(byId.get(record.id)).toEqual(record);
			expect((await log.entries()).map((e) => e.seq)).toEqual(stored.map((r) => r.seq));
		}
	});

	it('serializes appends through Web Locks where the browser has them', async () => {
		const request = vi.fn((_name: string, callback: () => Promise<unknown>) => callback());
		vi.stubGlobal('navigator', { locks: { request } });
		const log = await tab({ name: uniqueName() });
		await log.append({ act: sampleAct() });
		expect(request).toHaveBeenCalledTimes(1);
		expect(request.mock.calls[0]![0]).toBe('assent:append');
	});
});

describe('RecordLog.pending', () => {
	it('returns the records waiting for the backend, oldest first', async () => {
		const log = await tab({ name: uniqueName(), now: ticking() });
		const records = await appendMany(log, 6);
		await log.settle([
			{ id: records[1]!.id, state: 'synced' },
			{ id: records[3]!.id, state: 'rejected', reason: 'unknown statement', retryable: false }
		]);

		expect(await log.pending()).toEqual([records[0], records[2], records[4], records[5]]);
		expect(await log.pending({ limit: 2 })).toEqual([records[0], records[2]]);
		expect(await log.pending({ limit: 10 })).toHaveLength(4);
	});

	it('orders by seq, not by the order entries were last changed', async () => {
		const log = await tab({ name: uniqueName(), now: ticking() });
		const records = await appendMany(log, 3);
		// A failed push of the newest record touches its entry last; it must not jump the queue.
		await log.settle([{ id: records[2]!.id, state: 'pending', error: 'offline' }]);
		await log.settle([{ id: records[0]!.id, state: 'pending', error: 'offline' }]);
		expect((await log.pending()).map((r) => r.seq)).toEqual([1, 2, 3]);
	});

	it('is empty when everything was acknowledged or refused', async () => {
		const log = await tab({ name: uniqueName() });
		expect(await log.pending()).toEqual([]);
		const records = await appendMany(log, 2);
		await log.settle([
			{ id: records[0]!.id, state: 'synced' },
			{ id: records[1]!.id, state: 'rejected', reason: 'bad subject token' }
		]);
		expect(await log.pending()).toEqual([]);
		expect((await log.entries({ state: 'synced' })).map((e) => e.id)).toEqual([records[0]!.id]);
		expect((await log.entries({ state: 'rejected' })).map((e) => e.id)).toEqual([records[1]!.id]);
	});
});

describe('RecordLog.recordsOf', () => {
	it("reads a subject's records of the statements asked for without reading its others", async () => {
		const log = await tab({ name: uniqueName(), now: ticking() });
		const statement = (id: string) => ({ ...sampleAct().statement, id });
		const acts = [
			sampleAct({ subject: 'shopper' }),
			sampleAct({ subject: 'shopper', statement: statement('privacy') }),
			sampleAct({ subject: 'other' }),
			sampleAct({ subject: 'shopper', statement: statement('newsletter'), partner: 'acme' }),
			sampleAct({ subject: 'shopper', partner: 'acme' }),
			sampleAct({ subject: 'shopper', statement: statement('privacy') })
		];
		const records: AcceptanceRecord[] = [];
		for (const act of acts) records.push(await log.append({ act }));
		// Every record IndexedDB hands the log while it reads.
		const read: AcceptanceRecord[] = [];
		log.db.records.hook('reading', (record) => {
			read.push(record);
			return record;
		});

		const found = await log.recordsOf({
			subject: 'shopper',
			statementIds: ['terms', 'newsletter', 'terms']
		});
		expect(found).toEqual([records[0], records[3], records[4]]);
		expect(read.map((r) => r.seq).sort()).toEqual([1, 4, 5]);
		expect(
			await log.recordsOf({ subject: 'shopper', statementIds: ['terms'], partner: 'acme' })
		).toEqual([records[4]]);
		expect(await log.recordsOf({ subject: 'shopper', statementIds: [] })).toEqual([]);
		expect((await log.recordsOf({ subject: 'shopper' })).map((r) => r.seq)).toEqual([
			1, 2, 4, 5, 6
		]);
	});
});

describe('RecordLog.settle', () => {
	it('marks a record synced with the backend receipt and receive time', async () => {
		const log = await tab({ name: uniqueName(), now: ticking() });
		const [record] = await appendMany(log, 1);
		const receipt = { alg: 'ed25519', signature: 'c2lnbmVk', seq: 1 };
		await log.settle([
			{ id: record!.id, state: 'synced', receivedAt: '2026-11-24T06:31:00.000Z', receipt }
		]);

		const [entry] = await log.entries();
		expect(entry).toMatchObject({
			id: record!.id,
			seq: 1,
			state: 'synced',
			attempts: 1,
			receivedAt: '2026-11-24T06:31:00.000Z',
			receipt
		});
		expect(entry!.updatedAt).toBe('2026-11-24T06:30:01.000Z');
	});

	it('never downgrades a synced record when a late answer says otherwise', async () => {
		const log = await tab({ name: uniqueName(), now: ticking() });
		const [record] = await appendMany(log, 1);
		const receipt = { signature: 'abc' };
		await log.settle([
			{ id: record!.id, state: 'synced', receivedAt: '2026-11-24T06:31:00.000Z', receipt }
		]);
		const [synced] = await log.entries();

		await log.settle([{ id: record!.id, state: 'rejected', reason: 'late refusal' }]);
		await log.settle([{ id: record!.id, state: 'pending', error: 'timeout' }]);

		expect(await log.entries()).toEqual([synced]);
		expect(synced).toMatchObject({ state: 'synced', receipt, attempts: 1 });
		expect(await log.pending()).toEqual([]);
	});

	it('counts push attempts and keeps the last error and refusal reason', async () => {
		const log = await tab({ name: uniqueName(), now: ticking() });
		const [record] = await appendMany(log, 1);
		await log.settle([{ id: record!.id, state: 'pending', error: 'network down' }]);
		await log.settle([{ id: record!.id, state: 'pending', error: 'HTTP 503' }]);
		expect((await log.entries())[0]).toMatchObject({
			state: 'pending',
			attempts: 2,
			lastError: 'HTTP 503'
		});

		await log.settle([
			{ id: record!.id, state: 'rejected', reason: 'statement unknown', retryable: false }
		]);
		expect((await log.entries())[0]).toMatchObject({
			state: 'rejected',
			attempts: 3,
			reason: 'statement unknown',
			retryable: false
		});
	});

	it('leaves the records themselves untouched', async () => {
		const log = await tab({ name: uniqueName(), now: ticking() });
		const records = await appendMany(log, 3);
		await log.settle([
			{ id: records[0]!.id, state: 'synced', receipt: { signature: 'x' } },
			{ id: records[1]!.id, state: 'rejected', reason: 'refused' },
			{ id: records[2]!.id, state: 'pending', error: 'offline' }
		]);
		expect(await log.all()).toEqual(records);
		expect(await verifyChain({ records: await log.all() })).toEqual({ ok: true, count: 3 });
	});

	it('ignores updates for records this browser does not have', async () => {
		const log = await tab({ name: uniqueName() });
		const [record] = await appendMany(log, 1);
		await log.settle([
			{ id: '01900000-0000-7000-8000-000000000000', state: 'synced' },
			{ id: record!.id, state: 'synced' }
		]);
		expect(await log.entries()).toHaveLength(1);
		expect((await log.entries())[0]).toMatchObject({ id: record!.id, state: 'synced' });
	});
});

describe('requestPersistence', () => {
	it('says unsupported where the browser has no storage manager', async () => {
		vi.stubGlobal('navigator', {});
		expect(await requestPersistence()).toBe('unsupported');
		vi.stubGlobal('navigator', undefined);
		expect(await requestPersistence()).toBe('unsupported');
	});

	it('says granted when storage is already persistent, without asking again', async () => {
		const persist = vi.fn(async () => false);
		vi.stubGlobal('navigator', { storage: { persisted: async () => true, persist } });
		expect(await requestPersistence()).toBe('granted');
		expect(persist).not.toHaveBeenCalled();
	});

	it('says granted or denied as the browser answers the request', async () => {
		vi.stubGlobal('navigator', {
			storage: { persisted: async () => false, persist: async () => true }
		});
		expect(await requestPersistence()).toBe('granted');
		vi.stubGlobal('navigator', {
			storage: { persisted: async () => false, persist: async () => false }
		});
		expect(await requestPersistence()).toBe('denied');
	});

	it('says denied when the browser throws', async () => {
		vi.stubGlobal('navigator', {
			storage: {
				persisted: async () => false,
				persist: async () => {
					throw new DOMException('not allowed', 'NotAllowedError');
				}
			}
		});
		expect(await requestPersistence()).toBe('denied');
	});
});
