import Dexie from 'dexie';
import { indexedDB, IDBKeyRange, forceCloseDatabase } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyChain } from '../core/chain';
import { AssentError } from '../core/errors';
import { sampleAct } from '../core/record-fixtures';
import { AssentDatabase } from './db';
import { isStoreError, storeError, toStoreError, type StoreErrorCode } from './errors';
import { RecordLog } from './log';

let counter = 0;
const opened: RecordLog[] = [];

function uniqueName(): string {
	return `assent-errors-${++counter}-${Math.random().toString(36).slice(2)}`;
}

function database(name: string): AssentDatabase {
	return new AssentDatabase({ name, indexedDB, IDBKeyRange });
}

async function tab(name: string): Promise<RecordLog> {
	const log = new RecordLog({ db: database(name) });
	opened.push(log);
	await log.open();
	return log;
}

/** What a fresh connection (a reload, another tab) finds on disk. */
async function onDisk(name: string) {
	const db = database(name);
	try {
		return {
			records: await db.records.orderBy('seq').toArray(),
			outbox: await db.outbox.orderBy('seq').toArray()
		};
	} finally {
		db.close();
	}
}

function deleteDatabase(name: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.deleteDatabase(name);
		request.onsuccess = () => resolve();
		request.onerror = () => reject(request.error);
	});
}

/** The advice for people, then the browser's own words in brackets. */
const ADVICE_THEN_DETAIL = /nothing was saved\.( \(.*\))?$/s;

afterEach(() => {
	for (const log of opened.splice(0)) log.close();
	vi.restoreAllMocks();
});

describe('toStoreError', () => {
	const cases: [string, unknown, StoreErrorCode][] = [
		['a full disk', new DOMException('quota reached', 'QuotaExceededError'), 'store/quota'],
		[
			'a full disk reported as an aborted transaction',
			new Dexie.AbortError(
				'Transaction aborted',
				new DOMException('quota reached', 'QuotaExceededError')
			),
			'store/quota'
		],
		[
			'a full disk as Dexie maps it',
			new Dexie.QuotaExceededError(new DOMException('quota reached', 'QuotaExceededError')),
			'store/quota'
		],
		[
			'a full disk given as the cause of another error',
			new Error('write failed', {
				cause: new DOMException('quota reached', 'QuotaExceededError')
			}),
			'store/quota'
		],
		['a browser without IndexedDB', new Dexie.MissingAPIError(), 'store/unavailable'],
		[
			'a refused open',
			new Dexie.OpenFailedError('open failed', new DOMException('denied', 'SecurityError')),
			'store/unavailable'
		],
		['a closed database', new Dexie.DatabaseClosedError(), 'store/closed'],
		[
			'a closed database under an open failure',
			new Dexie.OpenFailedError(new Dexie.DatabaseClosedError()),
			'store/closed'
		],
		[
			'a connection the browser dropped',
			new DOMException('the connection is closing', 'InvalidStateError'),
			'store/closed'
		],
		[
			'an upgrade blocked by another tab',
			Object.assign(new Error('blocked'), { name: 'BlockedError' }),
			'store/blocked'
		],
		['an upgrade from another tab', new Dexie.VersionChangeError(), 'store/blocked'],
		['an unknown error', new Error('something odd'), 'store/failed'],
		['a thrown string', 'boom', 'store/failed'],
		['nothing at all', undefined, 'store/failed']
	];

	it.each(cases)('turns %s into an AssentError', (_, error, code) => {
		const mapped = toStoreError(error);
		expect(mapped).toBeInstanceOf(AssentError);
		expect(mapped.code).toBe(code);
		expect(isStoreError(mapped)).toBe(true);
		expect(mapped.message).toMatch(ADVICE_THEN_DETAIL);
		if (error !== undefined) expect(mapped.cause).toBe(error);
	});

	it("keeps the browser's words after the advice", () => {
		const mapped = toStoreError(new DOMException('quota reached', 'QuotaExceededError'));
		expect(mapped.message).toMatch(/^The browser has no storage left for this site\./);
		expect(mapped.message).toMatch(/nothing was saved\. \(quota reached\)$/);
	});

	it('passes a store error through unchanged', () => {
		const original = storeError('store/conflict', '20 attempts');
		expect(toStoreError(original)).toBe(original);
	});

	it('gives every store code advice that ends in "nothing was saved"', () => {
		const codes: StoreErrorCode[] = [
			'store/unavailable',
			'store/blocked',
			'store/quota',
			'store/closed',
			'store/conflict',
			'store/failed'
		];
		for (const code of codes) {
			const error = storeError(code);
			expect(error.code).toBe(code);
			expect(error.message).toMatch(/nothing was saved\.$/);
		}
	});
});

