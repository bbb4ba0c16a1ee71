import Dexie from 'dexie';
import { indexedDB, IDBKeyRange, IDBTransaction, forceCloseDatabase } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyChain } from '../core/chain';
import { AssentError } from '../core/errors';
import type { AcceptanceRecord } from '../core/record';
import { buildRecord } from '../core/record-builder';
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

/** A quota refusal as browsers raise it. */
const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/** The parts of fake-indexeddb's connections and transactions that the disk faults reach. */
interface FakeConnection {
	_rawDatabase: {
		rawObjectStores: Map<string, { storeRecord: (...args: unknown[]) => unknown }>;
	};
}
interface FakeTransaction extends EventTarget {
	db: unknown;
	mode: string;
	_requests: unknown[];
	_state: string;
	error: unknown;
	_start(): void;
	_abort(name: string | null): void;
}

/**
 * The storage under one tab: faults are made in fake-indexeddb, where a browser would make them,
 * so Dexie, the log and the error mapping all run as they do in a browser.
 */
function disk(log: RecordLog) {
	const connection = log.db.backendDB() as unknown as FakeConnection;
	/** Runs `step` for each step of this tab's transactions; `run` takes the step as usual. */
	const onTransactionStep = (step: (tx: FakeTransaction, run: () => void) => void) => {
		const prototype = IDBTransaction.prototype as unknown as FakeTransaction;
		const original = prototype._start;
		vi.spyOn(prototype, '_start').mockImplementation(function (this: FakeTransaction) {
			const run = () => original.call(this);
			if (this.db === connection) step(this, run);
			else run();
		});
	};
	return {
		/**
		 * The next `times` writes into `store` fail with QuotaExceededError, as Firefox reports a
		 * full disk: the request fails and its transaction aborts.
		 */
		fillOnWrite(store: 'records' | 'outbox', times = Infinity) {
			const raw = connection._rawDatabase.rawObjectStores.get(store)!;
			const storeRecord = raw.storeRecord.bind(raw);
			let left = times;
			raw.storeRecord = (...args) => {
				if (left <= 0) return storeRecord(...args);
				left--;
				throw quota();
			};
		},
		/**
		 * Every read-write transaction of this tab aborts with QuotaExceededError when it would
		 * commit, as Chromium reports a full disk.
		 */
		fillOnCommit() {
			onTransactionStep((tx, run) => {
				const committing = tx._requests.length === 0 && tx._state !== 'finished' && !tx.error;
				if (tx.mode === 'readwrite' && committing) tx._abort('QuotaExceededError');
				else run();
			});
		},
		/**
		 * Calls `then` once, as soon as the first read of this tab's next `mode` transaction has
		 * its answer: in an append, `readonly` is reading the chain head, `readwrite` is the
		 * head check inside the transaction that writes.
		 */
		afterNextRead(mode: 'readonly' | 'readwrite', then: () => void) {
			let done = false;
			onTransactionStep((tx, run) => {
				if (!done && tx.mode === mode) {
					done = true;
					const [read] = tx._requests as { request: EventTarget }[];
					read?.request.addEventListener('success', then);
				}
				run();
			});
		},
		/**
		 * Another tab appends the next of `records` (with its outbox entry) each time this tab
		 * reads the chain head, so the head it read has always moved on by the time it writes.
		 * Returns what the other tab wrote.
		 */
		otherTabWritesAfterEachRead(
			other: AssentDatabase,
			records: AcceptanceRecord[]
		): AcceptanceRecord[] {
			const written: AcceptanceRecord[] = [];
			const watched = new WeakSet<FakeTransaction>();
			const write = () => {
				const record = records[written.length];
				if (!record) return;
				written.push(record);
				const tx = other.backendDB().transaction(['records', 'outbox'], 'readwrite');
				tx.objectStore('records').add(record);
				tx.objectStore('outbox').add({
					id: record.id,
					seq: record.seq,
					state: 'pending',
					attempts: 0,
					updatedAt: record.at
				});
			};
			// The other tab writes as soon as the read has its answer, before this tab goes on.
			onTransactionStep((tx, run) => {
				if (tx.mode === 'readonly' && !watched.has(tx)) {
					watched.add(tx);
					const [read] = tx._requests as { request: EventTarget }[];
					read?.request.addEventListener('success', write);
				}
				run();
			});
			return written;
		}
	};
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
	it('rejects with store/quota and stores neither record nor outbox entry', async () => {
		const name = uniqueName();
		const log = await tab(name);
		const saved = await log.append({ act: sampleAct() });
		disk(log).fillOnWrite('records');

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
		disk(log).fillOnWrite('outbox');

		await expect(log.append({ act: sampleAct() })).rejects.toMatchObject({ code: 'store/quota' });
		expect(await onDisk(name)).toEqual({ records: [], outbox: [] });
	});

	it('rejects with store/quota when the commit itself fails inside IndexedDB', async () => {
		const name = uniqueName();
		const log = await tab(name);
		disk(log).fillOnCommit();

		await expect(log.append({ act: sampleAct() })).rejects.toMatchObject({ code: 'store/quota' });
		expect(await onDisk(name)).toEqual({ records: [], outbox: [] });
	});

	it('appends again once there is room', async () => {
		const name = uniqueName();
		const log = await tab(name);
		disk(log).fillOnWrite('records', 1);
		await expect(log.append({ act: sampleAct() })).rejects.toMatchObject({ code: 'store/quota' });

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
		// More records than the log has attempts: the other tab is always one step ahead.
		const theirs: AcceptanceRecord[] = [];
		for (let i = 0; i < 50; i++) {
			const prev = theirs.at(-1) ?? saved;
			theirs.push(
				await buildRecord({
					act: sampleAct({ subject: 'other-tab' }),
					prev: { digest: prev.digest, seq: prev.seq }
				})
			);
		}
		const other = database(name);
		await other.open();
		const written = disk(log).otherTabWritesAfterEachRead(other, theirs);

		const failure = await log
			.append({ act: sampleAct({ subject: 'this-tab' }) })
			.catch((error: unknown) => error);
		other.close();
		expect(failure).toMatchObject({ code: 'store/conflict' });
		expect((failure as AssentError).message).toMatch(ADVICE_THEN_DETAIL);
		// Only what the other tab wrote came after the saved record: nothing of the failed append.
		expect(written.length).toBeGreaterThan(0);
		const after = await onDisk(name);
		expect(after.records).toEqual([saved, ...written]);
		expect(after.outbox).toHaveLength(1 + written.length);
		expect(await verifyChain({ records: after.records })).toMatchObject({ ok: true });
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
		if (moment === 'after it read the chain head') disk(log).afterNextRead('readonly', interrupt);
		else if (moment === 'while its transaction runs') {
			disk(log).afterNextRead('readwrite', interrupt);
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
