/**
 * The reference receiver over real HTTP on 127.0.0.1, on embedded PGlite and, when
 * ASSENT_TEST_DATABASE_URL is set, on a PostgreSQL server: what a browser would be answered, and
 * what ends up in the database.
 */
import { createPublicKey, createHash, verify, type JsonWebKey } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AcceptanceRecord } from '../src/lib/core/record';
import { buildRecord } from '../src/lib/core/record-builder';
import { sampleAct, sampleChain } from '../src/lib/core/record-fixtures';
import { uuidv7Generator, uuidv7Time } from '../src/lib/core/uuid';
import { openDatabase } from './database.js';
import {
	inCi,
	makeRecords,
	postgresSchema,
	postgresUrl,
	PUBLISHED,
	tempFolders,
	testSite,
	unpublished,
	type TestSite
} from './fixtures';
import { REQUEST_TIMEOUT_MS, startReceiver } from './receiver.js';
import { verifyReceipt } from './receipts.js';
import type { Accepted, Database, Receipt, Rejected, RunningReceiver } from './types.js';

const ORIGIN = 'https://statements.example.com';
const PARTNER_ORIGIN = 'https://shop.example';
const TOKEN = 'partner-secret';

interface Answer {
	status: number;
	headers: Headers;
	body: Record<string, unknown>;
	text: string;
}
interface Results {
	accepted: Accepted[];
	rejected: Rejected[];
}

describe('the PostgreSQL server for these tests', () => {
	it.runIf(inCi)('is given in CI, so the PostgreSQL half of the suite runs there', () => {
		expect(
			postgresUrl,
			'Set ASSENT_TEST_DATABASE_URL (postgres://user:password@host/db); .ci/run starts a server and sets it'
		).toBeTruthy();
	});
});

const backends = [
	{
		name: 'PGlite',
		// In process: no second receiver can open it.
		shared: false,
		location: async () => ({ database: 'memory://', drop: async () => {} })
	},
	...(postgresUrl
		? [
				{
					name: 'a PostgreSQL server',
					shared: true,
					location: async () => {
						const schema = await postgresSchema(postgresUrl as string);
						return { database: schema.url, drop: schema.drop };
					}
				}
			]
		: [])
];

