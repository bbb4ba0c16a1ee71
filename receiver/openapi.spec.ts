/**
 * The OpenAPI document of the wire protocol (`/schemas/sync-openapi.json`) against the reference
 * receiver's real answers: every status it answers is documented, with the body the document
 * describes.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { makeRecords, testSite, unpublished, type TestSite } from './fixtures';
import { startReceiver } from './receiver.js';
import type { Database, RunningReceiver } from './types.js';

const read = (name: string) =>
	JSON.parse(readFileSync(new URL(`../static/schemas/${name}`, import.meta.url), 'utf8'));
const openapi = read('sync-openapi.json');
const recordSchema = read('record.json');

interface Operation {
	responses: Record<string, Response | { $ref: string }>;
}
interface Response {
	content?: Record<string, { schema: object }>;
}

const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema(recordSchema);
ajv.addSchema(openapi, '/schemas/sync-openapi.json');

/** The documented response for a status, `$ref`s followed. */
function documented(path: string, method: string, status: number): Response | undefined {
	const operation = openapi.paths[path]?.[method] as Operation | undefined;
	let response = operation?.responses[String(status)];
	while (response && '$ref' in response) {
		response = openapi.components.responses[response.$ref.split('/').pop()!] as Response;
	}
	return response;
}

/** Checks an answer against the document, and returns what was wrong, if anything. */
async function conforms(options: { path: string; method: string; answer: globalThis.Response }) {
	const { answer } = options;
	const response = documented(options.path, options.method, answer.status);
	expect(
		response,
		`${options.method} ${options.path} ${answer.status} is documented`
	).toBeDefined();
	const text = await answer.text();
	const schema = response!.content?.['application/json']?.schema;
	if (!schema) {
		expect(text, `${answer.status} has no body`).toBe('');
		return;
	}
	expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
	const validate = ajv.compile({ $ref: `/schemas/sync-openapi.json${pointer(schema)}` });
	const body = JSON.parse(text);
	expect(validate(body), `${answer.status} ${text}: ${ajv.errorsText(validate.errors)}`).toBe(true);
	return body;
}

/** A JSON pointer to `schema` inside the document, for ajv. */
function pointer(schema: object): string {
	const ref = (schema as { $ref?: string }).$ref;
	if (ref?.startsWith('#/')) return ref;
	throw new Error(
		`Response schemas in the document are $refs to components; got ${JSON.stringify(schema)}`
	);
}

describe('the OpenAPI document of the wire protocol', () => {
	let site: TestSite;
	let running: RunningReceiver;
	let failing: RunningReceiver;
	let database: Database;

	beforeAll(async () => {
		site = testSite();
		database = await openDatabase({ database: 'memory://' });
		// These records carry no subject token: accepted, marked unverified (SPEC section 8).
		const common = { port: 0, site: site.dir, subjects: 'unverified' as const, log: () => {} };
		running = await startReceiver({
			...common,
			database,
			origins: ['https://shop.example'],
			token: 'secret'
		});
		failing = await startReceiver({
			...common,
			database: {
				...database,
				transaction: () => Promise.reject(new Error('the database is gone'))
			}
		});
	});
	afterAll(async () => {
		await running?.close();
		await failing?.close();
		await database?.close();
		site?.remove();
	});

	const post = (body: string, headers: Record<string, string> = {}, url = running.url) =>
		fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: 'Bearer secret', ...headers },
			body
		});

	it('is OpenAPI 3.1 whose every $ref resolves, the record to /schemas/record.json', () => {
		expect(openapi.openapi).toMatch(/^3\.1\.\d+$/);
		const refs: string[] = [];
		const walk = (value: unknown) => {
			if (Array.isArray(value)) value.forEach(walk);
			else if (value && typeof value === 'object') {
				for (const [key, item] of Object.entries(value)) {
					if (key === '$ref') refs.push(item as string);
					else walk(item);
				}
			}
		};
		walk(openapi);
		expect(refs).toContain('/schemas/record.json');
		for (const ref of refs) {
			const target = ref.startsWith('#/')
				? ref
						.slice(2)
						.split('/')
						.reduce<Record<string, unknown> | undefined>(
							(node, part) => node?.[part] as Record<string, unknown> | undefined,
							openapi
						)
				: ref === recordSchema.$id
					? recordSchema
					: undefined;
			expect(target, ref).toBeDefined();
		}
	});

	it('describes the batches the widget sends, and refuses ones it would not', async () => {
		const validate = ajv.compile({ $ref: '/schemas/sync-openapi.json#/components/schemas/Batch' });
		const records = await makeRecords(2);
		expect(validate({ records }), ajv.errorsText(validate.errors)).toBe(true);
		expect(validate({ records: [{ ...records[0], digest: 'x' }] })).toBe(false);
		expect(validate({ records: Array.from({ length: 501 }, () => records[0]) })).toBe(false);
	});

	it('documents the per-record answer the receiver gives', async () => {
		const [good, tampered] = await makeRecords(2);
		const [early] = await makeRecords(1, { statement: unpublished('9.9') });
		const answer = await post(
			JSON.stringify({ records: [good, { ...tampered!, subject: 'x' }, early] })
		);
		expect(answer.status).toBe(200);
		const body = await conforms({ path: '/acceptances', method: 'post', answer });
		expect(body.accepted).toHaveLength(1);
		expect(body.rejected).toHaveLength(2);
	});

	it('documents every refusal of a request the receiver makes, with its body', async () => {
		const [record] = await makeRecords(1);
		const batch = JSON.stringify({ records: [record] });
		const answers = [
			await post('{'),
			await post('{"records": 1}'),
			await post(JSON.stringify({ records: Array.from({ length: 501 }, () => record) })),
			await post(batch, { Authorization: 'Bearer wrong' }),
			await post(batch, { Origin: 'https://evil.example' }),
			await fetch(running.url, { method: 'DELETE' }),
			await post(JSON.stringify({ records: [], padding: 'x'.repeat(600 * 1024) })),
			await post(batch, { 'Content-Type': 'application/xml' }),
			await post(batch, {}, failing.url)
		];
		expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 401, 403, 405, 413, 415, 500]);
		for (const answer of answers) {
			const body = await conforms({ path: '/acceptances', method: 'post', answer });
			expect(body).toEqual({ error: expect.any(String), message: expect.any(String) });
		}
	});

	it('documents the preflight, the receipt key and health', async () => {
		const preflight = (origin: string) =>
			fetch(running.url, {
				method: 'OPTIONS',
				headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' }
			});
		await conforms({
			path: '/acceptances',
			method: 'options',
			answer: await preflight('https://shop.example')
		});
		await conforms({
			path: '/acceptances',
			method: 'options',
			answer: await preflight('https://evil.example')
		});
		const key = await conforms({
			path: '/acceptances/key',
			method: 'get',
			answer: await fetch(`${running.url}/key`)
		});
		expect(key.kid).toBe(running.receiver.publicKey.kid);
		await conforms({
			path: '/acceptances/health',
			method: 'get',
			answer: await fetch(`${running.url}/health`)
		});
	});
});
