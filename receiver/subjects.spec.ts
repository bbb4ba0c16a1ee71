/**
 * Verified subjects (SPEC section 8) on the reference receiver, over real HTTP, on PGlite and,
 * when ASSENT_TEST_DATABASE_URL is set, on a PostgreSQL server: each record's subject token is
 * checked against the keys the statements site publishes in /partners.json, and a subject's
 * standing is read with a token for that subject.
 */
import { createHmac, createPrivateKey, createPublicKey, type JsonWebKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AcceptanceRecord } from '../src/lib/core/record';
import { sampleAct, sampleChain } from '../src/lib/core/record-fixtures';
import { receiverConfig } from './config.js';
import { openDatabase } from './database.js';
import {
	postgresSchema,
	postgresUrl,
	PUBLISHED,
	tempFolders,
	testSite,
	type TestSite
} from './fixtures';
import { generateSubjectKey, mintSubjectToken } from './mint.js';
import { verifyReceipt } from './receipts.js';
import { startReceiver } from './receiver.js';
import type { Accepted, Database, Rejected, RunningReceiver } from './types.js';

const AUDIENCE = 'https://statements.example.com';
const PAGE_ORIGIN = 'https://statements.example.com';
/** Where the partners show the widget: the page `sampleAct` names. */
const SHOWN_ON = ['https://partner.example'];
const PRIVACY = { id: 'privacy', version: '2.0', locale: 'en', hash: `sha256:${'d'.repeat(64)}` };

// Harbor Books rotates keys: an Ed25519 key and a newer P-256 one, both registered.
const harborEd = generateSubjectKey({ kid: 'harbor-2025', alg: 'EdDSA' });
const harborEc = generateSubjectKey({ kid: 'harbor-2026', alg: 'ES256' });
const lumen = generateSubjectKey({ kid: 'lumen-1' });
const operator = generateSubjectKey({ kid: 'operator-1', alg: 'ES256' });
// Nobody registered this one.
const stranger = generateSubjectKey({ kid: 'harbor-2025' });

function registry(harborKeys = [harborEd.publicJwk, harborEc.publicJwk]) {
	return {
		schema: 'assent.partners/1',
		partners: [
			{ id: 'harbor-books', name: 'Harbor Books', origins: SHOWN_ON, keys: harborKeys },
			{ id: 'lumen-travel', name: 'Lumen Travel', origins: SHOWN_ON, keys: [lumen.publicJwk] },
			{ id: 'no-keys', name: 'No Keys', origins: SHOWN_ON }
		],
		operator: { keys: [operator.publicJwk] }
	};
}

/** Publishes `/partners.json` and the site's `baseUrl` in the test site's folder. */
function publishRegistry(dir: string, value: unknown = registry()) {
	writeFileSync(join(dir, 'partners.json'), JSON.stringify(value));
}
function publishBaseUrl(dir: string, baseUrl: string) {
	const file = join(dir, 'statements', 'index.json');
	const index = JSON.parse(readFileSync(file, 'utf8'));
	writeFileSync(file, JSON.stringify({ ...index, site: { name: 'Test', baseUrl } }));
}

const mint = (
	key: JsonWebKey,
	options: { partner?: string; subject: string; ttl?: number; now?: Date; audience?: string }
) =>
	mintSubjectToken({
		key,
		partner: options.partner ?? 'harbor-books',
		subject: options.subject,
		audience: options.audience ?? AUDIENCE,
		...(options.ttl !== undefined ? { ttl: options.ttl } : {}),
		...(options.now ? { now: options.now } : {})
	});