describe.each(backends)('the reference receiver on $name', ({ location, shared }) => {
	let site: TestSite;
	let database: Database;
	let running: RunningReceiver;
	let where: { database: string; drop: () => Promise<void> };
	// The records are made now: the receiver refuses times ahead of its clock.
	let clock = Date.now();
	let failCommits = false;
	let loseDatabase = false;
	const lines: string[] = [];
	const folders = tempFolders();

	beforeAll(async () => {
		site = testSite();
		where = await location();
		const opened = await openDatabase({ database: where.database });
		// The same database, able to fail a batch after its rows were written but before commit.
		database = {
			...opened,
			transaction: (work) =>
				opened.transaction(async (tx) => {
					const result = await work(tx);
					if (failCommits) throw new Error('the disk is full');
					if (loseDatabase) {
						throw Object.assign(new Error('Connection terminated unexpectedly'), {
							code: 'ECONNRESET'
						});
					}
					return result;
				})
		};
		running = await startReceiver({
			port: 0,
			database,
			site: site.dir,
			// These records carry no subject token: accepted, marked unverified (SPEC section 8).
			subjects: 'unverified',
			origins: [ORIGIN, PARTNER_ORIGIN],
			siteOrigin: ORIGIN,
			token: TOKEN,
			signingKey: join(folders.make('assent-receiver-key-'), 'signing-key.pem'),
			refreshSeconds: 0,
			now: () => new Date(clock),
			log: (line) => lines.push(line)
		});
	});
	beforeEach(() => {
		clock += 60_000;
		failCommits = false;
		lines.length = 0;
	});
	afterAll(async () => {
		await running?.close();
		await database?.close();
		await where?.drop();
		site?.remove();
		folders.cleanup();
	});

	async function post(
		body: string | object,
		headers: Record<string, string> = {},
		method = 'POST'
	): Promise<Answer> {
		const response = await fetch(running.url, {
			method,
			headers: {
				'Content-Type': 'application/json',
				Authorization: `Bearer ${TOKEN}`,
				...headers
			},
			...(method === 'GET' || method === 'HEAD'
				? {}
				: { body: typeof body === 'string' ? body : JSON.stringify(body) })
		});
		const text = await response.text();
		return {
			status: response.status,
			headers: response.headers,
			text,
			body: text ? (JSON.parse(text) as Record<string, unknown>) : {}
		};
	}

	const results = (answer: Answer) => {
		expect(answer.status, answer.text).toBe(200);
		return answer.body as unknown as Results;
	};

	async function stored(ids: string[]) {
		const { rows } = await database.query(
			`select id::text as id, digest, raw, record, subject, partner, statement_id,
				statement_version, statement_locale, statement_hash, at, received_at, receipt
			from assent_records where id = any($1::text[]::uuid[]) order by id`,
			[ids]
		);
		return rows;
	}

	it('accepts a valid batch and stores each record once, its JSON text exactly as sent', async () => {
		const batch = await makeRecords(3, { partner: 'acme', action: 'associate' });
		// Spacing and key order of our own: what is kept must be these bytes, not a rewrite.
		const texts = batch.map((record, i) =>
			i === 1
				? JSON.stringify(Object.fromEntries(Object.entries(record).reverse()))
				: JSON.stringify(record, null, i + 1)
		);
		const answer = results(await post(`{"records" : [ ${texts.join(' ,\n\t')} ],"note":"]"}`));

		expect(answer.rejected).toEqual([]);
		const receivedAt = new Date(clock).toISOString();
		expect(answer.accepted).toEqual(
			batch.map((record) => ({
				id: record.id,
				receivedAt,
				receipt: {
					schema: 'assent.receipt/1',
					alg: 'Ed25519',
					kid: running.receiver.publicKey.kid,
					id: record.id,
					digest: record.digest,
					receivedAt,
					subject: 'unverified',
					signature: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/)
				}
			}))
		);
		const rows = await stored(batch.map((r) => r.id));
		expect(rows).toHaveLength(3);
		for (const [i, record] of batch.entries()) {
			const row = rows.find((r) => r.id === record.id)!;
			expect(row.raw).toBe(texts[i]);
			expect(row.record).toEqual(record);
			expect(row).toMatchObject({
				digest: record.digest,
				subject: record.subject,
				partner: 'acme',
				statement_id: 'terms',
				statement_version: '1.0',
				statement_locale: 'en',
				statement_hash: PUBLISHED.hash
			});
			expect((row.at as Date).toISOString()).toBe(record.at);
			expect((row.received_at as Date).toISOString()).toBe(receivedAt);
			expect(row.receipt).toEqual(answer.accepted[i]!.receipt);
		}
	});

	it('answers a resent batch with the first receipts, word for word, and keeps one row each', async () => {
		const batch = await makeRecords(2);
		const first = await post({ records: batch });
		clock += 3_600_000;
		const again = await post({ records: [...batch].reverse() });
		const third = await post({ records: batch });

		expect(results(first).accepted).toHaveLength(2);
		expect(third.text).toBe(first.text);
		expect(results(again).accepted).toEqual([...results(first).accepted].reverse());
		const { rows } = await database.query(
			'select count(*)::int as n from assent_records where id = any($1::text[]::uuid[])',
			[batch.map((r) => r.id)]
		);
		expect(rows[0]!.n).toBe(2);
	});

	it('stores and receipts records a widget frame relays without vouching for them as relayed', async () => {
		const [own, relayed] = await makeRecords(2);
		const first = results(await post({ records: [own] }));
		const second = results(await post({ records: [relayed], relayed: true }));
		expect(first.accepted[0]!.receipt).not.toHaveProperty('relayed');
		expect(second.accepted[0]!.receipt).toMatchObject({ id: relayed!.id, relayed: true });
		expect(
			verifyReceipt({
				receipt: second.accepted[0]!.receipt,
				publicKey: running.receiver.publicKey.pem
			})
		).toBe(true);
		const { rows } = await database.query(
			'select id::text as id, relayed from assent_records where id = any($1::text[]::uuid[])',
			[[own!.id, relayed!.id]]
		);
		expect(Object.fromEntries(rows.map((r) => [r.id, r.relayed]))).toEqual({
			[own!.id]: false,
			[relayed!.id]: true
		});
		// Sent again, in whichever way, each keeps its first receipt, word for word.
		const again = results(await post({ records: [relayed, own] }));
		expect(again.accepted).toEqual([second.accepted[0], first.accepted[0]]);
	});

	it('answers a record sent twice in one batch once stored, the same both times', async () => {
		const [record] = await makeRecords(1);
		const answer = results(await post({ records: [record, record] }));
		expect(answer.accepted).toHaveLength(2);
		expect(answer.accepted[1]).toEqual(answer.accepted[0]);
		expect(await stored([record!.id])).toHaveLength(1);
	});

	it('stores each record once when the same records arrive at the same time', async () => {
		const batch = await makeRecords(20);
		const shuffled = [...batch].reverse();
		const answers = await Promise.all(
			Array.from({ length: 6 }, (_, i) => post({ records: i % 2 ? shuffled : batch }))
		);
		const byId = (answer: Answer) =>
			Object.fromEntries(results(answer).accepted.map((a) => [a.id, a]));
		for (const answer of answers) expect(byId(answer)).toEqual(byId(answers[0]!));
		expect(await stored(batch.map((r) => r.id))).toHaveLength(20);
	});

	it.runIf(shared)(
		'shares one database with a second receiver, as instances behind a load balancer',
		async () => {
			const second = await startReceiver({
				port: 0,
				database: where.database,
				site: site.dir,
				subjects: 'unverified',
				token: TOKEN,
				signingKey: join(folders.make('assent-receiver-key-'), 'other.pem'),
				log: () => {}
			});
			try {
				const batch = await makeRecords(10);
				const [viaFirst, viaSecond] = await Promise.all([
					post({ records: batch }),
					fetch(second.url, {
						method: 'POST',
						headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
						body: JSON.stringify({ records: batch })
					}).then(async (r) => ({ status: r.status, body: await r.json() }))
				]);
				// Whichever stored a record first, both answer with that one receipt.
				expect(viaSecond.status).toBe(200);
				expect(viaSecond.body).toEqual(results(viaFirst));
				expect(await stored(batch.map((r) => r.id))).toHaveLength(10);
			} finally {
				await second.close();
			}
		}
	);

	it('refuses a different record under an id it already holds, for good', async () => {
		const [original] = await makeRecords(1);
		const [impostor] = await makeRecords(1, { subject: 'someone-else' });
		const reused = await rebuild({ ...impostor!, id: original!.id });
		results(await post({ records: [original] }));

		const answer = results(await post({ records: [reused] }));
		expect(answer.accepted).toEqual([]);
		expect(answer.rejected).toEqual([
			{
				id: original!.id,
				reason: expect.stringContaining('A different record with this id'),
				retryable: false
			}
		]);
		const rows = await stored([original!.id]);
		expect(rows).toHaveLength(1);
		expect(rows[0]!.record).toEqual(original);
	});

	it('refuses a record whose digest does not match its content', async () => {
		const [changed, forged] = await makeRecords(2);
		const tamperedContent = { ...changed!, subject: 'customer-999' };
		const tamperedDigest = { ...forged!, digest: `sha256:${'0'.repeat(64)}` };

		const answer = results(await post({ records: [tamperedContent, tamperedDigest] }));
		expect(answer.accepted).toEqual([]);
		expect(answer.rejected).toEqual([
			{ id: changed!.id, reason: expect.stringMatching(/digest.*changed after/), retryable: false },
			{ id: forged!.id, reason: expect.stringMatching(/digest.*changed after/), retryable: false }
		]);
		expect(await stored([changed!.id, forged!.id])).toEqual([]);
	});

	it('refuses a record that breaks the record schema, naming the field', async () => {
		const [a, b, c, d] = await makeRecords(4);
		const noClient: Record<string, unknown> = { ...a! };
		delete noClient.client;
		const cases = [
			[await rebuild(noClient), /required property 'client'/],
			[await rebuild({ ...b!, extra: 1 }), /"extra" is not a record field/],
			[await rebuild({ ...c!, action: 'approve' }), /"action".*accept, decline, associate/],
			[await rebuild({ ...d!, at: '2026-02-30T10:00:00.000Z' }), /"at".*not a real instant/]
		] as const;
		const answer = results(await post({ records: [...cases.map(([r]) => r), 42] }));

		expect(answer.accepted).toEqual([]);
		expect(answer.rejected).toHaveLength(5);
		for (const [i, [record, reason]] of cases.entries()) {
			expect(answer.rejected[i]).toEqual({
				id: (record as { id: string }).id,
				reason: expect.stringMatching(reason),
				retryable: false
			});
		}
		expect(answer.rejected[4]).toEqual({
			id: '',
			reason: expect.stringMatching(/^Record 5 of the batch: .*must be object/),
			retryable: false
		});
	});

	it('refuses a record naming an unpublished version as retryable, and takes it once published', async () => {
		const statement = unpublished('7.0');
		const [record] = await makeRecords(1, { statement });

		const before = results(await post({ records: [record] }));
		expect(before.accepted).toEqual([]);
		expect(before.rejected).toEqual([
			{
				id: record!.id,
				reason: expect.stringMatching(/terms 7\.0 \(en\) is not published/),
				retryable: true
			}
		]);
		expect(await stored([record!.id])).toEqual([]);

		site.publish({ ...statement });
		const after = results(await post({ records: [record] }));
		expect(after.rejected).toEqual([]);
		expect(after.accepted.map((a) => a.id)).toEqual([record!.id]);
	});

	it('refuses a record whose statement hash is not the published one, for good', async () => {
		const [record] = await makeRecords(1, {
			statement: { ...sampleAct().statement, hash: `sha256:${'d'.repeat(64)}` }
		});
		const answer = results(await post({ records: [record] }));
		expect(answer.rejected).toEqual([
			{
				id: record!.id,
				reason: expect.stringContaining(`is not the published hash of terms 1.0 (en)`),
				retryable: false
			}
		]);
		expect(await stored([record!.id])).toEqual([]);
	});

	it('settles a mixed batch record by record', async () => {
		const [good1, tampered, invalid, early, good2] = await makeRecords(5);
		const batch = [
			good1,
			{ ...tampered!, subject: 'someone-else' },
			await rebuild({ ...invalid!, seq: 0 }),
			await rebuild({ ...early!, statement: unpublished('8.0') }),
			good2
		];
		const answer = results(await post({ records: batch }));

		expect(answer.accepted.map((a) => a.id)).toEqual([good1!.id, good2!.id]);
		expect(answer.rejected.map(({ id, retryable }) => ({ id, retryable }))).toEqual([
			{ id: tampered!.id, retryable: false },
			{ id: invalid!.id, retryable: false },
			{ id: early!.id, retryable: true }
		]);
		expect(answer.rejected[1]!.reason).toMatch(/"seq" must be >= 1/);
		const rows = await stored(batch.map((r) => (r as { id: string }).id));
		expect(rows.map((r) => r.id).sort()).toEqual([good1!.id, good2!.id].sort());
	});

	it('refuses records past the field length limits by themselves, naming the field', async () => {
		const [good1, longSubject, longPartner, yearZero, good2] = await makeRecords(5);
		const batch = [
			good1!,
			await rebuild({ ...longSubject!, subject: 's'.repeat(3000) }),
			await rebuild({ ...longPartner!, partner: 'p'.repeat(3000) }),
			await rebuild({ ...yearZero!, at: '0000-01-01T00:00:00.000Z' }),
			good2!
		];
		const answer = results(await post({ records: batch }));
		expect(answer.accepted.map((a) => a.id)).toEqual([good1!.id, good2!.id]);
		expect(answer.rejected).toEqual([
			{
				id: batch[1]!.id,
				reason: expect.stringMatching(/"subject" must NOT have more than 512 characters/),
				retryable: false
			},
			{
				id: batch[2]!.id,
				reason: expect.stringMatching(/"partner" must NOT have more than 128 characters/),
				retryable: false
			},
			{ id: batch[3]!.id, reason: expect.stringMatching(/"at"|0000/), retryable: false }
		]);
		expect((await stored(batch.map((r) => r.id))).map((r) => r.id).sort()).toEqual(
			[good1!.id, good2!.id].sort()
		);
	});

	it('refuses a record the database will not take by itself, and stores the rest', async () => {
		// A rule of the database's own, as an index row too large would be: it refuses one record.
		await database.query(`create or replace function assent_test_refuse() returns trigger as $$
			begin
				if new.subject = 'too-much-for-the-index' then
					raise exception 'index row size 3056 exceeds btree version 4 maximum 2704'
						using errcode = '54000';
				end if;
				return new;
			end $$ language plpgsql`);
		await database.query(`create trigger assent_test_refuse before insert on assent_records
			for each row execute function assent_test_refuse()`);
		try {
			const [first, poison, last] = await makeRecords(3);
			const batch = [
				first!,
				await rebuild({ ...poison!, subject: 'too-much-for-the-index' }),
				last!
			];
			// The acts the statement summaries count: the two stored, not the refused one.
			const counted = async () =>
				Number(
					(await database.query('select coalesce(sum(count), 0)::integer as n from assent_counts'))
						.rows[0]!.n
				);
			const countedBefore = await counted();
			const answer = await post({ records: batch });
			expect(answer.status).toBe(200);
			const { accepted, rejected } = results(answer);
			expect(accepted.map((a) => a.id)).toEqual([first!.id, last!.id]);
			expect(rejected).toEqual([
				{
					id: batch[1]!.id,
					reason: expect.stringContaining('exceeds btree version 4 maximum 2704'),
					retryable: false
				}
			]);
			expect((await stored(batch.map((r) => r.id))).map((r) => r.id).sort()).toEqual(
				[first!.id, last!.id].sort()
			);
			expect(await counted()).toBe(countedBefore + 2);
			// Sent again, the good ones keep their first receipts, and are not counted again.
			const again = results(await post({ records: batch }));
			expect(again.accepted).toEqual(accepted);
			expect(await counted()).toBe(countedBefore + 2);
		} finally {
			await database.query('drop trigger assent_test_refuse on assent_records');
			await database.query('drop function assent_test_refuse()');
		}
	});

	it('refuses records that do not fit the request or the published site, each with its reason', async () => {
		site.publish({
			...PUBLISHED,
			version: '9.0',
			hash: `sha256:${'9'.repeat(64)}`,
			effective: '2099-01-01'
		});
		const [a, b, c, d, e, f, g, h] = await makeRecords(8);
		const [elsewhen] = await sampleChain({ acts: [sampleAct()] });
		const decline = await rebuild({ ...a!, action: 'decline' });
		const cases: [string, string, Record<string, string>, RegExp, boolean][] = [
			[
				'an iframe record from the partner page',
				JSON.stringify(b),
				{ Origin: PARTNER_ORIGIN },
				/frame, which sends from the statements site \(https:\/\/statements\.example\.com\), but it was sent from https:\/\/shop\.example/,
				false
			],
			[
				'an inline record from another page',
				JSON.stringify(await rebuild({ ...c!, presentation: inlineOn('https://partner.example') })),
				{ Origin: PARTNER_ORIGIN },
				/made inline on https:\/\/partner\.example, but it was sent from https:\/\/shop\.example/,
				false
			],
			[
				'an inline record claiming the customer saw it',
				JSON.stringify(
					await rebuild({
						...h!,
						presentation: { ...inlineOn(PARTNER_ORIGIN), visible: true }
					})
				),
				{ Origin: PARTNER_ORIGIN },
				/made inline and seen by the customer, but an inline widget .* cannot tell whether it was visible/,
				false
			],
			[
				'an unknown partner',
				JSON.stringify(await rebuild({ ...d!, action: 'associate', partner: 'nobody' })),
				{},
				/Partner "nobody" is not in the statements site's partner registry/,
				true
			],
			[
				'a page not among the partner’s origins',
				JSON.stringify(
					await rebuild({
						...e!,
						action: 'associate',
						partner: 'acme',
						presentation: { ...e!.presentation, origin: 'https://evil.example' }
					})
				),
				{ Origin: ORIGIN },
				/https:\/\/evil\.example is not among the origins of partner "acme"/,
				false
			],
			[
				'an announced version',
				JSON.stringify(
					await rebuild({
						...f!,
						statement: { ...f!.statement, version: '9.0', hash: `sha256:${'9'.repeat(64)}` }
					})
				),
				{},
				/terms 9\.0 comes into force on 2099-01-01/,
				false
			],
			[
				'a time in year 9999',
				JSON.stringify(await rebuild({ ...g!, at: '9999-12-31T23:59:59.999Z' })),
				{},
				/later than the receiver's clock/,
				false
			],
			[
				'the epoch',
				JSON.stringify(await rebuild({ ...h!, at: '1970-01-01T00:00:00.000Z' })),
				{},
				/comes into force on 2020-01-01/,
				false
			],
			[
				'an id made at another time',
				JSON.stringify(await rebuild({ ...a!, id: elsewhen!.id })),
				{},
				/"id" .* was made at 2026-11-24T06:30:00\.000Z, not at the record's "at"/,
				false
			],
			[
				'two "action" keys',
				`{"action":"accept",${JSON.stringify(decline).slice(1)}`,
				{},
				/names "action" twice/,
				false
			]
		];
		for (const [name, text, headers, reason, retryable] of cases) {
			const answer = results(await post(`{"records":[${text}]}`, headers));
			expect(answer.accepted, name).toEqual([]);
			expect(answer.rejected, name).toEqual([
				{
					id: (JSON.parse(text) as { id: string }).id,
					reason: expect.stringMatching(reason),
					retryable
				}
			]);
		}
		expect(await stored([a!.id, b!.id, c!.id, d!.id, e!.id, f!.id, g!.id, h!.id])).toEqual([]);
	});

	it('takes records whose presentation matches where they came from', async () => {
		const [fromFrame] = await makeRecords(1, { action: 'associate', partner: 'acme' });
		const [inline] = await makeRecords(1, {
			presentation: { ...inlineOn(PARTNER_ORIGIN), visible: 'unknown' }
		});
		const [forwarded] = await makeRecords(1, { presentation: inlineOn(PARTNER_ORIGIN) });
		// A browser clock a little ahead of the receiver's is tolerated.
		const [ahead] = await sampleChain({
			acts: [sampleAct()],
			start: new Date(clock + 200_000)
		});
		expect(results(await post({ records: [fromFrame] }, { Origin: ORIGIN })).rejected).toEqual([]);
		expect(results(await post({ records: [inline] }, { Origin: PARTNER_ORIGIN })).rejected).toEqual(
			[]
		);
		// Without an Origin (a partner's server forwarding records), the token is what counts.
		expect(results(await post({ records: [forwarded, ahead] })).rejected).toEqual([]);
	});

	it("takes an id up to the clock skew after its record's time, as when the browser's clock went back, and no further", async () => {
		const at = new Date(clock - 120_000);
		/** A record made at `at` whose id a browser's generator stamped at `idAt`. */
		const madeAt = async (subject: string, idAt: number) => {
			const ids = uuidv7Generator();
			return buildRecord({
				act: sampleAct({ subject }),
				prev: null,
				now: at,
				id: ids(new Date(idAt))
			});
		};
		// The browser made an id a minute ahead, then its clock went back a minute: the next id
		// keeps the newest time, so the ids stay in order.
		const browser = uuidv7Generator();
		browser(new Date(at.getTime() + 60_000));
		const afterClockWentBack = await buildRecord({
			act: sampleAct({ subject: 'clock-went-back' }),
			prev: null,
			now: at,
			id: browser(at)
		});
		expect(uuidv7Time(afterClockWentBack.id)).toBe(at.getTime() + 60_000);
		const withinSkew = await madeAt('within-skew', at.getTime() + 299_000);
		const slightlyBefore = await madeAt('slightly-before', at.getTime() - 1_500);
		const tooEarly = await madeAt('too-early', at.getTime() - 2_500);
		const tooLate = await madeAt('too-late', at.getTime() + 301_000);

		const answer = results(
			await post({ records: [afterClockWentBack, withinSkew, slightlyBefore, tooEarly, tooLate] })
		);
		expect(answer.accepted.map((a) => a.id)).toEqual([
			afterClockWentBack.id,
			withinSkew.id,
			slightlyBefore.id
		]);
		expect(answer.rejected).toEqual(
			[tooEarly, tooLate].map((record) => ({
				id: record.id,
				reason: `"id" ${record.id} was made at ${new Date(uuidv7Time(record.id)).toISOString()}, not at the record's "at" ${at.toISOString()}: a record's UUIDv7 carries its own time.`,
				retryable: false
			}))
		);
		expect((await stored([tooEarly.id, tooLate.id])).length).toBe(0);
	});

	it('stores a batch whole or not at all, and takes it whole when sent again', async () => {
		const batch = await makeRecords(3);
		failCommits = true;
		const failed = await post({ records: batch });
		expect(failed.status).toBe(500);
		expect(failed.body).toEqual({ error: 'internal-error', message: expect.any(String) });
		expect(await stored(batch.map((r) => r.id))).toEqual([]);
		expect(lines.join('\n')).toContain('the disk is full');

		failCommits = false;
		expect(results(await post({ records: batch })).accepted).toHaveLength(3);
		expect(await stored(batch.map((r) => r.id))).toHaveLength(3);
	});

	it('answers 503 with Retry-After while its database cannot be reached, and takes the batch after', async () => {
		const batch = await makeRecords(2);
		loseDatabase = true;
		const failed = await post({ records: batch });
		loseDatabase = false;
		expect(failed.status).toBe(503);
		expect(failed.headers.get('retry-after')).toBe('5');
		expect(failed.body).toEqual({
			error: 'unavailable',
			message: expect.stringMatching(/database/)
		});
		expect(await stored(batch.map((r) => r.id))).toEqual([]);
		expect(results(await post({ records: batch })).accepted).toHaveLength(2);
	});

	it('refuses bad requests with a 4xx whose JSON says what to fix, and stores nothing', async () => {
		const [record] = await makeRecords(1);
		const many = Array.from({ length: 501 }, () => record);
		const cases: [string, () => Promise<Answer>, number, string, RegExp][] = [
			['GET', () => post('', {}, 'GET'), 405, 'method-not-allowed', /POST/],
			['PUT', () => post({ records: [record] }, {}, 'PUT'), 405, 'method-not-allowed', /POST/],
			[
				'HTML',
				() => post({ records: [record] }, { 'Content-Type': 'text/html' }),
				415,
				'unsupported-media-type',
				/application\/json/
			],
			[
				'Latin-1',
				() => post({ records: [record] }, { 'Content-Type': 'application/json; charset=latin1' }),
				415,
				'unsupported-media-type',
				/UTF-8/
			],
			[
				'no token',
				() => post({ records: [record] }, { Authorization: '' }),
				401,
				'unauthorized',
				/Bearer/
			],
			[
				'wrong token',
				() => post({ records: [record] }, { Authorization: 'Bearer guess' }),
				401,
				'unauthorized',
				/not it/
			],
			[
				'other origin',
				() => post({ records: [record] }, { Origin: 'https://evil.example' }),
				403,
				'origin-not-allowed',
				/evil\.example/
			],
			[
				'over 512 KB',
				() => post({ records: [record], padding: 'x'.repeat(512 * 1024) }),
				413,
				'payload-too-large',
				/512 KB/
			],
			['not JSON', () => post('{"records": [}'), 400, 'invalid-json', /not JSON/],
			['no records', () => post({ record: [record] }), 400, 'invalid-body', /"records" array/],
			['records not a list', () => post({ records: record }), 400, 'invalid-body', /"records"/],
			['a list', () => post([record]), 400, 'invalid-body', /object/],
			['501 records', () => post({ records: many }), 400, 'too-many-records', /at most 500/]
		];
		for (const [name, send, status, error, message] of cases) {
			const answer = await send();
			expect(answer.status, name).toBe(status);
			expect(answer.headers.get('content-type'), name).toMatch(/^application\/json/);
			expect(answer.body, name).toEqual({ error, message: expect.stringMatching(message) });
		}
		expect(await stored([record!.id])).toEqual([]);
	});

	it('answers 401 with a Bearer challenge and 405 with the methods it takes', async () => {
		const unauthorized = await post({ records: [] }, { Authorization: '' });
		expect(unauthorized.headers.get('www-authenticate')).toBe('Bearer realm="assent"');
		const wrongMethod = await post('', {}, 'GET');
		expect(wrongMethod.headers.get('allow')).toBe('POST, OPTIONS');
	});

	it('refuses a streamed body once it passes 512 KB, before reading the rest', async () => {
		const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
			const req = request(running.url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` }
			});
			req.on('response', (res) => {
				let body = '';
				res.on('data', (chunk: Buffer) => (body += chunk.toString()));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
			});
			req.on('error', reject);
			// Chunked, with no Content-Length: the size is only known while reading.
			req.write('{"records":[],"padding":"');
			const chunk = 'x'.repeat(64 * 1024);
			const more = () => {
				for (let i = 0; i < 4; i++) req.write(chunk);
			};
			more();
			setTimeout(() => {
				more();
				req.end('"}');
			}, 20);
		});
		expect(answer.status).toBe(413);
		expect(JSON.parse(answer.body)).toMatchObject({ error: 'payload-too-large' });
	});

	it('refuses a body that is not UTF-8', async () => {
		const response = await fetch(running.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
			body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			error: 'invalid-json',
			message: expect.stringMatching(/UTF-8/)
		});
	});

	it('lets configured origins through CORS, preflight included, and no others', async () => {
		const preflight = (origin: string) =>
			fetch(running.url, {
				method: 'OPTIONS',
				headers: {
					Origin: origin,
					'Access-Control-Request-Method': 'POST',
					'Access-Control-Request-Headers': 'content-type,authorization,idempotency-key'
				}
			});
		const allowed = await preflight(PARTNER_ORIGIN);
		expect(allowed.status).toBe(204);
		expect(allowed.headers.get('access-control-allow-origin')).toBe(PARTNER_ORIGIN);
		expect(allowed.headers.get('access-control-allow-methods')).toBe('POST');
		expect(allowed.headers.get('access-control-allow-headers')).toBe(
			'content-type, authorization, idempotency-key'
		);
		expect(Number(allowed.headers.get('access-control-max-age'))).toBeGreaterThan(0);
		expect(allowed.headers.get('vary')).toMatch(/Origin/);

		const denied = await preflight('https://evil.example');
		expect(denied.status).toBe(403);
		expect(denied.headers.get('access-control-allow-origin')).toBeNull();
		// Exact match only: the same host over http, or with a path, is another origin.
		for (const near of ['http://shop.example', 'https://shop.example.evil.example', 'null']) {
			expect((await preflight(near)).headers.get('access-control-allow-origin')).toBeNull();
		}

		const [fromFrame, fromServer] = await makeRecords(2);
		const framePost = await post({ records: [fromFrame] }, { Origin: ORIGIN });
		expect(results(framePost).accepted).toHaveLength(1);
		expect(framePost.headers.get('access-control-allow-origin')).toBe(ORIGIN);
		// The page's adapter must be able to read Retry-After on a 429 or 503.
		expect(framePost.headers.get('access-control-expose-headers')).toBe('Retry-After');
		const serverPost = await post({ records: [fromServer] });
		expect(results(serverPost).accepted).toHaveLength(1);
		expect(serverPost.headers.get('access-control-allow-origin')).toBeNull();

		const deniedPost = await post({ records: [] }, { Origin: 'https://evil.example' });
		expect(deniedPost.status).toBe(403);
		expect(deniedPost.headers.get('access-control-allow-origin')).toBeNull();
	});

	it('takes the JSON as text/plain too, the type a page sends without a preflight as it closes', async () => {
		const [record] = await makeRecords(1, { presentation: inlineOn(PARTNER_ORIGIN) });
		const answer = await post(
			{ records: [record] },
			{ 'Content-Type': 'text/plain;charset=UTF-8', Origin: PARTNER_ORIGIN }
		);
		expect(results(answer).accepted.map((a) => a.id)).toEqual([record!.id]);
		expect(answer.headers.get('access-control-allow-origin')).toBe(PARTNER_ORIGIN);
	});

	it('signs receipts that verify with the public key it publishes, and only those', async () => {
		const batch = await makeRecords(2);
		const answer = results(await post({ records: batch }));
		const keyResponse = await fetch(`${running.url}/key`, {
			headers: { Origin: 'https://any.example' }
		});
		expect(keyResponse.headers.get('access-control-allow-origin')).toBe('*');
		const published = (await keyResponse.json()) as { kid: string; jwk: JsonWebKey; pem: string };

		// What a backend team would write from the README, with nothing of the receiver's code.
		const key = createPublicKey({ key: published.jwk, format: 'jwk' });
		const { crv, kty, x } = published.jwk;
		const thumbprint = createHash('sha256')
			.update(JSON.stringify({ crv, kty, x }))
			.digest('base64url');
		expect(published.kid).toBe(thumbprint);
		expect(createPublicKey(published.pem).export({ format: 'jwk' }).x).toBe(x);
		const genuine = (receipt: Receipt) => {
			const { signature, ...signed } = receipt;
			return verify(
				null,
				Buffer.from(canonicalize(signed)!),
				key,
				Buffer.from(signature, 'base64url')
			);
		};
		for (const [i, accepted] of answer.accepted.entries()) {
			expect(accepted.receipt.kid).toBe(published.kid);
			expect(accepted.receipt.digest).toBe(batch[i]!.digest);
			expect(genuine(accepted.receipt)).toBe(true);
		}
		const receipt = answer.accepted[0]!.receipt;
		expect(genuine({ ...receipt, receivedAt: '2020-01-01T00:00:00.000Z' })).toBe(false);
		expect(genuine({ ...receipt, digest: batch[1]!.digest })).toBe(false);
	});

	it('logs each batch with its idempotency key, as a trace aid only', async () => {
		const [record] = await makeRecords(1);
		await post({ records: [record] }, { 'Idempotency-Key': 'batch-4f2a' });
		const again = await post({ records: [record] }, { 'Idempotency-Key': 'another-key' });
		expect(results(again).accepted).toHaveLength(1);
		expect(lines).toEqual([
			expect.stringMatching(/1 accepted, 0 rejected .*\(idempotency-key batch-4f2a\)/),
			expect.stringMatching(/1 accepted, 0 rejected .*\(idempotency-key another-key\)/)
		]);
	});

	it('answers health and 404 for paths it does not serve', async () => {
		const health = await fetch(`${running.url}/health`);
		expect(health.status).toBe(200);
		expect(await health.json()).toEqual({
			status: 'ok',
			database: database.kind,
			path: '/acceptances'
		});
		const elsewhere = await fetch(`${running.origin}/other`);
		expect(elsewhere.status).toBe(404);
		expect(await elsewhere.json()).toMatchObject({ error: 'not-found' });
	});
});

/** A presentation of the widget inline on `origin`. */
function inlineOn(origin: string) {
	return { embed: 'inline', origin, label: 'I have read and accept the terms' };
}

/** The record again with a correct digest for its (changed) content. */
async function rebuild(record: Record<string, unknown>): Promise<AcceptanceRecord> {
	const unsigned = { ...record };
	delete unsigned.digest;
	const text = canonicalize(unsigned)!;
	const digest = `sha256:${createHash('sha256').update(text).digest('hex')}`;
	return { ...unsigned, digest } as AcceptanceRecord;
}

describe('a slow client', () => {
	let site: TestSite;
	let running: RunningReceiver;
	beforeAll(async () => {
		site = testSite();
		running = await startReceiver({
			port: 0,
			database: 'memory://',
			site: site.dir,
			// The test site publishes no baseUrl, so no token could be checked against it.
			subjects: 'unverified',
			requestTimeoutMs: 400,
			log: () => {}
		});
	});
	afterAll(async () => {
		await running?.close();
		site?.remove();
	});

	/** Sends `head` at once, then one more byte every 50 ms; resolves when the server hangs up. */
	function trickle(head: string) {
		return new Promise<{ ms: number; answer: string }>((resolve, reject) => {
			const started = Date.now();
			const socket = connect(running.port, '127.0.0.1', () => socket.write(head));
			let answer = '';
			const drip = setInterval(() => socket.write('x'), 50);
			socket.on('data', (chunk) => (answer += chunk.toString()));
			socket.on('error', () => {});
			socket.on('close', () => {
				clearInterval(drip);
				resolve({ ms: Date.now() - started, answer });
			});
			setTimeout(() => {
				clearInterval(drip);
				socket.destroy();
				reject(new Error('the receiver kept the slow connection open for 5 s'));
			}, 5_000);
		});
	}

	it('is cut off at the request limit while sending its headers', async () => {
		const { ms, answer } = await trickle(
			'POST /acceptances HTTP/1.1\r\nHost: receiver\r\nX-Slow: '
		);
		expect(answer).toMatch(/^HTTP\/1\.1 408/);
		expect(ms).toBeGreaterThanOrEqual(350);
		expect(ms).toBeLessThan(2_000);
	});

	it('is cut off at the request limit while sending its body', async () => {
		const { ms, answer } = await trickle(
			'POST /acceptances HTTP/1.1\r\nHost: receiver\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"records":["'
		);
		expect(answer).toMatch(/^HTTP\/1\.1 408/);
		expect(ms).toBeLessThan(2_000);
	});

	it('has 30 s by default, as the README says', () => {
		expect(REQUEST_TIMEOUT_MS).toBe(30_000);
	});
});