describe('isStoreError', () => {
	it('tells store errors from other errors', () => {
		expect(isStoreError(storeError('store/quota'))).toBe(true);
		expect(isStoreError(new AssentError('record/invalid', 'bad act'))).toBe(false);
		expect(isStoreError(new Error('store/quota'))).toBe(false);
		expect(isStoreError({ code: 'store/quota' })).toBe(false);
		expect(isStoreError(undefined)).toBe(false);
	});
});

describe('RecordLog in a browser without IndexedDB', () => {
	it('refuses to open with store/unavailable', async () => {
		const log = new RecordLog({ db: new AssentDatabase({ name: uniqueName() }) });
		await expect(log.open()).rejects.toMatchObject({ code: 'store/unavailable' });
	});

	it('refuses to append with store/unavailable', async () => {
		const log = new RecordLog({ db: new AssentDatabase({ name: uniqueName() }) });
		await expect(log.append({ act: sampleAct() })).rejects.toMatchObject({
			code: 'store/unavailable'
		});
	});

	it('refuses to list records with store/unavailable', async () => {
		const log = new RecordLog({ db: new AssentDatabase({ name: uniqueName() }) });
		await expect(log.all()).rejects.toMatchObject({ code: 'store/unavailable' });
		await expect(log.pending()).rejects.toMatchObject({ code: 'store/unavailable' });
	});
});

describe('RecordLog when the disk is full', () => {
	const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

	it('rejects with store/quota and stores neither record nor outbox entry', async () => {
		const name = uniqueName();
		const log = await tab(name);
		const saved = await log.append({ act: sampleAct() });
		vi.spyOn(log.db.records, 'add').mockImplementation(() => {
			throw quota();
		});

		const failure = await log.append({ act: sampleAct() }).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(AssentError);
		expect(failure).toMatchObject({ code: 'store/quota' });
		expect((failure as AssentError).message).toMatch(ADVICE_THEN_DETAIL);
		expect(await onDisk(name)).toEqual({
			records: [saved],
			outbox: [expect.objectContaining({ id: saved.id, state: 'pending' })]
		});
	});

	it('undoes the record when the outbox entry does not fit', async () => {
		const name = uniqueName();
		const log = await tab(name);
		vi.spyOn(log.db.outbox, 'add').mockImplementation(() => Dexie.Promise.reject(quota()));

		await expect(log.append({ act: sampleAct() })).rejects.toMatchObject({ code: 'store/quota' });
		expect(await onDisk(name)).toEqual({ records: [], outbox: [] });
	});

	it('rejects with store/quota when the write itself fails inside IndexedDB', async () => {
		const name = uniqueName();
		const log = await tab(name);
		log.db.records.hook('creating', () => {
			throw quota();
		});

		await expect(log.append({ act: sampleAct() })).rejects.toMatchObject({ code: 'store/quota' });
		expect(await onDisk(name)).toEqual({ records: [], outbox: [] });
	});

	it('appends again once there is room', async () => {
		const name = uniqueName();
		const log = await tab(name);
		const add = vi.spyOn(log.db.records, 'add').mockImplementationOnce(() => {
			throw quota();
		});
		await expect(log.append({ act: sampleAct() })).rejects.toMatchObject({ code: 'store/quota' });
		add.mockRestore();

		const record = await log.append({ act: sampleAct() });
		expect(record.seq).toBe(1);
		expect((await onDisk(name)).records).toEqual([record]);
	});
});

describe('RecordLog when other tabs keep writing', () => {
	it('gives up with store/conflict and stores nothing when the chain head never holds still', async () => {
		const name = uniqueName();
		const log = await tab(name);
		const saved = await log.append({ act: sampleAct() });
		// Every attempt builds on a head that another tab has already replaced.
		vi.spyOn(log, 'head').mockResolvedValue(undefined);

		const failure = await log.append({ act: sampleAct() }).catch((error: unknown) => error);
		expect(failure).toMatchObject({ code: 'store/conflict' });
		expect((failure as AssentError).message).toMatch(ADVICE_THEN_DETAIL);
		expect((await onDisk(name)).records).toEqual([saved]);
		expect((await onDisk(name)).outbox).toHaveLength(1);
	});
});

