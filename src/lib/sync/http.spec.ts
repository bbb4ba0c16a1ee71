import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AcceptanceRecord } from '../core/record';
import { sampleAct, sampleChain } from '../core/record-fixtures';
import { adapterContract } from './contract.spec-suite';
import { httpAdapter, retryAfterMs, splitBatches } from './http';
import { RetryableSyncError, StandingError } from './types';

interface Seen {
	headers: IncomingMessage['headers'];
	body: { records: AcceptanceRecord[] };
}

/** A real HTTP server on 127.0.0.1 whose answers each test chooses. */
async function serve(
	answer: (seen: Seen, res: ServerResponse) => void
): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
	const seen: Seen[] = [];
	const server = createServer((req, res) => {
		let text = '';
		req.on('data', (chunk: Buffer) => (text += chunk.toString()));
		req.on('end', () => {
			const entry = { headers: req.headers, body: JSON.parse(text) as Seen['body'] };
			seen.push(entry);
			answer(entry, res);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/acceptances`,
		seen,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

/** A receiver of the wire protocol in a few lines: stores by id, refuses `refuse-me`. */
function protocolReceiver(store: Map<string, AcceptanceRecord>) {
	return (seen: Seen, res: ServerResponse) => {
		const accepted: string[] = [];
		const rejected: { id: string; reason: string; retryable: boolean }[] = [];
		for (const record of seen.body.records) {
			if (record.subject === 'refuse-me') {
				rejected.push({ id: record.id, reason: 'This subject is refused.', retryable: false });
				continue;
			}
			if (!store.has(record.id)) store.set(record.id, record);
			accepted.push(record.id);
		}
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify({ accepted, rejected }));
	};
}

adapterContract({
	name: 'HTTP adapter',
	create: async () => {
		const store = new Map<string, AcceptanceRecord>();
		const server = await serve(protocolReceiver(store));
		return {
			adapter: httpAdapter({ url: server.url }),
			received: async () => [...store.values()],
			close: server.close
		};
	}
});

describe('HTTP adapter', () => {
	let close: (() => Promise<void>) | undefined;
	afterEach(async () => {
		await close?.();
		close = undefined;
	});
	const signal = () => new AbortController().signal;
	const records = () => sampleChain({ acts: [sampleAct(), sampleAct({ subject: 'c-2' })] });

	async function answering(status: number, body: string, headers: Record<string, string> = {}) {
		const server = await serve((_, res) => {
			res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
			res.end(body);
		});
		close = server.close;
		return server;
	}

	it('posts the batch as JSON with an idempotency key that repeats for the same batch', async () => {
		const server = await answering(204, '');
		const batch = await records();
		const adapter = httpAdapter({
			url: server.url,
			headers: async () => ({ Authorization: 'Bearer partner-token' })
		});
		await adapter.push(batch, { signal: signal() });
		await adapter.push(batch, { signal: signal() });
		await adapter.push(batch.slice(1), { signal: signal() });
		expect(server.seen[0]!.body.records).toEqual(batch);
		expect(server.seen[0]!.headers['content-type']).toBe('application/json');
		expect(server.seen[0]!.headers.authorization).toBe('Bearer partner-token');
		const keys = server.seen.map((s) => s.headers['idempotency-key']);
		expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
		expect(keys[1]).toBe(keys[0]);
		expect(keys[2]).not.toBe(keys[0]);
	});

	it('settles the whole batch as accepted on 204 No Content, and on 409', async () => {
		const batch = await records();
		const ids = batch.map((r) => r.id);
		for (const [status, body] of [
			[204, ''],
			[409, '{"error":"duplicate"}']
		] as const) {
			const server = await answering(status, body);
			await expect(
				httpAdapter({ url: server.url }).push(batch, { signal: signal() })
			).resolves.toEqual({
				accepted: ids,
				rejected: []
			});
			await server.close();
			close = undefined;
		}
	});

	it('keeps the receipts of per-record results', async () => {
		const batch = await records();
		const server = await answering(
			200,
			JSON.stringify({
				accepted: [
					{ id: batch[0]!.id, receivedAt: '2026-11-24T07:00:00.000Z', receipt: { sig: 'x' } }
				],
				rejected: [{ id: batch[1]!.id, reason: 'unknown version', retryable: true }]
			})
		);
		const result = await httpAdapter({ url: server.url }).push(batch, { signal: signal() });
		expect(result).toEqual({
			accepted: [
				{ id: batch[0]!.id, receivedAt: '2026-11-24T07:00:00.000Z', receipt: { sig: 'x' } }
			],
			rejected: [{ id: batch[1]!.id, reason: 'unknown version', retryable: true }]
		});
	});

	it('rejects every record of the batch on another 4xx, with the reason', async () => {
		const batch = await records();
		const server = await answering(
			400,
			JSON.stringify({ message: 'records[0].digest does not match' })
		);
		const result = await httpAdapter({ url: server.url }).push(batch, { signal: signal() });
		expect(result.accepted).toEqual([]);
		expect(result.rejected).toEqual(
			batch.map((r) => ({
				id: r.id,
				reason: 'HTTP 400 Bad Request: records[0].digest does not match',
				retryable: false
			}))
		);
	});

	it.each([408, 429, 500, 503])('retries on %i, honouring Retry-After', async (status) => {
		const server = await answering(status, '{}', { 'Retry-After': '7' });
		const error = await httpAdapter({ url: server.url })
			.push(await records(), { signal: signal() })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RetryableSyncError);
		expect((error as RetryableSyncError).retryAfterMs).toBe(7000);
	});

	it.each([
		[
			'a captive portal’s login page',
			'text/html',
			'<!doctype html><title>Sign in to Wi-Fi</title>'
		],
		['an empty body', 'application/json', ''],
		['JSON of another shape', 'application/json', '{"ok":true}'],
		['a JSON list', 'application/json', '[]']
	])('settles nothing on a 200 with %s, and retries', async (_, type, body) => {
		const server = await answering(200, body, { 'Content-Type': type });
		const error = await httpAdapter({ url: server.url })
			.push(await records(), { signal: signal() })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RetryableSyncError);
		expect((error as RetryableSyncError).scope).toBe('backend');
		expect((error as Error).message).toContain('not { "accepted", "rejected" }');
	});

	it.each([401, 403, 404])(
		'keeps the records pending on %i and retries slowly, saying the backend is misconfigured',
		async (status) => {
			const server = await answering(status, '{"error":"nope","message":"No such path."}');
			const error = await httpAdapter({ url: server.url })
				.push(await records(), { signal: signal() })
				.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(RetryableSyncError);
			const retry = error as RetryableSyncError;
			expect(retry.retryAfterMs).toBe(300_000);
			expect(retry.scope).toBe('backend');
			expect(retry.message).toMatch(new RegExp(`HTTP ${status}.*No such path.*configuration`));
			const quicker = await httpAdapter({ url: server.url, misconfiguredRetryMs: 60_000 })
				.push(await records(), { signal: signal() })
				.catch((e: unknown) => e);
			expect((quicker as RetryableSyncError).retryAfterMs).toBe(60_000);
		}
	);

	it('gives up on a receiver that never answers, and retries', async () => {
		const server = await serve(() => {
			// Reads the request and never answers.
		});
		close = server.close;
		const started = Date.now();
		const error = await httpAdapter({ url: server.url, timeoutMs: 300 })
			.push(await records(), { signal: signal() })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RetryableSyncError);
		expect((error as Error).message).toContain('did not answer within 0.3 s');
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(server.seen).toHaveLength(1);
	});

	it('gives up on an answer whose body never ends', async () => {
		const server = await serve((_, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.write('{"accepted":[');
		});
		close = server.close;
		const error = await httpAdapter({ url: server.url, timeoutMs: 300 })
			.push(await records(), { signal: signal() })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RetryableSyncError);
		expect((error as Error).message).toContain('did not answer within 0.3 s');
	});

	it('waits 30 s by default before giving up', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		try {
			let aborted: AbortSignal | undefined;
			let called: () => void = () => {};
			const fetching = new Promise<void>((resolve) => (called = resolve));
			const fetch = ((_: string, init: RequestInit) => {
				aborted = init.signal!;
				called();
				return new Promise((_, reject) =>
					init.signal!.addEventListener('abort', () => reject(init.signal!.reason))
				);
			}) as typeof globalThis.fetch;
			const pushed = httpAdapter({ url: 'https://api.example/acceptances', fetch })
				.push(await records(), { signal: signal() })
				.catch((e: unknown) => e);
			await fetching;
			await vi.advanceTimersByTimeAsync(29_999);
			expect(aborted?.aborted).toBe(false);
			await vi.advanceTimersByTimeAsync(1);
			expect(await pushed).toBeInstanceOf(RetryableSyncError);
		} finally {
			vi.useRealTimers();
		}
	});

	it('passes the caller’s abort on, not as a retryable failure', async () => {
		const server = await serve(() => {});
		close = server.close;
		const controller = new AbortController();
		const pushed = httpAdapter({ url: server.url })
			.push(await records(), { signal: controller.signal })
			.catch((e: unknown) => e);
		setTimeout(() => controller.abort(new Error('stopped')), 50);
		const error = await pushed;
		expect(error).not.toBeInstanceOf(RetryableSyncError);
		expect((error as Error).message).toBe('stopped');
	});

	it('retries when the receiver cannot be reached', async () => {
		const server = await answering(200, '');
		await server.close();
		close = undefined;
		const error = await httpAdapter({ url: server.url })
			.push(await records(), { signal: signal() })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RetryableSyncError);
		expect((error as Error).message).toContain('could not be reached');
	});

	it('splits batches by size and refuses a record no request can carry', async () => {
		const batch = await sampleChain({
			acts: [
				sampleAct(),
				sampleAct({ subject: 'x'.repeat(3000) }),
				sampleAct({ subject: 'y'.repeat(3000) }),
				sampleAct({ subject: 'z'.repeat(20_000) })
			]
		});
		const { batches, oversized } = splitBatches({ records: batch, maxBytes: 8000 });
		expect(batches.map((b) => b.map((r) => r.id))).toEqual([
			[batch[0]!.id, batch[1]!.id],
			[batch[2]!.id]
		]);
		expect(oversized.map((r) => r.id)).toEqual([batch[3]!.id]);
		for (const part of batches) {
			expect(
				new TextEncoder().encode(JSON.stringify({ records: part })).length
			).toBeLessThanOrEqual(8000);
		}

		const store = new Map<string, AcceptanceRecord>();
		const server = await serve(protocolReceiver(store));
		close = server.close;
		const result = await httpAdapter({ url: server.url, maxBytes: 8000 }).push(batch, {
			signal: signal()
		});
		expect(server.seen).toHaveLength(2);
		expect(result.rejected).toEqual([
			expect.objectContaining({ id: batch[3]!.id, retryable: false })
		]);
		expect([...store.keys()]).toEqual(batch.slice(0, 3).map((r) => r.id));
	});
});

describe('retryAfterMs', () => {
	it('reads seconds and HTTP dates', () => {
		const now = Date.parse('2026-11-24T07:00:00Z');
		expect(retryAfterMs('120', now)).toBe(120_000);
		expect(retryAfterMs('Tue, 24 Nov 2026 07:00:30 GMT', now)).toBe(30_000);
		expect(retryAfterMs('soon', now)).toBeUndefined();
		expect(retryAfterMs(null, now)).toBeUndefined();
	});
});

describe('HTTP adapter standing (SPEC section 8)', () => {
	let close: (() => Promise<void>) | undefined;
	afterEach(async () => {
		await close?.();
		close = undefined;
	});

	/** A server answering GETs as the test says, noting each request's URL and headers. */
	async function standingServer(
		answer: (url: URL, res: ServerResponse) => void
	): Promise<{ url: string; seen: { url: URL; headers: IncomingMessage['headers'] }[] }> {
		const seen: { url: URL; headers: IncomingMessage['headers'] }[] = [];
		const server = createServer((req, res) => {
			const url = new URL(req.url ?? '/', 'http://receiver');
			seen.push({ url, headers: req.headers });
			answer(url, res);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		close = () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			});
		return { url: `http://127.0.0.1:${port}/acceptances/`, seen };
	}
	const json = (res: ServerResponse, status: number, body: unknown) => {
		res.writeHead(status, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify(body));
	};
	const failure = (promise: Promise<unknown>) =>
		promise.then(
			() => undefined,
			(error: unknown) => error
		);

	it('reads every page with the token, following "next" until the last', async () => {
		const records = await sampleChain({ acts: [sampleAct(), sampleAct(), sampleAct()] });
		const server = await standingServer((url, res) => {
			const page =
				url.searchParams.get('cursor') === null ? 0 : Number(url.searchParams.get('cursor'));
			json(res, 200, {
				subject: 'customer-123',
				records: [
					{
						record: records[page]!,
						receivedAt: '2026-11-24T06:30:01.000Z',
						receipt: { id: records[page]!.id }
					}
				],
				...(page < 2 ? { next: String(page + 1) } : {})
			});
		});
		const result = await httpAdapter({ url: server.url }).standing('customer-123', 'tok.en.x');
		expect(result.records.map((e) => e.record)).toEqual(records);
		expect(result.records[0]).toMatchObject({ receivedAt: '2026-11-24T06:30:01.000Z' });
		expect(server.seen.map((s) => s.url.pathname)).toEqual(Array(3).fill('/acceptances/standing'));
		expect(server.seen.map((s) => s.url.searchParams.get('subject'))).toEqual(
			Array(3).fill('customer-123')
		);
		expect(server.seen.every((s) => s.headers.authorization === 'Bearer tok.en.x')).toBe(true);
	});

	it('says the backend has no standing endpoint on 404', async () => {
		const server = await standingServer((_url, res) => json(res, 404, { error: 'not-found' }));
		const error = await failure(httpAdapter({ url: server.url }).standing('c', 't'));
		expect(error).toBeInstanceOf(StandingError);
		expect(error).toMatchObject({ reason: 'no-endpoint', code: 'standing/no-endpoint' });
		expect((error as Error).message).toMatch(
			/no standing endpoint at http:\/\/127\.0\.0\.1:\d+\/acceptances\/standing/
		);
	});

	it.each([401, 403])(
		'says the token was refused on %i, with the backend’s reason',
		async (status) => {
			const server = await standingServer((_url, res) =>
				json(res, status, { error: 'invalid-token', message: 'subject-token/expired: it expired' })
			);
			const error = await failure(httpAdapter({ url: server.url }).standing('c', 't'));
			expect(error).toMatchObject({ reason: 'refused', code: 'standing/refused' });
			expect((error as Error).message).toContain('subject-token/expired: it expired');
		}
	);

	it('treats a 2xx that is not a standing (a login page) and a malformed entry as a bad answer', async () => {
		const html = await standingServer((_url, res) => {
			res.writeHead(200, { 'Content-Type': 'text/html' });
			res.end('<html>Sign in to the Wi-Fi</html>');
		});
		expect(await failure(httpAdapter({ url: html.url }).standing('c', 't'))).toMatchObject({
			reason: 'bad-response'
		});
		await close?.();
		const shapeless = await standingServer((_url, res) =>
			json(res, 200, { subject: 'c', records: [{ receivedAt: 'x' }] })
		);
		expect(await failure(httpAdapter({ url: shapeless.url }).standing('c', 't'))).toMatchObject({
			reason: 'bad-response',
			message: expect.stringContaining('entry 0 without a "record"')
		});
	});

	it('gives up on a backend that does not answer in time, and on 5xx, as unreachable', async () => {
		const silent = await standingServer(() => {});
		const error = await failure(
			httpAdapter({ url: silent.url, timeoutMs: 300 }).standing('c', 't')
		);
		expect(error).toMatchObject({ reason: 'unreachable' });
		expect((error as Error).message).toContain('did not answer within 0.3 s');
		await close?.();
		const busy = await standingServer((_url, res) => json(res, 503, { error: 'unavailable' }));
		expect(await failure(httpAdapter({ url: busy.url }).standing('c', 't'))).toMatchObject({
			reason: 'unreachable'
		});
	});
});
