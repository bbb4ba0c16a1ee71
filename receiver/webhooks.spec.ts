/**
 * Webhooks from the reference receiver: every stored record and each change of standing it
 * causes reaches the endpoint at least once, signed per Standard Webhooks, also when the
 * receiver stops mid-delivery and starts again.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleChain } from '../src/lib/core/record-fixtures';
import { postgresSchema, postgresUrl, tempFolders } from './fixtures';
import { act, OPERATOR_TOKEN, operatorSite, post } from './operator-fixtures';
import { startReceiver } from './receiver.js';
import { redeliver } from './webhooks.js';
import type { RunningReceiver } from './types.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

/** What the tests read of an event's `data`. */
interface EventData {
	record: { id: string };
	receipt: unknown;
	[key: string]: unknown;
}

interface Delivery {
	headers: Record<string, string>;
	body: string;
}

/** A webhook endpoint that answers as `answer` says: a status, or 'hold' to never answer. */
async function endpoint() {
	const received: Delivery[] = [];
	let answer: number | 'hold' = 200;
	const held: ServerResponse[] = [];
	const server = createServer((req: IncomingMessage, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			received.push({ headers: req.headers as Record<string, string>, body });
			if (answer === 'hold') held.push(res);
			else res.writeHead(answer).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${port}/hooks`,
		received,
		set: (a: number | 'hold') => (answer = a),
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000) {
	const end = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

const backends = [
	{
		name: 'PGlite',
		database: async (dir: string) => ({ url: join(dir, 'pglite'), drop: async () => {} })
	},
	...(postgresUrl
		? [{ name: 'PostgreSQL', database: async () => postgresSchema(postgresUrl!) }]
		: [])
];

describe.each(backends)('webhooks on $name', (backend) => {
	const folders = tempFolders();
	let site: string;
	let hooks: Awaited<ReturnType<typeof endpoint>>;
	let running: RunningReceiver | undefined;
	let database: { url: string; drop(): Promise<void> };

	const start = (limits: { maxAttempts?: number } = {}) =>
		startReceiver({
			port: 0,
			database: database.url,
			site,
			subjects: 'unverified',
			signingKey: join(site, 'key.pem'),
			operatorTokens: { console: OPERATOR_TOKEN },
			webhooks: {
				urls: [hooks.url],
				secret: SECRET,
				retryMs: 50,
				pollMs: 50,
				timeoutMs: 3000,
				...limits
			},
			log: () => {}
		});

	beforeAll(async () => {
		site = folders.make('assent-webhook-site-');
		operatorSite(site);
		hooks = await endpoint();
	});
	afterEach(async () => {
		await running?.close();
		running = undefined;
		await database?.drop();
	});
	afterAll(async () => {
		await hooks.close();
		folders.cleanup();
	});

	it('delivers every event at least once, signed, across a restart mid-delivery', async () => {
		database = await backend.database(folders.make('assent-webhook-db-'));
		hooks.received.length = 0;
		hooks.set('hold');
		running = await start();
		const first = await sampleChain({
			acts: [act('accept', '2.0', 'ada'), act('associate', '1.0', 'ada', 'harbor')]
		});
		await post(running.url, first);
		await until(() => hooks.received.length >= 1, 'a first delivery attempt');
		// The endpoint holds its answers: intake goes on regardless.
		const second = await sampleChain({ acts: [act('accept', '1.0', 'bob')] });
		await post(running.url, second);
		await running.close();
		running = undefined;

		hooks.set(200);
		running = await start();
		await until(async () => {
			const log = await (
				await fetch(`${running!.url}/webhooks/deliveries`, {
					headers: { authorization: `Bearer ${OPERATOR_TOKEN}` }
				})
			).json();
			return (
				log.deliveries.length > 0 &&
				log.deliveries.every((d: { status: string }) => d.status === 'delivered')
			);
		}, 'every delivery to succeed');

		const verifier = new Webhook(SECRET);
		const events = new Map<string, { type: string; data: EventData }>();
		for (const delivery of hooks.received) {
			const payload = verifier.verify(delivery.body, delivery.headers) as {
				type: string;
				data: EventData;
			};
			expect(delivery.headers['webhook-id']).toMatch(/^msg_/);
			events.set(delivery.headers['webhook-id']!, payload);
		}
		const stored = [...events.values()].filter((e) => e.type === 'record.stored');
		expect(stored.map((e) => e.data.record.id).sort()).toEqual(
			[...first, ...second].map((r) => r.id).sort()
		);
		for (const e of stored) {
			const record = [...first, ...second].find((r) => r.id === e.data.record.id);
			expect(e.data.record).toEqual(record);
			expect(e.data.receipt).toMatchObject({ id: record!.id, digest: record!.digest });
		}
		const changes = [...events.values()].filter((e) => e.type === 'standing.changed');
		expect(changes.map((e) => e.data)).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					subject: 'ada',
					statement: 'terms',
					before: { accepted: null },
					after: { accepted: { version: '2.0', record: first[0]!.id } }
				}),
				expect.objectContaining({
					subject: 'ada',
					statement: 'partner-association',
					partner: 'harbor',
					after: expect.objectContaining({
						association: expect.objectContaining({ state: 'associated', record: first[1]!.id })
					})
				}),
				expect.objectContaining({ subject: 'bob', statement: 'terms' })
			])
		);
		expect(changes).toHaveLength(3);

		const log = await (
			await fetch(`${running.url}/webhooks/deliveries`, {
				headers: { authorization: `Bearer ${OPERATOR_TOKEN}` }
			})
		).json();
		expect(log.deliveries).toHaveLength(6);
		const interrupted = log.deliveries.filter((d: { attempts: number }) => d.attempts > 1);
		expect(interrupted.length).toBeGreaterThan(0);
		for (const d of interrupted) expect(d.lastError).toMatch(/stopped|no answer|fetch failed/);
		for (const d of log.deliveries) {
			expect(d).toMatchObject({ url: hooks.url, status: 'delivered', lastStatus: 200 });
		}
	}, 60_000); // two receivers started on one database: slow on PGlite under load

	it('retries a failing endpoint with backoff and says so in the delivery log', async () => {
		database = await backend.database(folders.make('assent-webhook-db-'));
		hooks.received.length = 0;
		hooks.set(503);
		running = await start();
		await post(running.url, await sampleChain({ acts: [act('decline', '2.0', 'cy')] }));
		await until(() => hooks.received.length >= 3, 'three attempts');
		const times = hooks.received.map((d) => Number(d.headers['webhook-timestamp']));
		expect(new Set(hooks.received.map((d) => d.headers['webhook-id'])).size).toBe(1);
		hooks.set(200);
		const read = async () =>
			(
				await (
					await fetch(`${running!.url}/webhooks/deliveries`, {
						headers: { authorization: `Bearer ${OPERATOR_TOKEN}` }
					})
				).json()
			).deliveries;
		await until(async () => (await read())[0]?.status === 'delivered', 'the delivery');
		const [delivery] = await read();
		expect(delivery.attempts).toBeGreaterThanOrEqual(4);
		expect(delivery).toMatchObject({
			type: 'record.stored',
			lastStatus: 200,
			lastError: 'HTTP 503'
		});
		expect(times.every((t) => Number.isInteger(t))).toBe(true);
		// A decline of a statement never accepted changes no standing: one event only.
		expect(new Set(hooks.received.map((d) => d.headers['webhook-id'])).size).toBe(1);
	});

	it('gives a delivery up after the attempt limit, says so in the log, and sends it again when asked', async () => {
		database = await backend.database(folders.make('assent-webhook-db-'));
		hooks.received.length = 0;
		hooks.set(500);
		running = await start({ maxAttempts: 3 });
		await post(running.url, await sampleChain({ acts: [act('decline', '2.0', 'di')] }));
		const read = async () =>
			(
				await (
					await fetch(`${running!.url}/webhooks/deliveries`, {
						headers: { authorization: `Bearer ${OPERATOR_TOKEN}` }
					})
				).json()
			).deliveries;
		await until(async () => (await read())[0]?.status === 'failed', 'the delivery to fail');
		// Many backoff periods later, still three attempts: given up, not retried.
		await new Promise((r) => setTimeout(r, 800));
		expect(hooks.received).toHaveLength(3);
		const [failed] = await read();
		expect(failed).toMatchObject({
			type: 'record.stored',
			status: 'failed',
			attempts: 3,
			lastStatus: 500,
			lastError: 'HTTP 500',
			deliveredAt: null,
			nextAttemptAt: null
		});

		hooks.set(200);
		expect(
			await redeliver({
				database: running.receiver.database!,
				event: failed.event as string,
				url: hooks.url
			})
		).toBe(1);
		await until(async () => (await read())[0]?.status === 'delivered', 'the delivery, sent again');
		expect(hooks.received).toHaveLength(4);
		expect(new Set(hooks.received.map((d) => d.headers['webhook-id']))).toEqual(
			new Set([failed.event])
		);
		expect((await read())[0]).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200 });
	});

	it('sends failed deliveries again when the operator asks over the API, naming what each event is about', async () => {
		database = await backend.database(folders.make('assent-webhook-db-'));
		hooks.received.length = 0;
		hooks.set(500);
		running = await start({ maxAttempts: 2 });
		const records = await sampleChain({ acts: [act('accept', '2.0', 'eve')] });
		await post(running.url, records);
		const operator = { authorization: `Bearer ${OPERATOR_TOKEN}` };
		const read = async () =>
			(await (await fetch(`${running!.url}/webhooks/deliveries`, { headers: operator })).json())
				.deliveries as Record<string, unknown>[];
		await until(async () => {
			const log = await read();
			return log.length === 2 && log.every((d) => d.status === 'failed');
		}, 'both deliveries to fail');
		const log = await read();
		const stored = log.find((d) => d.type === 'record.stored')!;
		const changed = log.find((d) => d.type === 'standing.changed')!;
		expect(stored).toMatchObject({
			subject: 'eve',
			statement: 'terms',
			record: records[0]!.id,
			attempts: 2,
			lastError: 'HTTP 500'
		});
		expect(changed).toMatchObject({ subject: 'eve', statement: 'terms', record: null });

		const again = (query: string, init: RequestInit = {}) =>
			fetch(`${running!.url}/webhooks/deliveries/redeliver${query}`, {
				method: 'POST',
				headers: operator,
				...init
			});
		expect((await again('', { headers: {} })).status).toBe(401);
		const wrongMethod = await again('', { method: 'GET' });
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.headers.get('allow')).toBe('POST, OPTIONS');
		expect((await again('?event=')).status).toBe(400);
		const unknown = await again('?event=msg_nothing');
		expect(unknown.status).toBe(404);
		expect((await unknown.json()).error).toBe('no-failed-delivery');
		expect(hooks.received).toHaveLength(4);

		hooks.set(200);
		const sent = await again(
			`?event=${encodeURIComponent(stored.event as string)}&url=${encodeURIComponent(hooks.url)}`
		);
		expect(sent.status).toBe(200);
		expect(await sent.json()).toEqual({ redelivered: 1 });
		await until(
			async () => (await read()).find((d) => d.event === stored.event)?.status === 'delivered',
			'the record.stored delivery, sent again'
		);
		// Only the event asked for: the other stays failed, until it is asked for too.
		expect((await read()).find((d) => d.event === changed.event)?.status).toBe('failed');
		expect(hooks.received.slice(4).map((d) => d.headers['webhook-id'])).toEqual([stored.event]);
		expect((await again(`?event=${encodeURIComponent(stored.event as string)}`)).status).toBe(404);
		// Without an event: every failed delivery.
		expect(await (await again('')).json()).toEqual({ redelivered: 1 });
		await until(
			async () => (await read()).every((d) => d.status === 'delivered'),
			'every delivery'
		);
	});

	it('needs an operator token to read the delivery log', async () => {
		database = await backend.database(folders.make('assent-webhook-db-'));
		running = await start();
		expect((await fetch(`${running.url}/webhooks/deliveries`)).status).toBe(401);
	});

	it('refuses a cursor it cannot read, telling an old one to start again from the first page', async () => {
		database = await backend.database(folders.make('assent-webhook-db-'));
		running = await start();
		const read = (cursor: string) =>
			fetch(`${running!.url}/webhooks/deliveries?cursor=${encodeURIComponent(cursor)}`, {
				headers: { authorization: `Bearer ${OPERATOR_TOKEN}` }
			});
		// The form earlier receivers gave: an event's place in the outbox.
		const old = await read('42');
		expect(old.status).toBe(400);
		expect(await old.json()).toMatchObject({
			error: 'invalid-query',
			message: expect.stringMatching(/"cursor" names an event only.*first page \(no cursor\)/)
		});
		const garbage = await read('not-a-cursor');
		expect(garbage.status).toBe(400);
		expect((await garbage.json()).message).toMatch(/"cursor" is not one this receiver gave/);
		const wellFormed = Buffer.from(JSON.stringify(['42', hooks.url])).toString('base64url');
		expect((await read(wellFormed)).status).toBe(200);
	});

	it('lists the deliveries of one state when asked, and refuses a state it does not know', async () => {
		database = await backend.database(folders.make('assent-webhook-db-'));
		hooks.received.length = 0;
		hooks.set(500);
		running = await start({ maxAttempts: 1 });
		await post(running.url, await sampleChain({ acts: [act('accept', '2.0', 'fay')] }));
		const read = async (query: string) => {
			const response = await fetch(`${running!.url}/webhooks/deliveries${query}`, {
				headers: { authorization: `Bearer ${OPERATOR_TOKEN}` }
			});
			return { status: response.status, body: await response.json() };
		};
		await until(
			async () => (await read('?status=failed')).body.deliveries.length === 2,
			'both deliveries to be given up'
		);
		const failed = await read('?status=failed&limit=1');
		expect(failed.body.deliveries.map((d: { status: string }) => d.status)).toEqual(['failed']);
		const rest = await read(`?status=failed&limit=1&cursor=${failed.body.next}`);
		expect(rest.body.deliveries).toHaveLength(1);
		expect(rest.body.next).toBeUndefined();
		expect((await read('?status=delivered')).body).toEqual({ deliveries: [] });
		expect((await read('?status=pending')).body).toEqual({ deliveries: [] });
		const unknown = await read('?status=sent');
		expect(unknown.status).toBe(400);
		expect(unknown.body.message).toBe(
			'"status" must be one of "pending", "delivered", "failed", or left out for every delivery; got "sent".'
		);
	});
});