/** A token with any header and claims, signed by `key`. */
function signed(
	key: JsonWebKey,
	claims: Record<string, unknown>,
	header: Record<string, unknown> = {}
): Promise<string> {
	const alg = key.kty === 'EC' ? 'ES256' : 'EdDSA';
	return new SignJWT(claims)
		.setProtectedHeader({ alg, kid: (key as { kid: string }).kid, ...header })
		.sign(createPrivateKey({ key, format: 'jwk' }));
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** One record per act, one browser's chain, made now. */
function records(acts: Record<string, unknown>[], start = new Date()): Promise<AcceptanceRecord[]> {
	return sampleChain({ acts: acts.map((act) => sampleAct(act)), start });
}

const backends = [
	{ name: 'PGlite', location: async () => ({ database: 'memory://', drop: async () => {} }) },
	...(postgresUrl
		? [
				{
					name: 'a PostgreSQL server',
					location: async () => {
						const schema = await postgresSchema(postgresUrl as string);
						return { database: schema.url, drop: schema.drop };
					}
				}
			]
		: [])
];

describe.each(backends)('subject tokens on $name', ({ location }) => {
	let site: TestSite;
	let database: Database;
	let running: RunningReceiver;
	let unverified: RunningReceiver;
	let where: { database: string; drop: () => Promise<void> };
	const lines: string[] = [];
	const folders = tempFolders();

	beforeAll(async () => {
		site = testSite();
		site.publish(PRIVACY);
		publishBaseUrl(site.dir, `${AUDIENCE}/`);
		publishRegistry(site.dir);
		where = await location();
		database = await openDatabase({ database: where.database });
		const common = {
			port: 0,
			database,
			site: site.dir,
			origins: [PAGE_ORIGIN],
			refreshSeconds: 0,
			signingKey: join(folders.make('assent-subjects-key-'), 'signing-key.pem')
		};
		running = await startReceiver({ ...common, log: (line) => lines.push(line) });
		unverified = await startReceiver({ ...common, subjects: 'unverified', log: () => {} });
	});
	afterAll(async () => {
		await running?.close();
		await unverified?.close();
		await database?.close();
		await where?.drop();
		site?.remove();
		folders.cleanup();
	});

	async function post(batch: AcceptanceRecord[] | string, to = running) {
		const response = await fetch(to.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: typeof batch === 'string' ? batch : JSON.stringify({ records: batch })
		});
		expect(response.status).toBe(200);
		return (await response.json()) as { accepted: Accepted[]; rejected: Rejected[] };
	}

	async function rows(ids: string[]) {
		const { rows } = await database.query(
			`select id::text as id, subject_verified, subject_issuer, subject_kid
			from assent_records where id = any($1::text[]::uuid[])`,
			[ids]
		);
		return rows;
	}

	/** The one record's refusal, checking that nothing was stored. */
	async function refusal(record: AcceptanceRecord) {
		const answer = await post([record]);
		expect(answer.accepted).toEqual([]);
		expect(answer.rejected).toHaveLength(1);
		expect(await rows([record.id])).toEqual([]);
		return answer.rejected[0]!;
	}

	function standing(
		subject: string,
		token: string | undefined,
		query = '',
		headers: Record<string, string> = {}
	) {
		return fetch(`${running.url}/standing?subject=${encodeURIComponent(subject)}${query}`, {
			headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers }
		});
	}

	it('logs the origin tokens must name and where the keys come from', () => {
		expect(lines.join('\n')).toContain(
			`subject tokens must name aud ${AUDIENCE}, keys from ${join(site.dir, 'partners.json')}; records without a token are refused`
		);
	});

	it('accepts a record vouched for by an EdDSA token, and marks it verified', async () => {
		const subjectToken = await mint(harborEd.privateJwk, { subject: 'customer-ed' });
		const [record] = await records([
			{ subject: 'customer-ed', partner: 'harbor-books', action: 'associate', subjectToken }
		]);
		const answer = await post([record!]);
		expect(answer.rejected).toEqual([]);
		const receipt = answer.accepted[0]!.receipt;
		expect(receipt).not.toHaveProperty('subject');
		expect(verifyReceipt({ receipt, publicKey: running.receiver.publicKey.jwk })).toBe(true);
		expect(await rows([record!.id])).toEqual([
			{
				id: record!.id,
				subject_verified: true,
				subject_issuer: 'harbor-books',
				subject_kid: 'harbor-2025'
			}
		]);
	});

	it('selects the key by kid: an ES256 token of the rotated-in key verifies too', async () => {
		const subjectToken = await mint(harborEc.privateJwk, { subject: 'customer-ec' });
		const [record] = await records([
			{ subject: 'customer-ec', partner: 'harbor-books', action: 'associate', subjectToken }
		]);
		expect((await post([record!])).accepted.map((a) => a.id)).toEqual([record!.id]);
		expect((await rows([record!.id]))[0]).toMatchObject({ subject_kid: 'harbor-2026' });
	});

	it("accepts the operator's token for a record with or without a partner", async () => {
		const subjectToken = await mint(operator.privateJwk, {
			partner: 'operator',
			subject: 'customer-op'
		});
		const batch = await records([
			{ subject: 'customer-op', partner: null, subjectToken },
			{ subject: 'customer-op', partner: 'lumen-travel', action: 'associate', subjectToken }
		]);
		expect((await post(batch)).accepted).toHaveLength(2);
		expect((await rows([batch[0]!.id]))[0]).toMatchObject({ subject_issuer: 'operator' });
	});

	it('refuses for good a record made up on a server for another customer, without a token', async () => {
		// A server recomputes the digest of a record it made up and posts it without an Origin.
		const [forged] = await records([
			{ subject: 'victim-42', partner: 'harbor-books', action: 'associate' }
		]);
		const rejected = await refusal(forged!);
		expect(rejected).toEqual({
			id: forged!.id,
			reason: expect.stringMatching(/^subject-token\/missing: The record has no subject token/),
			retryable: false
		});
		// Nor does a token signed with a key nobody registered, under a registered kid.
		const [withToken] = await records([
			{
				subject: 'victim-42',
				partner: 'harbor-books',
				action: 'associate',
				subjectToken: await mint(stranger.privateJwk, { subject: 'victim-42' })
			}
		]);
		expect((await refusal(withToken!)).reason).toMatch(/^subject-token\/signature: /);
	});

	const now = () => new Date();
	const bad: [string, () => Promise<{ token: string; act?: Record<string, unknown> }>, RegExp][] = [
		[
			'an expired token',
			async () => ({
				token: await mint(harborEd.privateJwk, {
					subject: 'customer-1',
					ttl: 3600,
					now: new Date(Date.now() - 2 * 3600_000)
				})
			}),
			/^subject-token\/expired: The subject token expired at .* before /
		],
		[
			'a token issued more than 5 minutes after the act',
			async () => ({
				token: await mint(harborEd.privateJwk, {
					subject: 'customer-1',
					now: new Date(Date.now() + 10 * 60_000)
				})
			}),
			/^subject-token\/too-early: /
		],
		[
			'a token for another subject',
			async () => ({ token: await mint(harborEd.privateJwk, { subject: 'customer-2' }) }),
			/^subject-token\/subject: The subject token vouches for "customer-2", not for "customer-1"/
		],
		[
			'a token of another partner',
			async () => ({
				token: await mint(lumen.privateJwk, { partner: 'lumen-travel', subject: 'customer-1' })
			}),
			/^subject-token\/issuer: The subject token was issued by "lumen-travel", but only "harbor-books" or "operator" may vouch/
		],
		[
			"a partner's token for a record without a partner",
			async () => ({
				token: await mint(harborEd.privateJwk, { subject: 'customer-1' }),
				act: { partner: null, action: 'accept' }
			}),
			/^subject-token\/issuer: .*only "operator" may vouch/
		],
		[
			'alg none',
			async () => {
				const part = (value: object) => base64url.encode(JSON.stringify(value));
				const iat = seconds(now());
				return {
					token: `${part({ alg: 'none', kid: 'harbor-2025' })}.${part({ iss: 'harbor-books', sub: 'customer-1', aud: AUDIENCE, iat, exp: iat + 600 })}.`
				};
			},
			/^subject-token\/algorithm: The subject token is signed with "none"/
		],
		[
			'HS256 with the public key as the secret',
			async () => {
				const part = (value: object) => base64url.encode(JSON.stringify(value));
				const iat = seconds(now());
				const input = `${part({ alg: 'HS256', kid: 'harbor-2025' })}.${part({ iss: 'harbor-books', sub: 'customer-1', aud: AUDIENCE, iat, exp: iat + 600 })}`;
				const secret = createPublicKey({ key: harborEd.publicJwk, format: 'jwk' }).export({
					type: 'spki',
					format: 'pem'
				});
				const mac = createHmac('sha256', secret).update(input).digest('base64url');
				return { token: `${input}.${mac}` };
			},
			/^subject-token\/algorithm: The subject token is signed with "HS256"/
		],
		[
			'an unknown kid',
			async () => ({
				token: await mint({ ...harborEd.privateJwk, kid: 'harbor-1999' } as JsonWebKey, {
					subject: 'customer-1'
				})
			}),
			/^subject-token\/unknown-key: The subject token's key "harbor-1999" is not among harbor-books's keys in the partner registry \(harbor-2025, harbor-2026\)/
		],
		[
			'a malformed JWT',
			async () => ({ token: 'not.a-jwt' }),
			/^subject-token\/malformed: The subject token is not a JWT in compact form/
		],
		[
			'a token over 8,192 characters',
			async () => {
				const iat = seconds(now());
				return {
					token: await signed(harborEd.privateJwk, {
						iss: 'harbor-books',
						sub: 'customer-1',
						aud: AUDIENCE,
						iat,
						exp: iat + 600,
						padding: 'x'.repeat(8 * 1024)
					})
				};
			},
			// The record schema bounds the field, so such a record never reaches the token check.
			/^The record does not follow \/schemas\/record\.json: .*subjectToken.*8192/
		],
		[
			'a token for another site',
			async () => ({
				token: await mint(harborEd.privateJwk, {
					subject: 'customer-1',
					audience: 'https://elsewhere.example'
				})
			}),
			/^subject-token\/audience: .*must be the statements site's origin, "https:\/\/statements\.example\.com"/
		],
		[
			'a token that vouches for more than 24 hours',
			async () => {
				const iat = seconds(now());
				return {
					token: await signed(harborEd.privateJwk, {
						iss: 'harbor-books',
						sub: 'customer-1',
						aud: AUDIENCE,
						iat,
						exp: iat + 24 * 3600 + 1
					})
				};
			},
			/^subject-token\/lifetime: The subject token is valid for 86401 seconds/
		]
	];

	it.each(bad)('refuses for good a record with %s', async (_, make, reason) => {
		const { token, act } = await make();
		const [record] = await records([
			{
				subject: 'customer-1',
				partner: 'harbor-books',
				action: 'associate',
				subjectToken: token,
				...act
			}
		]);
		const rejected = await refusal(record!);
		expect(rejected.retryable).toBe(false);
		expect(rejected.reason).toMatch(reason);
	});

	it('refuses a record whose act lies outside its token even when other records pass', async () => {
		const subjectToken = await mint(harborEd.privateJwk, {
			subject: 'customer-late',
			ttl: 600,
			now: new Date(Date.now() - 3600_000)
		});
		// Made offline while the token was valid, sent an hour later: accepted.
		const [inWindow] = await records(
			[{ subject: 'customer-late', partner: 'harbor-books', action: 'associate', subjectToken }],
			new Date(Date.now() - 3500_000)
		);
		// Made after the token expired.
		const [late] = await records(
			[{ subject: 'customer-late', partner: 'harbor-books', action: 'associate', subjectToken }],
			new Date(Date.now() - 2000_000)
		);
		const answer = await post([inWindow!, late!]);
		expect(answer.accepted.map((a) => a.id)).toEqual([inWindow!.id]);
		expect(answer.rejected).toEqual([
			{ id: late!.id, reason: expect.stringMatching(/^subject-token\/expired/), retryable: false }
		]);
	});

	it('accepts unverified subjects only when configured, marked so in the database and a signed receipt', async () => {
		const [record] = await records([{ subject: 'customer-anon', partner: null }]);
		expect((await refusal(record!)).reason).toMatch(/^subject-token\/missing/);

		const answer = await post([record!], unverified);
		expect(answer.rejected).toEqual([]);
		const receipt = answer.accepted[0]!.receipt;
		expect(receipt).toMatchObject({ id: record!.id, subject: 'unverified' });
		expect(verifyReceipt({ receipt, publicKey: unverified.receiver.publicKey.jwk })).toBe(true);
		// The marking is under the signature: without it the receipt no longer verifies.
		const unmarked: Partial<typeof receipt> = { ...receipt };
		delete unmarked.subject;
		expect(verifyReceipt({ receipt: unmarked, publicKey: unverified.receiver.publicKey.jwk })).toBe(
			false
		);
		expect(await rows([record!.id])).toEqual([
			{ id: record!.id, subject_verified: false, subject_issuer: null, subject_kid: null }
		]);

		// A token that is given is still checked.
		const [badToken] = await records([
			{ subject: 'customer-anon', partner: null, subjectToken: 'not-a-token' }
		]);
		expect((await post([badToken!], unverified)).rejected[0]!.reason).toMatch(
			/^subject-token\/malformed/
		);
		// And a good one makes a verified record there too.
		const [vouched] = await records([
			{
				subject: 'customer-anon',
				partner: null,
				subjectToken: await mint(operator.privateJwk, {
					partner: 'operator',
					subject: 'customer-anon'
				})
			}
		]);
		const accepted = (await post([vouched!], unverified)).accepted[0]!;
		expect(accepted.receipt).not.toHaveProperty('subject');
		expect((await rows([vouched!.id]))[0]).toMatchObject({ subject_verified: true });
	});

	it('stops verifying with a key removed from the registry, and keeps what it stored', async () => {
		const subject = 'customer-rotated';
		const oldToken = await mint(harborEd.privateJwk, { subject });
		const [before] = await records([
			{ subject, partner: 'harbor-books', action: 'associate', subjectToken: oldToken }
		]);
		const first = await post([before!]);
		expect(first.accepted).toHaveLength(1);

		publishRegistry(site.dir, registry([harborEc.publicJwk]));
		try {
			const [after] = await records([
				{ subject, partner: 'harbor-books', action: 'disassociate', subjectToken: oldToken }
			]);
			expect((await refusal(after!)).reason).toMatch(
				/^subject-token\/unknown-key: The subject token's key "harbor-2025" is not among harbor-books's keys in the partner registry \(harbor-2026\)/
			);
			// The stored record is sent again (its answer was lost): it keeps its first receipt.
			expect(await post([before!])).toEqual(first);
			// And it is still part of the subject's standing.
			const answer = await standing(subject, await mint(harborEc.privateJwk, { subject }));
			expect(answer.status).toBe(200);
			const body = (await answer.json()) as { records: { record: { id: string } }[] };
			expect(body.records.map((r) => r.record.id)).toEqual([before!.id]);
		} finally {
			publishRegistry(site.dir);
		}
	});

	describe('the standing of a subject', () => {
		const subject = 'customer-standing';
		let held: AcceptanceRecord[];
		let receipts: Map<string, Accepted>;

		beforeAll(async () => {
			const harborToken = await mint(harborEd.privateJwk, { subject });
			const operatorToken = await mint(operator.privateJwk, { partner: 'operator', subject });
			const { hash, ...privacy } = PRIVACY;
			held = await records(
				[
					{ subject, partner: null, subjectToken: operatorToken },
					{ subject, partner: 'harbor-books', action: 'associate', subjectToken: harborToken },
					{
						subject,
						partner: null,
						subjectToken: operatorToken,
						statement: { ...privacy, hash, url: `${AUDIENCE}/statements/privacy/2.0/en/` }
					},
					{ subject, partner: 'harbor-books', action: 'disassociate', subjectToken: harborToken },
					{
						subject: 'someone-else',
						partner: null,
						subjectToken: await mint(operator.privateJwk, {
							partner: 'operator',
							subject: 'someone-else'
						})
					}
				],
				new Date(Date.now() - 60_000)
			);
			const answer = await post(held);
			expect(answer.rejected).toEqual([]);
			receipts = new Map(answer.accepted.map((a) => [a.id, a]));
		});

		it('answers every record of the subject, each with its receipt, for a token of that subject', async () => {
			// A token of any partner (or the operator) for this subject reads every statement and partner.
			const token = await mint(harborEc.privateJwk, { subject });
			const answer = await standing(subject, token);
			expect(answer.status).toBe(200);
			expect(answer.headers.get('cache-control')).toBe('no-store');
			const body = (await answer.json()) as {
				subject: string;
				records: { record: AcceptanceRecord; receivedAt: string; receipt: Accepted['receipt'] }[];
			};
			const mine = held.filter((r) => r.subject === subject);
			expect(body).toEqual({
				subject,
				records: mine.map((record) => ({
					record,
					receivedAt: receipts.get(record.id)!.receivedAt,
					receipt: receipts.get(record.id)!.receipt
				}))
			});
			expect(new Set(body.records.map((r) => r.record.statement.id))).toEqual(
				new Set([PUBLISHED.id, PRIVACY.id])
			);
		});

		it('pages with limit and cursor', async () => {
			const token = await mint(operator.privateJwk, { partner: 'operator', subject });
			const ids: string[] = [];
			let query = '&limit=3';
			for (let page = 0; page < 3; page++) {
				const body = (await (await standing(subject, token, query)).json()) as {
					records: { record: { id: string } }[];
					next?: string;
				};
				ids.push(...body.records.map((r) => r.record.id));
				if (!body.next) break;
				query = `&limit=3&cursor=${body.next}`;
			}
			expect(ids).toEqual(held.filter((r) => r.subject === subject).map((r) => r.id));

			for (const [bad, message] of <[string, string][]>[
				['&limit=0', '"limit" must be a whole number from 1 to 10000'],
				['&limit=10001', '"limit" must be a whole number from 1 to 10000'],
				['&cursor=abc', '"cursor" is not one this receiver gave']
			]) {
				const answer = await standing(subject, token, bad);
				expect(answer.status).toBe(400);
				expect(await answer.json()).toEqual({
					error: 'invalid-query',
					message: expect.stringContaining(message)
				});
			}
		});

		it('answers 401 without a token or with an invalid one, and 403 for another subject', async () => {
			const none = await standing(subject, undefined);
			expect(none.status).toBe(401);
			expect(none.headers.get('www-authenticate')).toContain('Bearer');
			expect(await none.json()).toEqual({
				error: 'unauthorized',
				message: expect.stringContaining('needs "Authorization: Bearer <subject token>"')
			});

			const expired = await mint(harborEd.privateJwk, {
				subject,
				ttl: 60,
				now: new Date(Date.now() - 3600_000)
			});
			const stale = await standing(subject, expired);
			expect(stale.status).toBe(401);
			expect(await stale.json()).toEqual({
				error: 'invalid-token',
				message: expect.stringContaining('subject-token/expired')
			});

			const forged = await standing(subject, await mint(stranger.privateJwk, { subject }));
			expect(forged.status).toBe(401);
			expect(((await forged.json()) as { message: string }).message).toContain(
				'subject-token/signature'
			);

			const other = await standing(
				subject,
				await mint(operator.privateJwk, { partner: 'operator', subject: 'someone-else' })
			);
			expect(other.status).toBe(403);
			expect(await other.json()).toEqual({
				error: 'forbidden-subject',
				message: expect.stringContaining('vouches for another subject')
			});
		});

		it('lets allowed browser origins read it, and no others', async () => {
			const token = await mint(harborEd.privateJwk, { subject });
			const allowed = await standing(subject, token, '', { Origin: PAGE_ORIGIN });
			expect(allowed.status).toBe(200);
			expect(allowed.headers.get('access-control-allow-origin')).toBe(PAGE_ORIGIN);

			const preflight = await fetch(`${running.url}/standing?subject=${subject}`, {
				method: 'OPTIONS',
				headers: {
					Origin: PAGE_ORIGIN,
					'Access-Control-Request-Method': 'GET',
					'Access-Control-Request-Headers': 'authorization'
				}
			});
			expect(preflight.status).toBe(204);
			expect(preflight.headers.get('access-control-allow-methods')).toBe('GET');
			expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization');
			expect(preflight.headers.get('access-control-allow-origin')).toBe(PAGE_ORIGIN);

			const elsewhere = await standing(subject, token, '', { Origin: 'https://evil.example' });
			expect(elsewhere.status).toBe(403);
			expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
		});
	});
});

