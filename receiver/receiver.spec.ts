import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import openapi from '../static/schemas/sync-openapi.json';
import recordSchema from '../static/schemas/record.json';
import { buildRecord, type AcceptanceRecord } from '../src/lib/core/record';
import { sampleAct, sampleStatement } from '../src/lib/core/record-fixtures';
import { openDatabase, type Database } from './database.js';
import { loadSigningKey } from './keys.js';
import { createReceiver, MAX_RECORDS, receiptPayload, recordTexts } from './receiver.js';

const ORIGIN = 'https://statements.example.com';
const statement10 = sampleStatement({ version: '1.0' });
const statement11 = sampleStatement({ version: '1.1' });

/** A built site folder whose index publishes terms 1.0 only (1.1 is not published yet). */
function siteFolder(): string {
	const dir = mkdtempSync(join(tmpdir(), 'assent-receiver-site-'));
	mkdirSync(join(dir, 'statements'));
	writeFileSync(
		join(dir, 'statements/index.json'),
		JSON.stringify({
			statements: [
				{
					id: 'terms',
					versions: [{ version: '1.0', locales: { en: { hash: statement10.hash } } }]
				}
			]
		})
	);
	return dir;
}

const backends: { name: string; url?: string }[] = [{ name: 'PGlite' }];
const postgresUrl = process.env.ASSENT_TEST_DATABASE_URL;
if (postgresUrl) backends.push({ name: 'PostgreSQL server', url: postgresUrl });

it('runs against a real PostgreSQL server in CI', () => {
	// CI installs and starts PostgreSQL; a run there without it would silently skip that half.
	if (process.env.CI === 'true') expect(postgresUrl, 'ASSENT_TEST_DATABASE_URL').toBeTruthy();
});

