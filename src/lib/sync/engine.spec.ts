import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AssentError } from '../core/errors';
import type { AcceptanceRecord } from '../core/record';
import { sampleAct } from '../core/record-fixtures';
import { AssentDatabase } from '../store/db';
import { RecordLog } from '../store/log';
import { SyncEngine, type SyncEngineOptions, type SyncStatus } from './engine';
import { httpAdapter } from './http';
import { memoryAdapter } from './memory';
import { RetryableSyncError, type PushResult, type SyncAdapter } from './types';

/** A clock the test moves by hand: timers fire only when it passes their time. */
function manualClock() {
	let now = 0;
	let next = 0;
	const due = new Map<number, { at: number; run: () => void }>();
	return {
		now: () => now,
		timers: {
			setTimeout: (run: () => void, ms: number) => {
				due.set(++next, { at: now + ms, run });
				return next;
			},
			clearTimeout: (handle: unknown) => void due.delete(handle as number)
		},
		/** Moves time forward, firing timers on the way, and lets their pushes finish. */
		async advance(ms: number) {
			const end = now + ms;
			for (;;) {
				const [handle, timer] =
					[...due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0] ??
					[];
				if (!timer) break;
				due.delete(handle!);
				now = timer.at;
				timer.run();
				await settle();
			}
			now = end;
			await settle();
		},
		/** When the next timer fires, relative to now. */
		nextIn: () => Math.min(...[...due.values()].map((t) => t.at - now))
	};
}