describe('the origin subject tokens name', () => {
	const folders = tempFolders();
	afterAll(() => folders.cleanup());

	it('is the origin of the site URL when the index publishes no baseUrl', async () => {
		const site = testSite();
		publishRegistry(site.dir);
		const { serveSite } = await import('../tests/e2e/server');
		const served = await serveSite(site.dir);
		const lines: string[] = [];
		const running = await startReceiver({
			port: 0,
			database: 'memory://',
			site: `${served.url}/`,
			log: (line) => lines.push(line)
		});
		try {
			expect(lines.join('\n')).toContain(
				`must name aud ${served.url}, keys from ${served.url}/partners.json`
			);
			const subjectToken = await mint(harborEd.privateJwk, {
				subject: 'customer-url',
				audience: served.url
			});
			const batch = await records([
				{ subject: 'customer-url', partner: 'harbor-books', action: 'associate', subjectToken }
			]);
			const response = await fetch(running.url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ records: batch })
			});
			expect(((await response.json()) as { accepted: unknown[] }).accepted).toHaveLength(1);
		} finally {
			await running.close();
			await served.close();
			site.remove();
		}
	});

	it('must be known to verify subjects: a built folder without baseUrl stops the receiver with what to fix', async () => {
		const site = testSite();
		try {
			await expect(
				startReceiver({ port: 0, database: 'memory://', site: site.dir, log: () => {} })
			).rejects.toThrow(
				/does not know the statements site's origin.*Set baseUrl in the site's site\.yaml.*ASSENT_SUBJECTS=unverified/
			);
		} finally {
			site.remove();
		}
	});
});

describe('ASSENT_SUBJECTS', () => {
	it('chooses the subject policy, and refuses any other value with what to write', () => {
		expect(receiverConfig({ env: {} })).not.toHaveProperty('subjects');
		expect(receiverConfig({ env: { ASSENT_SUBJECTS: 'unverified' } }).subjects).toBe('unverified');
		expect(() => receiverConfig({ env: { ASSENT_SUBJECTS: 'off' } })).toThrow(
			'ASSENT_SUBJECTS must be "verified" (records need a subject token, the default) or "unverified"'
		);
	});
});