describe.each(backends)('reference receiver on $name', ({ url }) => {
	let database: Database;
	let server: Server;
	let endpoint: string;
	let site: string;
	const { key } = loadSigningKey({});

	beforeAll(async () => {
		site = siteFolder();
		database = await openDatabase(url ? { url } : {});
		const receiver = createReceiver({
			database,
			site,
			key,
			origins: [ORIGIN],
			token: 'partner-secret',
			log: () => {}
		});
		server = createServer(receiver.handle);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/acceptances`;
	});
	beforeEach(async () => {
		await database.query('delete from assent_records');
	});
	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
		await database.close();
		rmSync(site, { recursive: true, force: true });
	});

	async function records(count: number, overrides: Record<string, unknown> = {}) {
		const made: AcceptanceRecord[] = [];
		for (let i = 0; i < count; i++) {
			const last = made.at(-1);
			made.push(
				await buildRecord({
					act: sampleAct({ statement: statement10, ...overrides }),
					prev: last ? { digest: last.digest, seq: last.seq } : null
				})
			);
		}
		return made;
	}

	function post(body: string | object, headers: Record<string, string> = {}) {
		return fetch(endpoint, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				Authorization: 'Bearer partner-secret',
				...headers
			},
			body: typeof body === 'string' ? body : JSON.stringify(body)
		});
	}

	const rows = async () =>
		(await database.query('select id, body, digest, received_at from assent_records order by id'))
			.rows;

	it('accepts a batch, stores each record once with its text as sent, and signs receipts', async () => {
		const batch = await records(3);
		// Spacing of our own, to prove the stored text is the sent text, not a re-serialization.
		const body = `{ "records": [\n  ${batch.map((r) => JSON.stringify(r, null, 1)).join(' ,\n  ')}\n] }`;
		const response = await post(body);
		expect(response.status).toBe(200);
		const answer = (await response.json()) as {
			accepted: { id: string; receivedAt: string; receipt: Record<string, string> }[];
			rejected: unknown[];
		};
		expect(answer.rejected).toEqual([]);
		expect(answer.accepted.map((a) => a.id)).toEqual(batch.map((r) => r.id));
		const stored = await rows();
		expect(stored).toHaveLength(3);
		for (const record of batch) {
			const row = stored.find((r) => r.id === record.id)!;
			expect(row.body).toBe(JSON.stringify(record, null, 1));
			expect(row.digest).toBe(record.digest);
		}
		const keyAnswer = (await (await fetch(`${endpoint}/key`)).json()) as {
			kid: string;
			jwk: import('node:crypto').JsonWebKey;
		};
		const publicKey = createPublicKey({ key: keyAnswer.jwk, format: 'jwk' });
		for (const { id, receivedAt, receipt } of answer.accepted) {
			expect(receipt).toMatchObject({ alg: 'Ed25519', kid: keyAnswer.kid, id, receivedAt });
			const payload = receiptPayload({ id, digest: receipt.digest!, receivedAt });
			expect(
				verify(null, Buffer.from(payload), publicKey, Buffer.from(receipt.signature!, 'base64url'))
			).toBe(true);
			expect(
				verify(
					null,
					Buffer.from(
						receiptPayload({ id, digest: receipt.digest!, receivedAt: '2020-01-01T00:00:00.000Z' })
					),
					publicKey,
					Buffer.from(receipt.signature!, 'base64url')
				)
			).toBe(false);
		}
	});

	it('answers as its OpenAPI document says, and that document describes the records it takes', async () => {
		const ajv = new Ajv2020({ strict: false, validateFormats: false });
		// The document refers to the record schema by its path on the site, as a browser would resolve it.
		ajv.addSchema({ ...recordSchema, $id: 'https://assent.invalid/schemas/record.json' });
		ajv.addSchema({ $id: 'https://assent.invalid/openapi', components: openapi.components });
		const check = (name: string) =>
			ajv.getSchema(`https://assent.invalid/openapi#/components/schemas/${name}`)!;
		const batch = await records(2);
		expect(check('Batch')({ records: batch })).toBe(true);
		const [unpublished] = await records(1, { statement: statement11 });
		const results = await (await post({ records: [...batch, unpublished] })).json();
		expect(check('Results')(results), JSON.stringify(check('Results').errors)).toBe(true);
		const problem = await (await post('{')).json();
		expect(check('Problem')(problem)).toBe(true);
		expect(check('Key')(await (await fetch(`${endpoint}/key`)).json())).toBe(true);
	});

	it('answers a resent batch with the first receipts and keeps one row per record', async () => {
		const batch = await records(2);
		const first = (await (await post({ records: batch })).json()) as { accepted: unknown[] };
		const again = (await (await post({ records: batch })).json()) as { accepted: unknown[] };
		expect(again.accepted).toEqual(first.accepted);
		expect(await rows()).toHaveLength(2);
	});

	it('refuses a different record under an id it already holds', async () => {
		const [record] = await records(1);
		await post({ records: [record] });
		const forged = { ...record!, subject: 'someone-else' };
		const rebuilt = await buildRecord({
			act: sampleAct({ statement: statement10, subject: 'someone-else' }),
			prev: null,
			id: record!.id,
			now: new Date(record!.at)
		});
		const answer = (await (await post({ records: [forged, rebuilt] })).json()) as {
			rejected: { id: string; reason: string; retryable: boolean }[];
		};
		expect(answer.rejected).toEqual([
			{
				id: record!.id,
				reason: expect.stringContaining('digest does not match'),
				retryable: false
			},
			{ id: record!.id, reason: expect.stringContaining('different record'), retryable: false }
		]);
		const stored = await rows();
		expect(stored).toHaveLength(1);
		expect(JSON.parse(stored[0]!.body).subject).toBe('customer-123');
	});

	it('settles a mixed batch record by record', async () => {
		const [good] = await records(1);
		const [unpublished] = await records(1, { statement: statement11 });
		const [wrongHash] = await records(1, {
			statement: { ...statement10, hash: statement11.hash }
		});
		const invalid = { ...good!, id: 'not-a-uuid' };
		const answer = (await (
			await post({ records: [good, unpublished, wrongHash, invalid] })
		).json()) as {
			accepted: { id: string }[];
			rejected: { id: string; reason: string; retryable: boolean }[];
		};
		expect(answer.accepted.map((a) => a.id)).toEqual([good!.id]);
		expect(answer.rejected).toEqual([
			{ id: unpublished!.id, reason: expect.stringContaining('not published'), retryable: true },
			{
				id: wrongHash!.id,
				reason: expect.stringContaining('not the published hash'),
				retryable: false
			},
			{
				id: 'not-a-uuid',
				reason: expect.stringContaining('/schemas/record.json'),
				retryable: false
			}
		]);
		expect((await rows()).map((r) => r.id)).toEqual([good!.id]);
	});

	it.each([
		['a wrong method', { method: 'PUT' }, 405],
		['another content type', { headers: { 'Content-Type': 'application/xml' } }, 415],
		['malformed JSON', { body: '{"records": [' }, 400],
		['no records array', { body: '{"record": {}}' }, 400],
		['no token', { headers: { Authorization: '' } }, 401],
		['a wrong token', { headers: { Authorization: 'Bearer guess' } }, 401],
		[
			'a body over 512 KB',
			{ body: JSON.stringify({ records: [], pad: 'x'.repeat(600_000) }) },
			413
		],
		[
			'too many records',
			{ body: JSON.stringify({ records: Array.from({ length: MAX_RECORDS + 1 }, () => ({})) }) },
			400
		],
		['a disallowed origin', { headers: { Origin: 'https://evil.example' } }, 403]
	] as const)('answers %s with a clear 4xx', async (_, change, status) => {
		const response = await fetch(endpoint, {
			method: 'method' in change ? change.method : 'POST',
			headers: {
				'Content-Type': 'application/json',
				Authorization: 'Bearer partner-secret',
				...('headers' in change ? change.headers : {})
			},
			body: 'body' in change ? change.body : JSON.stringify({ records: [] })
		}).catch((error: unknown) => error as Error);
		expect(response).toBeInstanceOf(Response);
		const answer = response as Response;
		expect(answer.status).toBe(status);
		const body = (await answer.json()) as { error: string; message: string };
		expect(body.message).toMatch(/\S/);
		expect(await rows()).toHaveLength(0);
	});

	it('lets configured origins through CORS, preflight included, and no others', async () => {
		const preflight = await fetch(endpoint, {
			method: 'OPTIONS',
			headers: {
				Origin: ORIGIN,
				'Access-Control-Request-Method': 'POST',
				'Access-Control-Request-Headers': 'content-type, idempotency-key'
			}
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
		expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
		const allowed = await post({ records: await records(1) }, { Origin: ORIGIN });
		expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
		const denied = await fetch(endpoint, {
			method: 'OPTIONS',
			headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' }
		});
		expect(denied.headers.get('access-control-allow-origin')).toBeNull();
	});
});

describe('recordTexts', () => {
	it('splits the records array into the texts as sent', () => {
		expect(recordTexts('{"records":[ {"a":"x,]}"} , {"b":[1,{"c":"\\""}]} ]}')).toEqual([
			'{"a":"x,]}"}',
			'{"b":[1,{"c":"\\""}]}'
		]);
		expect(recordTexts('{"records":[]}')).toEqual([]);
		expect(recordTexts('{"other":[]}')).toBeUndefined();
	});
});