/** Lets IndexedDB callbacks and promise chains run. */
async function settle() {
	for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

function freshLog() {
	return new RecordLog({ db: new AssentDatabase({ indexedDB: new IDBFactory(), IDBKeyRange }) });
}

async function append(log: RecordLog, count: number, subject = 'customer-123') {
	const records: AcceptanceRecord[] = [];
	for (let i = 0; i < count; i++) records.push(await log.append({ act: sampleAct({ subject }) }));
	return records;
}

class FakeWindow extends EventTarget {
	navigator = { onLine: true };
}

const engines: SyncEngine[] = [];
afterEach(() => engines.splice(0).forEach((e) => e.stop()));

function engine(options: Partial<SyncEngineOptions> & Pick<SyncEngineOptions, 'log' | 'adapter'>) {
	const clock = manualClock();
	const errors: AssentError[] = [];
	const statuses: SyncStatus[] = [];
	const win = new FakeWindow();
	const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
	const created = new SyncEngine({
		locks: null,
		random: () => 1,
		now: clock.now,
		timers: clock.timers,
		window: win,
		document: doc,
		onError: (e) => errors.push(e),
		onStatus: (s) => statuses.push(s),
		channelName: `test-${Math.random()}`,
		...options
	});
	engines.push(created);
	return { engine: created, clock, errors, statuses, win, doc };
}

describe('SyncEngine', () => {
	it('pushes pending records oldest first in batches and keeps every record, marked synced', async () => {
		const log = freshLog();
		const written = await append(log, 5);
		const adapter = memoryAdapter();
		const { engine: sync } = engine({ log, adapter, batchSize: 2 });
		sync.start();
		await settle();
		expect(adapter.requests.map((r) => r.map((x) => x.seq))).toEqual([[1, 2], [3, 4], [5]]);
		expect(adapter.received).toEqual(written);
		expect(await log.all()).toEqual(written);
		const entries = await log.entries();
		expect(entries.map((e) => e.state)).toEqual(Array(5).fill('synced'));
		expect(entries[0]!.receivedAt).toMatch(/^\d{4}-/);
	});

	it('backs off exponentially with full jitter up to five minutes, then recovers', async () => {
		const log = freshLog();
		await append(log, 1);
		const adapter = memoryAdapter();
		adapter.failNext(12);
		const { engine: sync, clock, errors, statuses } = engine({ log, adapter });
		sync.start();
		await settle();
		const waits: number[] = [];
		for (let i = 0; i < 11; i++) {
			waits.push(clock.nextIn());
			await clock.advance(clock.nextIn());
		}
		// random() = 1: each wait is the ceiling, doubling from 1 s and capped at 5 min.
		expect(waits).toEqual([
			1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000
		]);
		expect(errors.length).toBeGreaterThanOrEqual(11);
		expect(errors[0]!.code).toBe('sync/retry');
		expect(statuses.at(-1)?.state).toBe('waiting');
		await clock.advance(clock.nextIn());
		expect((await log.entries())[0]!.state).toBe('synced');
		expect((await log.entries())[0]!.attempts).toBeGreaterThan(1);
	});

	it('draws each wait between zero and the ceiling', async () => {
		const log = freshLog();
		await append(log, 1);
		const adapter = memoryAdapter();
		adapter.failNext(3);
		const { engine: sync, clock } = engine({ log, adapter, random: () => 0.25 });
		sync.start();
		await settle();
		const waits: number[] = [];
		for (let i = 0; i < 3; i++) {
			waits.push(clock.nextIn());
			await clock.advance(clock.nextIn());
		}
		expect(waits).toEqual([250, 500, 1000]);
	});

	it('never asks again sooner than Retry-After says', async () => {
		const log = freshLog();
		await append(log, 1);
		let calls = 0;
		const adapter: SyncAdapter = {
			push: (records) => {
				calls++;
				if (calls === 1) throw new RetryableSyncError({ message: '429', retryAfterMs: 60_000 });
				return { accepted: records.map((r) => r.id), rejected: [] };
			}
		};
		const { engine: sync, clock } = engine({ log, adapter, random: () => 0 });
		sync.start();
		await settle();
		await clock.advance(59_000);
		sync.notify();
		await settle();
		expect(calls).toBe(1);
		await clock.advance(1_000);
		expect(calls).toBe(2);
		expect((await log.entries())[0]!.state).toBe('synced');
	});

	it('waits while offline and pushes when the browser is back online', async () => {
		const log = freshLog();
		await append(log, 2);
		const adapter = memoryAdapter();
		const { engine: sync, win, statuses } = engine({ log, adapter });
		win.navigator.onLine = false;
		sync.start();
		await settle();
		expect(adapter.requests).toHaveLength(0);
		expect(statuses.at(-1)).toEqual({ state: 'offline' });
		win.navigator.onLine = true;
		win.dispatchEvent(new Event('online'));
		await settle();
		expect(adapter.received).toHaveLength(2);
	});

	it('pushes when the page becomes visible again', async () => {
		const log = freshLog();
		const adapter = memoryAdapter();
		const { engine: sync, doc } = engine({ log, adapter });
		sync.start();
		await settle();
		await append(log, 1);
		doc.dispatchEvent(new Event('visibilitychange'));
		await settle();
		expect(adapter.received).toHaveLength(1);
	});

	it('keeps a refused record, with the reason, and does not let it block the others', async () => {
		const log = freshLog();
		await append(log, 1);
		const [poison] = await append(log, 1, 'refuse-me');
		await append(log, 2);
		const adapter = memoryAdapter({
			reject: (r) => (r.subject === 'refuse-me' ? { reason: 'Unknown subject.' } : undefined)
		});
		const { engine: sync, errors } = engine({ log, adapter, batchSize: 2 });
		sync.start();
		await settle();
		sync.notify();
		await settle();
		const entries = await log.entries();
		expect(entries.map((e) => e.state)).toEqual(['synced', 'rejected', 'synced', 'synced']);
		expect(entries[1]).toMatchObject({ id: poison!.id, reason: 'Unknown subject.' });
		expect((await log.all()).map((r) => r.id)).toContain(poison!.id);
		expect(errors.map((e) => e.code)).toContain('sync/rejected');
		// Sent once: a refused record is not sent again.
		expect(adapter.requests.flat().filter((r) => r.id === poison!.id)).toHaveLength(1);
	});

	it('sends a record the backend deferred again later, not at once', async () => {
		const log = freshLog();
		const [record] = await append(log, 1);
		let calls = 0;
		const adapter: SyncAdapter = {
			push: (records): PushResult => {
				calls++;
				return calls === 1
					? {
							accepted: [],
							rejected: [{ id: record!.id, reason: 'unknown version', retryable: true }]
						}
					: { accepted: records.map((r) => r.id), rejected: [] };
			}
		};
		const { engine: sync, clock } = engine({ log, adapter });
		sync.start();
		await settle();
		expect(calls).toBe(1);
		expect((await log.entries())[0]).toMatchObject({
			state: 'pending',
			lastError: 'unknown version'
		});
		await clock.advance(clock.nextIn());
		expect(calls).toBe(2);
		expect((await log.entries())[0]!.state).toBe('synced');
	});

	it('does not let a run of deferred records hold back the newer ones behind it', async () => {
		const log = freshLog();
		const held = await append(log, 3, 'not-yet');
		const fresh = await append(log, 3);
		const adapter = memoryAdapter({
			reject: (r) =>
				r.subject === 'not-yet' ? { reason: 'unknown version', retryable: true } : undefined
		});
		const { engine: sync, clock } = engine({ log, adapter, batchSize: 2 });
		sync.start();
		await settle();
		// The deferred records fill whole batches at the head of the queue; the rest still go.
		const states = new Map((await log.entries()).map((e) => [e.id, e.state]));
		expect(fresh.map((r) => states.get(r.id))).toEqual(['synced', 'synced', 'synced']);
		expect(held.map((r) => states.get(r.id))).toEqual(['pending', 'pending', 'pending']);
		// Each sent once in this pass, and again only after a wait.
		expect(adapter.requests.flat().filter((r) => r.subject === 'not-yet')).toHaveLength(3);
		expect(clock.nextIn()).toBeGreaterThan(0);
		await clock.advance(clock.nextIn());
		expect(adapter.requests.flat().filter((r) => r.subject === 'not-yet')).toHaveLength(6);
	});

	/** A backend that fails (as a 500 would) every batch holding a record of `poison`. */
	function poisonedBackend(poison: (r: AcceptanceRecord) => boolean) {
		const backend = memoryAdapter();
		const adapter: SyncAdapter & { requests: AcceptanceRecord[][]; down: boolean } = {
			requests: [],
			down: false,
			push(records, options) {
				adapter.requests.push(records);
				if (adapter.down || records.some(poison)) {
					throw new RetryableSyncError({ message: 'HTTP 500: could not store the batch' });
				}
				return backend.push(records, options);
			}
		};
		return adapter;
	}

	it('finds a record that fails every batch holding it, so the others go after one wait', async () => {
		const log = freshLog();
		const before = await append(log, 37);
		const [poison] = await append(log, 1, 'x'.repeat(3000));
		const after = await append(log, 62);
		const adapter = poisonedBackend((r) => r.id === poison!.id);
		const { engine: sync, clock, errors, statuses } = engine({ log, adapter });
		sync.start();
		await vi.waitFor(() => expect(statuses.at(-1)?.state).toBe('waiting'));
		// The first failure may be a blip: one wait.
		expect(adapter.requests).toHaveLength(1);
		expect(clock.nextIn()).toBe(1000);
		await clock.advance(1000);
		await vi.waitFor(async () =>
			expect((await log.entries()).filter((e) => e.state === 'synced')).toHaveLength(99)
		);
		const states = new Map((await log.entries()).map((e) => [e.id, e]));
		for (const record of [...before, ...after]) expect(states.get(record.id)!.state).toBe('synced');
		expect(states.get(poison!.id)).toMatchObject({
			state: 'pending',
			lastError: expect.stringContaining('HTTP 500')
		});
		// Found by halving: a handful of requests, not one per record.
		expect(adapter.requests.length).toBeLessThanOrEqual(2 + 2 * Math.ceil(Math.log2(100)));
		expect(errors.map((e) => e.code)).toContain('sync/retry');

		// From now on it goes alone: newer records are not held back by it.
		const [later] = await append(log, 1);
		const sent = adapter.requests.length;
		await clock.advance(clock.nextIn());
		expect((await log.entries()).find((e) => e.id === later!.id)!.state).toBe('synced');
		expect(adapter.requests.slice(sent)).toEqual(expect.arrayContaining([[poison], [later]]));
		expect((await log.entries()).find((e) => e.id === poison!.id)!.state).toBe('pending');
	});

	it('finds two bad records in one batch within a few waits', async () => {
		const log = freshLog();
		await append(log, 10);
		const [first] = await append(log, 1, 'bad-1');
		await append(log, 40);
		const [second] = await append(log, 1, 'bad-2');
		await append(log, 20);
		const adapter = poisonedBackend((r) => r.subject.startsWith('bad-'));
		const { engine: sync, clock } = engine({ log, adapter });
		sync.start();
		await settle();
		for (let i = 0; i < 4; i++) await clock.advance(clock.nextIn());
		const entries = await log.entries();
		expect(entries.filter((e) => e.state === 'synced')).toHaveLength(70);
		expect(entries.filter((e) => e.state === 'pending').map((e) => e.id)).toEqual([
			first!.id,
			second!.id
		]);
	});

	it('sends a few requests per wait while the backend is down, then everything once it is back', async () => {
		const log = freshLog();
		await append(log, 30);
		const adapter = poisonedBackend(() => false);
		adapter.down = true;
		const { engine: sync, clock } = engine({ log, adapter });
		sync.start();
		await settle();
		const perWait: number[] = [];
		for (let i = 0; i < 6; i++) {
			const sent = adapter.requests.length;
			await clock.advance(clock.nextIn());
			perWait.push(adapter.requests.length - sent);
		}
		expect(Math.max(...perWait)).toBeLessThanOrEqual(3);
		expect((await log.entries()).every((e) => e.state === 'pending')).toBe(true);
		adapter.down = false;
		await clock.advance(clock.nextIn());
		await vi.waitFor(async () =>
			expect((await log.entries()).every((e) => e.state === 'synced')).toBe(true)
		);
	});

	it('does not split a batch the backend refused for reasons of its own (401, 429)', async () => {
		const log = freshLog();
		await append(log, 8);
		const requests: number[] = [];
		const adapter: SyncAdapter = {
			push: (records) => {
				requests.push(records.length);
				throw new RetryableSyncError({ message: 'HTTP 401', scope: 'backend' });
			}
		};
		const { engine: sync, clock } = engine({ log, adapter });
		sync.start();
		await settle();
		await clock.advance(clock.nextIn());
		await clock.advance(clock.nextIn());
		expect(requests).toEqual([8, 8, 8]);
	});

	it('keeps records pending on a 401, shows the error and asks again only minutes later', async () => {
		const log = freshLog();
		await append(log, 2);
		const server = createServer((_, res) => {
			res.writeHead(401, { 'Content-Type': 'application/json' });
			res.end('{"error":"unauthorized","message":"Send the operator token."}');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/acceptances`;
		let requests = 0;
		server.on('request', () => requests++);
		try {
			const {
				engine: sync,
				clock,
				errors,
				statuses
			} = engine({
				log,
				adapter: httpAdapter({ url }),
				random: () => 0
			});
			sync.start();
			await vi.waitFor(() => expect(statuses.at(-1)?.state).toBe('waiting'));
			expect(errors[0]!.message).toMatch(/HTTP 401.*Send the operator token.*configuration/);
			expect((await log.entries()).map((e) => e.state)).toEqual(['pending', 'pending']);
			expect(clock.nextIn()).toBe(300_000);
			sync.notify();
			await clock.advance(299_000);
			expect(requests).toBe(1);
		} finally {
			server.closeAllConnections();
			server.close();
		}
	});

	it('ignores ids the answer names that were not sent, and keeps unnamed ones pending', async () => {
		const log = freshLog();
		const [first, second] = await append(log, 2);
		const [other] = await append(freshLog(), 1);
		const adapter: SyncAdapter = {
			push: () => ({
				accepted: [first!.id, other!.id],
				rejected: [{ id: 'not-sent', reason: 'no' }]
			})
		};
		const settled: string[][] = [];
		const { engine: sync } = engine({
			log,
			adapter,
			onSettled: (r) => settled.push(r.accepted.map((a) => a.id))
		});
		sync.start();
		await settle();
		const entries = await log.entries();
		expect(entries.map((e) => [e.id, e.state])).toEqual([
			[first!.id, 'synced'],
			[second!.id, 'pending']
		]);
		expect(settled[0]).toEqual([first!.id]);
	});

	it('never pushes twice at once', async () => {
		const log = freshLog();
		await append(log, 1);
		let inFlight = 0;
		let most = 0;
		let release: () => void = () => {};
		const adapter: SyncAdapter = {
			push: async (records) => {
				inFlight++;
				most = Math.max(most, inFlight);
				await new Promise<void>((resolve) => (release = resolve));
				inFlight--;
				return { accepted: records.map((r) => r.id), rejected: [] };
			}
		};
		const { engine: sync } = engine({ log, adapter });
		sync.start();
		await settle();
		await append(log, 1);
		sync.notify();
		sync.notify();
		void sync.syncNow();
		await settle();
		release();
		await settle();
		release();
		await settle();
		expect(most).toBe(1);
		expect((await log.entries()).map((e) => e.state)).toEqual(['synced', 'synced']);
	});

	it('lets one engine lead when two share the browser’s locks', async () => {
		const log = freshLog();
		await append(log, 3);
		const adapter = memoryAdapter();
		// A lock manager with the one behaviour the engine relies on: one holder at a time.
		const holders: (() => void)[] = [];
		let held = false;
		const locks = {
			request: (_name: string, _options: unknown, callback: () => Promise<void>) =>
				new Promise<void>((resolve) => {
					const run = () => {
						held = true;
						void callback().then(() => {
							held = false;
							holders.shift()?.();
							resolve();
						});
					};
					if (held) holders.push(run);
					else run();
				})
		} as unknown as LockManager;
		const first = engine({ log, adapter, locks });
		const second = engine({ log, adapter, locks });
		first.engine.start();
		second.engine.start();
		await settle();
		expect(first.engine.status.state).toBe('idle');
		expect(second.engine.status.state).toBe('follower');
		second.engine.notify();
		await settle();
		expect(adapter.requests).toHaveLength(1);
		first.engine.stop();
		await settle();
		expect(second.engine.status.state).toBe('idle');
	});

	it('reports an adapter answer that is not a push result, and keeps the records pending', async () => {
		const log = freshLog();
		await append(log, 1);
		const adapter = { push: () => ({ ok: true }) } as unknown as SyncAdapter;
		const { engine: sync, errors } = engine({ log, adapter });
		sync.start();
		await settle();
		expect(errors[0]!.code).toBe('sync/bad-response');
		expect((await log.entries())[0]!.state).toBe('pending');
	});

	it('hands pending records to one keepalive request when the page is hidden for good', async () => {
		const log = freshLog();
		await append(log, 2);
		const seen: boolean[] = [];
		const adapter: SyncAdapter = {
			push: (records, options) => {
				seen.push(options.keepalive === true);
				throw new RetryableSyncError({ message: 'offline' });
			}
		};
		const { engine: sync, win } = engine({ log, adapter });
		sync.start();
		await settle();
		win.dispatchEvent(new Event('pagehide'));
		await settle();
		expect(seen).toEqual([false, true]);
		expect((await log.entries()).map((e) => e.state)).toEqual(['pending', 'pending']);
	});
});
