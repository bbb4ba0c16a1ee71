import { describe, expect, it } from 'vitest';
import { recordDigest } from './digest';
import { RECORD_SCHEMA, type AcceptanceRecord, type Act } from './record';
import { buildRecord } from './record-builder';
import { AssentError } from './errors';
import { HASH_1_0, sampleAct } from './record-fixtures';
import { isUuidV7, uuidv7Time } from './uuid';

const NOW = new Date('2026-11-24T06:30:00.123Z');
const PREV = { digest: `sha256:${'c'.repeat(64)}`, seq: 6 };

/** The error `promise` rejects with, failing the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<AssentError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(AssentError);
		return error as AssentError;
	}
	throw new Error('expected a AssentError, but the promise resolved');
}

describe('buildRecord', () => {
	it('fills every field of a first record', async () => {
		const record = await buildRecord({ act: sampleAct(), prev: null, now: NOW });
		expect(record).toEqual({
			schema: RECORD_SCHEMA,
			id: record.id,
			action: 'accept',
			at: '2026-11-24T06:30:00.123Z',
			seq: 1,
			subject: 'customer-123',
			partner: null,
			statement: {
				id: 'terms',
				version: '1.0',
				locale: 'en',
				hash: HASH_1_0,
				url: 'https://statements.example.com/statements/terms/1.0/en/'
			},
			presentation: {
				embed: 'iframe',
				origin: 'https://partner.example',
				label: 'I have read and accept the terms'
			},
			client: { userAgent: 'Mozilla/5.0 (test)', widget: 'assent/0.1.0' },
			prev: null,
			digest: await recordDigest(record)
		});
		expect('subjectToken' in record).toBe(false);
		expect(isUuidV7(record.id)).toBe(true);
		expect(uuidv7Time(record.id)).toBe(NOW.getTime());
		expect(record.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
	});

	it('extends the chain: seq is one more and prev is the head digest', async () => {
		const record = await buildRecord({ act: sampleAct(), prev: PREV, now: NOW });
		expect(record.seq).toBe(7);
		expect(record.prev).toBe(PREV.digest);
	});

	it('writes the fields in the order of the SPEC, for readable exports', async () => {
		const record = await buildRecord({
			act: sampleAct({ subjectToken: 'tok', partner: 'acme' }),
			prev: null,
			now: NOW
		});
		expect(Object.keys(record)).toEqual([
			'schema',
			'id',
			'action',
			'at',
			'seq',
			'subject',
			'subjectToken',
			'partner',
			'statement',
			'presentation',
			'client',
			'prev',
			'digest'
		]);
	});

	it('carries the optional subjectToken and scrolledToEnd only when given', async () => {
		const act = sampleAct({ subjectToken: 'opaque.jwt.value', subject: 'c-1' });
		act.presentation = { ...act.presentation, scrolledToEnd: true };
		const record = await buildRecord({ act, prev: null, now: NOW });
		expect(record.subjectToken).toBe('opaque.jwt.value');
		expect(record.presentation.scrolledToEnd).toBe(true);

		const bare = sampleAct({ subjectToken: undefined });
		bare.presentation = { ...bare.presentation, scrolledToEnd: undefined };
		const plain = await buildRecord({ act: bare, prev: null, now: NOW });
		expect('subjectToken' in plain).toBe(false);
		expect('scrolledToEnd' in plain.presentation).toBe(false);
	});

	it('carries presentation.visible only when the widget could tell or said it cannot', async () => {
		for (const visible of [true, 'unknown'] as const) {
			const act = sampleAct();
			act.presentation = { ...act.presentation, visible };
			const record = await buildRecord({ act, prev: null, now: NOW });
			expect(record.presentation.visible).toBe(visible);
		}
		const plain = await buildRecord({ act: sampleAct(), prev: null, now: NOW });
		expect('visible' in plain.presentation).toBe(false);
	});

	it('records associations with their partner', async () => {
		const record = await buildRecord({
			act: sampleAct({ action: 'associate', partner: 'acme' }),
			prev: null,
			now: NOW
		});
		expect(record.action).toBe('associate');
		expect(record.partner).toBe('acme');
	});

	it('gives the same digest for the same act, whatever the key order of the input', async () => {
		const act = sampleAct();
		const reversed = <T extends object>(value: T): T =>
			Object.fromEntries(Object.entries(value).reverse()) as T;
		const reordered = {
			...reversed(act),
			statement: reversed(act.statement),
			presentation: reversed(act.presentation)
		};
		const id = '01a20c3f-3abb-7000-8000-000000000000';
		const a = await buildRecord({ act, prev: PREV, now: NOW, id });
		const b = await buildRecord({ act: reordered, prev: PREV, now: NOW, id });
		expect(b.digest).toBe(a.digest);
	});

	it('gives a different digest when any field differs', async () => {
		const id = '01a20c3f-3abb-7000-8000-000000000000';
		const a = await buildRecord({ act: sampleAct(), prev: PREV, now: NOW, id });
		const b = await buildRecord({
			act: sampleAct({ subject: 'customer-124' }),
			prev: PREV,
			now: NOW,
			id
		});
		expect(b.digest).not.toBe(a.digest);
	});

	it('gives records built in one millisecond, or as the clock goes back, ids in creation order', async () => {
		const times = [...Array(20).fill(NOW.getTime()), NOW.getTime() - 1000, NOW.getTime() - 5];
		const records: AcceptanceRecord[] = [];
		for (const time of times) {
			const last = records[records.length - 1];
			records.push(
				await buildRecord({ act: sampleAct(), prev: last ?? null, now: new Date(time) })
			);
		}
		const ids = records.map((r) => r.id);
		expect([...ids].sort()).toEqual(ids);
		expect(new Set(ids).size).toBe(ids.length);
		// The act's time stays the clock's, even where the id keeps the newer time.
		expect(records[20]!.at).toBe(new Date(NOW.getTime() - 1000).toISOString());
	});

	it('stamps the current time by default', async () => {
		const before = Date.now();
		const record = await buildRecord({ act: sampleAct(), prev: null });
		const at = Date.parse(record.at);
		expect(at).toBeGreaterThanOrEqual(before);
		expect(at).toBeLessThanOrEqual(Date.now());
		expect(uuidv7Time(record.id)).toBe(at);
	});

	it.each([
		['associate without partner', { action: 'associate' }, 'act.partner', /names its partner/],
		[
			'disassociate with null partner',
			{ action: 'disassociate', partner: null },
			'act.partner',
			/partners\.yaml/
		],
		['an unknown partner spelling', { partner: 'ACME Inc' }, 'act.partner', /lowercase/],
		['an unknown action', { action: 'agree' }, 'act.action', /accept, decline/],
		['an empty subject', { subject: '' }, 'act.subject', /non-blank/],
		['a blank subject', { subject: '   ' }, 'act.subject', /non-blank/],
		['a numeric subject', { subject: 123 }, 'act.subject', /got 123/],
		['an empty subjectToken', { subjectToken: '' }, 'act.subjectToken', /no subjectToken at all/],
		['an unknown field', { comment: 'hi' }, 'act.comment', /not a record field.*remove it/],
		['no statement', { statement: undefined }, 'act.statement', /expected an object/]
	])('refuses %s', async (_, overrides, field, message) => {
		const error = await rejection(buildRecord({ act: sampleAct(overrides), prev: null, now: NOW }));
		expect(error.code).toBe('record/invalid');
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
		expect(error.message.startsWith(`buildRecord: ${field}: `)).toBe(true);
	});

	it.each([
		['hash', { hash: `sha256:${'A'.repeat(64)}` }, /64 lowercase hex/],
		['hash', { hash: 'a'.repeat(64) }, /"sha256:"/],
		['hash', { hash: `sha256:${'a'.repeat(63)}` }, /64 lowercase hex/],
		['url', { url: '/statements/terms/1.0/en/' }, /absolute http\(s\) URL/],
		['url', { url: 'ftp://statements.example.com/x' }, /absolute http\(s\) URL/],
		['url', { url: 'https://exa mple.com/' }, /absolute http\(s\) URL/],
		['id', { id: 'Terms' }, /statement id/],
		['version', { version: 'v1' }, /dotted numbers/],
		['locale', { locale: 'zh-cn' }, /canonical spelling/],
		['locale', { locale: '' }, /BCP 47/],
		['title', { title: 'Terms' }, /not a record field/]
	])('refuses a bad statement.%s', async (field, change, message) => {
		const act = sampleAct();
		act.statement = { ...act.statement, ...change } as Act['statement'];
		const error = await rejection(buildRecord({ act, prev: null, now: NOW }));
		expect(error.field).toBe(`act.statement.${field}`);
		expect(error.message).toMatch(message);
	});

	it.each([
		['label', { label: '' }, /exact words/],
		['label', { label: ' \n ' }, /exact words/],
		['embed', { embed: 'popup' }, /iframe, inline, page/],
		['origin', { origin: 'https://partner.example/' }, /web origin/],
		['origin', { origin: 'https://partner.example/page' }, /web origin/],
		['origin', { origin: 'https://Partner.example' }, /web origin/],
		['origin', { origin: 'null' }, /web origin/],
		['scrolledToEnd', { scrolledToEnd: 'yes' }, /true or false/]
	])('refuses a bad presentation.%s', async (field, change, message) => {
		const act = sampleAct();
		act.presentation = { ...act.presentation, ...change } as Act['presentation'];
		const error = await rejection(buildRecord({ act, prev: null, now: NOW }));
		expect(error.field).toBe(`act.presentation.${field}`);
		expect(error.message).toMatch(message);
	});

	it('accepts an origin with a port and an empty user agent', async () => {
		const act = sampleAct();
		act.presentation = { ...act.presentation, origin: 'http://localhost:5173', embed: 'inline' };
		act.client = { ...act.client, userAgent: '' };
		await expect(buildRecord({ act, prev: null, now: NOW })).resolves.toMatchObject({
			presentation: { origin: 'http://localhost:5173' }
		});
	});

	it('refuses a widget that is not assent/<version>', async () => {
		const act = sampleAct();
		act.client = { ...act.client, widget: '0.1.0' };
		const error = await rejection(buildRecord({ act, prev: null, now: NOW }));
		expect(error.field).toBe('act.client.widget');
	});

	it('refuses a bad chain head, id or clock', async () => {
		const act = sampleAct();
		expect((await rejection(buildRecord({ act, prev: { digest: 'x', seq: 1 } }))).field).toBe(
			'prev.digest'
		);
		expect((await rejection(buildRecord({ act, prev: { ...PREV, seq: 0 } }))).field).toBe(
			'prev.seq'
		);
		expect((await rejection(buildRecord({ act, prev: { ...PREV, seq: 1.5 } }))).field).toBe(
			'prev.seq'
		);
		expect((await rejection(buildRecord({ act, prev: null, id: 'nope' }))).field).toBe('id');
		for (const now of [new Date('nope'), new Date(-1), new Date('+010000-01-01T00:00:00Z')]) {
			expect((await rejection(buildRecord({ act, prev: null, now }))).field).toBe('now');
		}
	});
});