describe('RecordLog when the database goes away mid-session', () => {
	/**
	 * Appends and checks the promise made to the caller: a resolved append means the record and
	 * its outbox entry are on disk and the chain still verifies; a rejected one is a store error.
	 */
	async function appendAndCheck(log: RecordLog, name: string): Promise<'saved' | StoreErrorCode> {
		let outcome: 'saved' | StoreErrorCode;
		try {
			const record = await log.append({ act: sampleAct({ subject: 'customer-after' }) });
			const disk = await onDisk(name);
			expect(disk.records).toContainEqual(record);
			expect(disk.outbox).toContainEqual(
				expect.objectContaining({ id: record.id, state: 'pending', attempts: 0 })
			);
			expect(await verifyChain({ records: disk.records })).toMatchObject({ ok: true });
			outcome = 'saved';
		} catch (error) {
			expect(isStoreError(error)).toBe(true);
			outcome = (error as AssentError).code as StoreErrorCode;
		}
		return outcome;
	}

	it('reopens after the page closed the database and continues the chain', async () => {
		const name = uniqueName();
		const log = await tab(name);
		const first = await log.append({ act: sampleAct() });
		log.db.close();

		expect(await appendAndCheck(log, name)).toBe('saved');
		const { records } = await onDisk(name);
		expect(records.map((r) => r.seq)).toEqual([1, 2]);
		expect(records[1]!.prev).toBe(first.digest);
	});

	it('reopens after the browser dropped the connection', async () => {
		const name = uniqueName();
		const log = await tab(name);
		await log.append({ act: sampleAct() });
		forceCloseDatabase(log.db.backendDB() as never);

		expect(await appendAndCheck(log, name)).toBe('saved');
		expect((await onDisk(name)).records.map((r) => r.seq)).toEqual([1, 2]);
	});

	it('never reports a record saved that is not on disk after the site data was cleared', async () => {
		const name = uniqueName();
		const log = await tab(name);
		await log.append({ act: sampleAct() });
		// The open connection is asked to close so the deletion can go ahead.
		vi.spyOn(console, 'warn').mockImplementation(() => undefined);
		await deleteDatabase(name);

		expect(await appendAndCheck(log, name)).toBe('saved');
	});

	const moments = ['as it starts', 'after it read the chain head', 'while its transaction runs'];

	/** Calls `interrupt` at `moment` of the next append of `log`, then lets the append go on. */
	function interruptNextAppend(log: RecordLog, moment: string, interrupt: () => void): void {
		if (moment === 'after it read the chain head') {
			const head = log.head.bind(log);
			vi.spyOn(log, 'head').mockImplementationOnce(async () => {
				const found = await head();
				interrupt();
				return found;
			});
		} else if (moment === 'while its transaction runs') {
			const add = log.db.records.add.bind(log.db.records);
			vi.spyOn(log.db.records, 'add').mockImplementationOnce((...args) => {
				interrupt();
				return add(...args);
			});
		}
	}

	it.each(moments)(
		'never reports a record saved that is not on disk when closed %s',
		async (moment) => {
			const name = uniqueName();
			const log = await tab(name);
			await log.append({ act: sampleAct() });

			interruptNextAppend(log, moment, () => log.db.close());
			const pending = log.append({ act: sampleAct({ subject: 'customer-during' }) });
			if (moment === 'as it starts') log.db.close();
			const result = await pending.then(
				(record) => ({ record }),
				(error: unknown) => ({ error })
			);

			if ('record' in result) {
				expect((await onDisk(name)).records).toContainEqual(result.record);
			} else {
				expect(result.error).toMatchObject({ code: 'store/closed' });
				expect((await onDisk(name)).records).toHaveLength(1);
			}
			// Whatever happened to that append, the log carries on with one unbroken chain.
			expect(await appendAndCheck(log, name)).toBe('saved');
		}
	);

	it('saves into a fresh database when the site data was cleared after the chain head was read', async () => {
		const name = uniqueName();
		const log = await tab(name);
		await log.append({ act: sampleAct() });
		// The open connection is asked to close so the deletion can go ahead.
		vi.spyOn(console, 'warn').mockImplementation(() => undefined);
		const head = log.head.bind(log);
		vi.spyOn(log, 'head').mockImplementationOnce(async () => {
			const found = await head();
			await deleteDatabase(name);
			return found;
		});

		// The record built on the vanished head must not be stored: the chain starts over.
		const record = await log.append({ act: sampleAct({ subject: 'customer-after' }) });
		expect(record).toMatchObject({ seq: 1, prev: null });
		const disk = await onDisk(name);
		expect(disk.records).toEqual([record]);
		expect(disk.outbox).toEqual([expect.objectContaining({ id: record.id, state: 'pending' })]);
	});

	it('reports reads from a closed database as store errors', async () => {
		const log = await tab(uniqueName());
		log.db.close();
		await expect(log.all()).rejects.toMatchObject({ code: 'store/closed' });
		await expect(log.entries()).rejects.toMatchObject({ code: 'store/closed' });
		await expect(log.pending()).rejects.toMatchObject({ code: 'store/closed' });
		await expect(log.head()).rejects.toMatchObject({ code: 'store/closed' });
		await expect(log.settle([{ id: 'x', state: 'synced' }])).rejects.toMatchObject({
			code: 'store/closed'
		});
	});
});
