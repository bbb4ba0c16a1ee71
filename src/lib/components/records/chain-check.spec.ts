import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleAct } from '../../core/record-fixtures';
import { AssentDatabase } from '../../store/db';
import { RecordLog } from '../../store/log';
import { checkStoredChain, type WorkerReply, type WorkerRequest } from './chain-check';

/** A stand-in for the browser's Worker: it records what it was asked and answers "intact". */
class FakeWorker {
	static started: { url: string; asked: WorkerRequest[] }[] = [];
	onmessage: ((event: MessageEvent<WorkerReply>) => void) | null = null;
	onerror: ((event: ErrorEvent) => void) | null = null;
	readonly asked: WorkerRequest[] = [];

	constructor(url: URL) {
		FakeWorker.started.push({ url: String(url), asked: this.asked });
	}

	postMessage(request: WorkerRequest) {
		this.asked.push(request);
		if ('database' in request) {
			queueMicrotask(() =>
				this.onmessage?.({
					data: { kind: 'done', check: { verdict: { ok: true, count: 1 } } }
				} as MessageEvent<WorkerReply>)
			);
		}
	}
}

const dependencies = { ...Dexie.dependencies };

afterEach(() => {
	vi.unstubAllGlobals();
	Object.assign(Dexie.dependencies, dependencies);
	FakeWorker.started = [];
});

describe('verifying the stored chain', () => {
	it("verifies in a worker when the database is the browser's own IndexedDB", async () => {
		const indexedDB = new IDBFactory();
		vi.stubGlobal('indexedDB', indexedDB);
		vi.stubGlobal('IDBKeyRange', IDBKeyRange);
		vi.stubGlobal('Worker', FakeWorker);
		// As in a browser, where Dexie finds the browser's IndexedDB when it loads.
		Object.assign(Dexie.dependencies, { indexedDB, IDBKeyRange });
		// Made as the page makes it: no storage of its own given, so the browser's.
		const db = new AssentDatabase({ name: 'browser-own' });
		const check = checkStoredChain(db);
		await expect(check.result).resolves.toMatchObject({ verdict: { ok: true } });
		expect(FakeWorker.started).toHaveLength(1);
		expect(FakeWorker.started[0]!.url).toMatch(/chain\.worker/);
		expect(FakeWorker.started[0]!.asked).toEqual([{ database: 'browser-own' }]);
		db.close();
	});

	it('verifies here, chunk by chunk, a database on storage of its own (no worker can open it)', async () => {
		vi.stubGlobal('Worker', FakeWorker);
		const log = new RecordLog({
			db: new AssentDatabase({ indexedDB: new IDBFactory(), IDBKeyRange })
		});
		await log.append({ act: sampleAct() });
		await log.append({ act: sampleAct({ subject: 'someone-else' }) });
		const seen: number[] = [];
		const check = checkStoredChain(log.db, (n) => seen.push(n));
		await expect(check.result).resolves.toEqual({ verdict: expect.objectContaining({ ok: true }) });
		expect(FakeWorker.started).toEqual([]);
		expect(seen.at(-1)).toBe(2);
		log.close();
	});
});
