import Dexie from 'dexie';
import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../core/chain';
import type { AcceptanceRecord } from '../core/record';
import { sampleAct, sampleChain } from '../core/record-fixtures';
import { AssentDatabase, DATABASE_NAME, type OutboxEntry } from './db';
import { RecordLog } from './log';

let counter = 0;
const toClose: Dexie[] = [];

function uniqueName(): string {
	return `assent-db-${++counter}-${Math.random().toString(36).slice(2)}`;
}

function database(name: string): AssentDatabase {
	const db = new AssentDatabase({ name, indexedDB, IDBKeyRange });
	toClose.push(db);
	return db;
}

/** The database as the first release of the site created it: version 1 of the schema only. */
function firstRelease(name: string): Dexie {
	const db = new Dexie(name, { indexedDB, IDBKeyRange });
	db.version(1).stores({
		records: '&id, &seq, at, subject, partner, action, statement.id',
		outbox: '&id, state, seq'
	});
	toClose.push(db);
	return db;
}

/** The database as the second release declared it (versions 1 and 2), as a tab of it holds it. */
function secondRelease(name: string): Dexie {
	const db = firstRelease(name);
	db.version(2).stores({ outbox: '&id, state, seq, [state+seq]' });
	return db;
}

let chain: AcceptanceRecord[];
let outbox: OutboxEntry[];

beforeAll(async () => {
	chain = await sampleChain({
		acts: [
			sampleAct(),
			sampleAct({ action: 'decline' }),
			sampleAct({ action: 'associate', partner: 'acme' }),
			sampleAct({ subject: 'customer-456', subjectToken: 'opaque-token' }),
			sampleAct({ action: 'disassociate', partner: 'acme' })
		]
	});
	const states = ['synced', 'pending', 'rejected', 'pending', 'pending'] as const;
	outbox = chain.map((record, i) => ({
		id: record.id,
		seq: record.seq,
		state: states[i]!,
		attempts: i,
		updatedAt: record.at,
		...(states[i] === 'synced'
			? { receivedAt: '2026-11-24T06:31:00.000Z', receipt: { signature: 'c2lnbmVk' } }
			: {}),
		...(states[i] === 'rejected' ? { reason: 'unknown statement', retryable: false } : {})
	}));
});

afterEach(() => {
	for (const db of toClose.splice(0)) db.close();
});

describe('AssentDatabase', () => {
	it("is named 'assent' unless told otherwise", () => {
		const db = new AssentDatabase({ indexedDB, IDBKeyRange });
		toClose.push(db);
		expect(db.name).toBe(DATABASE_NAME);
		expect(DATABASE_NAME).toBe('assent');
	});

	it('stores records and outbox entries as they are', async () => {
		const db = database(uniqueName());
		await db.records.bulkAdd(chain);
		await db.outbox.bulkAdd(outbox);
		expect(await db.records.orderBy('seq').toArray()).toEqual(chain);
		expect(await db.outbox.orderBy('seq').toArray()).toEqual(outbox);
	});

	it('refuses a second record with the same seq, so two heads cannot both be stored', async () => {
		const db = database(uniqueName());
		await db.records.add(chain[0]!);
		const sameSeq = { ...chain[1]!, seq: 1 };
		await expect(db.records.add(sameSeq)).rejects.toMatchObject({ name: 'ConstraintError' });
		await expect(db.records.add({ ...chain[0]! })).rejects.toMatchObject({
			name: 'ConstraintError'
		});
		expect(await db.records.toArray()).toEqual([chain[0]]);
	});
});

describe('upgrading a database written by the first release', () => {
	async function seedFirstRelease(name: string): Promise<void> {
		const old = firstRelease(name);
		await old.table('records').bulkAdd(chain);
		await old.table('outbox').bulkAdd(outbox);
		old.close();
	}

	it('keeps every record and outbox entry unchanged', async () => {
		const name = uniqueName();
		await seedFirstRelease(name);

		const db = database(name);
		await db.open();
		expect(db.verno).toBe(3);
		expect(await db.records.orderBy('seq').toArray()).toEqual(chain);
		expect(await db.outbox.orderBy('seq').toArray()).toEqual(outbox);
		expect(await verifyChain({ records: await db.records.orderBy('seq').toArray() })).toEqual({
			ok: true,
			count: chain.length
		});
	});

	it('finds the pending records through the new index, oldest first', async () => {
		const name = uniqueName();
		await seedFirstRelease(name);

		const log = new RecordLog({ db: database(name) });
		await log.open();
		expect(log.db.tables.find((t) => t.name === 'outbox')!.schema.idxByName).toHaveProperty(
			'[state+seq]'
		);
		expect(await log.pending()).toEqual([chain[1], chain[3], chain[4]]);
		expect(await log.pending({ limit: 1 })).toEqual([chain[1]]);
		expect((await log.entries({ state: 'rejected' })).map((e) => e.seq)).toEqual([3]);
	});

	it('continues the old chain with the next append', async () => {
		const name = uniqueName();
		await seedFirstRelease(name);

		const log = new RecordLog({ db: database(name) });
		const record = await log.append({ act: sampleAct() });
		expect(record).toMatchObject({ seq: 6, prev: chain[4]!.digest });
		expect(await verifyChain({ records: await log.all() })).toEqual({ ok: true, count: 6 });
	});
});

describe('upgrading a database the second release wrote, while a tab of it is still open', () => {
	it("keeps every record and outbox entry, finds a subject's records of one statement, and the open tab goes on", async () => {
		const name = uniqueName();
		const old = secondRelease(name);
		await old.table('records').bulkAdd(chain);
		await old.table('outbox').bulkAdd(outbox);

		const log = new RecordLog({ db: database(name) });
		await log.open();
		expect(log.db.verno).toBe(3);
		expect(await log.all()).toEqual(chain);
		expect(await log.entries()).toEqual(outbox);
		expect(
			await log.recordsOf({ subject: 'customer-123', statementIds: ['terms'], partner: 'acme' })
		).toEqual([chain[2], chain[4]]);
		expect(await log.recordsOf({ subject: 'customer-456', statementIds: ['terms'] })).toEqual([
			chain[3]
		]);

		// The tab of the second release let go when asked, and opens the upgraded database as it
		// is when it next reads or writes: it sees every record and extends the same chain.
		expect(await old.table('records').orderBy('seq').toArray()).toEqual(chain);
		const record = await log.append({ act: sampleAct() });
		expect(await old.table('records').get(record.id)).toEqual(record);
		expect(await verifyChain({ records: await log.all() })).toEqual({ ok: true, count: 6 });
	});
});
