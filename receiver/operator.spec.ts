/**
 * The operator's API (SPEC section 9) over real HTTP: standing, lists, summary and evidence as
 * an operator's backend reads them, on PGlite and (with ASSENT_TEST_DATABASE_URL) PostgreSQL.
 */
import { createPublicKey, verify } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOpenApi } from '../src/lib/schemas/sync-openapi';
import type { AcceptanceRecord, Act } from '../src/lib/core/record';
import { sampleChain } from '../src/lib/core/record-fixtures';
import { associationStatus, needsAcceptance } from '../src/lib/core/status';
import { verifyEvidence } from '../src/lib/core/verify';
import { verifyReceipt } from './receipts.js';
import { postgresSchema, postgresUrl, tempFolders } from './fixtures';
import { act, OPERATOR_TOKEN, operatorSite, post, SITE } from './operator-fixtures';
import { migrate, MIGRATIONS, openDatabase } from './database.js';
import { STANDINGS_MIGRATION } from './operator/standings.js';
import { startReceiver } from './receiver.js';
import type { RunningReceiver } from './types.js';

const backends = [
	{ name: 'PGlite', database: async () => ({ url: 'memory://', drop: async () => {} }) },
	...(postgresUrl ? [{ name: 'PostgreSQL', database: () => postgresSchema(postgresUrl!) }] : [])
];

describe.each(backends)('the operator API on $name', (backend) => {
	const folders = tempFolders();
	let running: RunningReceiver;
	let clock = new Date('2026-11-30T12:00:00.000Z');
	let site: ReturnType<typeof operatorSite>;
	let drop: () => Promise<void>;
	const lines: string[] = [];

	const get = async (path: string, init: { token?: string | null; origin?: string } = {}) => {
		const token = init.token === undefined ? OPERATOR_TOKEN : init.token;
		const response = await fetch(`${running.url}${path}`, {
			headers: {
				...(token !== null ? { authorization: `Bearer ${token}` } : {}),
				...(init.origin ? { origin: init.origin } : {})
			}
		});
		return { status: response.status, headers: response.headers, body: await response.json() };
	};

	beforeAll(async () => {
		const dir = folders.make('assent-operator-site-');
		site = operatorSite(dir);
		const db = await backend.database();
		drop = db.drop;
		running = await startReceiver({
			port: 0,
			database: db.url,
			site: dir,
			subjects: 'unverified',
			refreshSeconds: 0,
			operatorTokens: { console: OPERATOR_TOKEN, billing: 'billing-token-0123456789abcdef' },
			now: () => clock,
			log: (line) => lines.push(line)
		});
	});
	afterAll(async () => {
		await running?.close();
		await drop?.();
		folders.cleanup();
	});

	it('answers 401 without an operator token, or with a wrong one, saying what to send', async () => {
		const missing = await get('/subjects/a/standing?statement=terms', { token: null });
		expect(missing.status).toBe(401);
		expect(missing.body.error).toBe('unauthorized');
		expect(missing.body.message).toMatch(/Authorization: Bearer <operator token>/);
		expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
		const wrong = await get('/subjects/a/standing?statement=terms', { token: 'x'.repeat(30) });
		expect(wrong.status).toBe(401);
		expect(wrong.body.message).toMatch(/the one sent is not/);
		// The subject's own token is not an operator token, and the record path's token is not either.
		for (const path of [
			'/subjects',
			'/statements/terms/summary',
			'/subjects/a/evidence',
			'/webhooks/deliveries'
		]) {
			expect((await get(path, { token: null })).status).toBe(401);
		}
	});

	it('logs every call with the name of its token', async () => {
		lines.length = 0;
		await get('/subjects/a/standing?statement=terms', { token: 'billing-token-0123456789abcdef' });
		expect(lines).toContainEqual(
			expect.stringMatching(/operator billing: GET \/acceptances\/subjects\/a\/standing/)
		);
		expect(lines.join('\n')).not.toContain('billing-token-0123456789abcdef');
	});

	it('allows browsers on the statements site only', async () => {
		const fromSite = await get('/subjects/a/standing?statement=terms', { origin: SITE });
		expect(fromSite.status).toBe(200);
		expect(fromSite.headers.get('access-control-allow-origin')).toBe(SITE);
		const elsewhere = await get('/subjects/a/standing?statement=terms', {
			origin: 'https://shop.example'
		});
		expect(elsewhere.status).toBe(403);
		expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
		const preflight = await fetch(`${running.url}/subjects`, {
			method: 'OPTIONS',
			headers: { origin: SITE, 'access-control-request-headers': 'authorization' }
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization');
	});

	it('says who must accept again, why, and which records decide it', async () => {
		const records = await sampleChain({
			acts: [
				act('accept', '1.0', 'ada'),
				act('associate', '1.0', 'ada', 'harbor'),
				act('disassociate', '1.0', 'ada', 'harbor')
			],
			start: new Date('2026-02-01T10:00:00.000Z')
		});
		await post(running.url, records);
		const { status, body } = await get('/subjects/ada/standing?statement=terms&partner=harbor');
		expect(status).toBe(200);
		expect(body).toMatchObject({
			subject: 'ada',
			statement: 'terms',
			inForce: '2.0',
			accepted: null,
			mustAccept: true,
			reason: 'never-accepted',
			partner: 'harbor',
			association: { state: 'disassociated', since: records[2]!.at, version: '1.0' },
			records: { association: records[2]!.id }
		});
		const any = await get('/subjects/ada/standing?statement=terms');
		expect(any.body).toMatchObject({
			accepted: '1.0',
			acceptedAt: records[0]!.at,
			mustAccept: true,
			reason: 'material-change',
			changedSince: [
				{ version: '1.1', change: 'minor' },
				{ version: '2.0', change: 'material' }
			],
			records: { acceptance: records[0]!.id }
		});
		expect(any.body).not.toHaveProperty('association');
		const never = await get('/subjects/nobody/standing?statement=terms&partner=harbor');
		expect(never.body).toMatchObject({ reason: 'never-accepted', association: { state: 'never' } });
		expect(never.body.records).toEqual({});
	});

	it('lets an announced version take over on its day, and reads new versions without a restart', async () => {
		const records = await sampleChain({
			acts: [act('accept', '2.0', 'grace')],
			start: new Date('2026-07-01T10:00:00.000Z')
		});
		await post(running.url, records);
		expect((await get('/subjects/grace/standing?statement=terms')).body).toMatchObject({
			inForce: '2.0',
			mustAccept: false,
			reason: 'up-to-date'
		});
		clock = new Date('2027-01-01T00:00:00.000Z');
		try {
			expect((await get('/subjects/grace/standing?statement=terms')).body).toMatchObject({
				inForce: '3.0',
				mustAccept: true,
				reason: 'material-change'
			});
			site.publish('terms', {
				version: '3.1',
				issued: '2026-12-01',
				effective: '2026-12-31',
				change: 'minor'
			});
			expect((await get('/subjects/grace/standing?statement=terms')).body.inForce).toBe('3.1');
		} finally {
			clock = new Date('2026-11-30T12:00:00.000Z');
		}
	});

	it('lists subjects right after many requests for them arrive at once, newest first', async () => {
		const racers = ['racer-a', 'racer-b', 'racer-c', 'racer-d', 'racer-e'];
		const chains = await Promise.all(
			racers.map((subject) =>
				sampleChain({
					// Newest last: 1.0, which must accept again.
					acts: [...Array.from({ length: 15 }, (_, i) => (i % 2 ? '2.0' : '1.1')), '1.0'].map((v) =>
						act('accept', v, subject)
					),
					start: new Date('2026-07-01T00:00:00.000Z')
				})
			)
		);
		// Each record in its own request, all at once, newest first.
		await Promise.all(
			chains.flatMap((records) => [...records].reverse().map((r) => post(running.url, [r])))
		);
		const listed = await get('/subjects?statement=terms&needs=acceptance&limit=1000');
		for (const subject of racers) {
			expect(listed.body.subjects).toContainEqual(
				expect.objectContaining({ subject, accepted: '1.0', reason: 'material-change' })
			);
		}
	});

	it('refuses an unknown statement and a bad query, naming what to fix', async () => {
		const unknown = await get('/subjects/ada/standing?statement=nope');
		expect(unknown.status).toBe(404);
		expect(unknown.body.message).toMatch(/no statement "nope"/);
		expect((await get('/subjects/ada/standing')).status).toBe(400);
		expect((await get('/subjects?statement=terms&needs=money')).body.message).toMatch(/"needs"/);
		expect((await get('/subjects?statement=terms&limit=0')).status).toBe(400);
	});

	it('agrees with core/status.ts over generated histories', async () => {
		const versions = site.versions('terms');
		let n = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.array(
					fc.record({
						action: fc.constantFrom('accept', 'decline', 'associate', 'disassociate'),
						// Not 3.0: it is only announced when these records are made, and the receiver
						// refuses a record answering a version before its day.
						version: fc.constantFrom('1.0', '1.1', '2.0'),
						partner: fc.constantFrom(undefined, 'harbor', 'acme')
					}),
					{ minLength: 0, maxLength: 8 }
				),
				fc.constantFrom(undefined, 'harbor'),
				// The order the records arrive in, and where the batches split.
				fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
				fc.integer({ min: 1, max: 3 }),
				// How many records are sent again, whether a refused one comes along, and the day the
				// acts start on (a few seconds before midnight UTC, so some cross into the next day).
				fc.nat({ max: 8 }),
				fc.boolean(),
				fc.integer({ min: 0, max: 60 }),
				async (steps, partner, order, batches, resend, refused, day) => {
					const subject = `prop-${backend.name}-${n++}`;
					const before = { terms: await countsOf('terms'), links: await countsOf(LINKS) };
					const acts = steps.map((s) => {
						const linking = s.action === 'associate' || s.action === 'disassociate';
						return act(
							s.action as Act['action'],
							linking ? '1.0' : s.version,
							subject,
							linking ? (s.partner ?? 'harbor') : s.partner
						);
					});
					const start = new Date(Date.parse('2026-06-15T23:59:57.000Z') + day * 86_400_000);
					const records = await sampleChain({ acts, start });
					const arriving = records
						.map((r, i) => ({ r, k: order[i] ?? 0 }))
						.sort((a, b) => a.k - b.k)
						.map(({ r }) => r);
					const size = Math.ceil(arriving.length / batches);
					for (let i = 0; i < arriving.length; i += size) {
						await post(running.url, arriving.slice(i, i + size));
					}
					// Sent again (a browser that never saw the answer), and one the receiver refuses
					// (a version never published): neither is counted.
					if (resend > 0) await post(running.url, arriving.slice(0, resend));
					if (refused) {
						const odd = await sampleChain({ acts: [act('accept', '9.9', subject)], start });
						const answer = await fetch(running.url, {
							method: 'POST',
							headers: { 'content-type': 'application/json' },
							body: JSON.stringify({ records: odd })
						}).then((r) => r.json());
						expect(answer.rejected).toHaveLength(1);
					}
					// Acts per version, kind and UTC day: what this subject's records add up to.
					expect(changes(before.terms, await countsOf('terms'))).toEqual(
						countsIn(records, 'terms')
					);
					expect(changes(before.links, await countsOf(LINKS))).toEqual(countsIn(records, LINKS));
					// Each partner's list: the subjects with records of the statement on its behalf
					// that must accept, judged by the partner's acts alone.
					for (const statementId of ['terms', LINKS]) {
						for (const p of ['harbor', 'acme']) {
							const page = await get(
								`/subjects?statement=${statementId}&partner=${p}&needs=acceptance&limit=1000`
							);
							const entry = page.body.subjects.find(
								(s: { subject: string }) => s.subject === subject
							);
							const need = needsAcceptance({
								records,
								subject,
								statementId,
								partner: p,
								versions: site.versions(statementId),
								now: clock
							});
							const onBehalf = records.some(
								(r) => r.statement.id === statementId && r.partner === p
							);
							expect(entry !== undefined).toBe(onBehalf && need.needed);
							if (entry) {
								expect(entry.accepted).toBe(need.accepted ?? null);
								expect(entry.reason).toBe(need.reason);
							}
						}
					}
					const { body } = await get(
						`/subjects/${subject}/standing?statement=terms${partner ? `&partner=${partner}` : ''}`
					);
					const need = needsAcceptance({
						records,
						subject,
						statementId: 'terms',
						...(partner ? { partner } : {}),
						versions,
						now: clock
					});
					expect(body.mustAccept).toBe(need.needed);
					expect(body.reason).toBe(need.reason);
					expect(body.accepted).toBe(need.accepted ?? null);
					expect(body.inForce).toBe(need.inForce ?? null);
					// The lists and summaries read the deciding records kept at intake: the same answer.
					const listed = await get('/subjects?statement=terms&needs=acceptance&limit=1000');
					const hasTerms = records.some((r) => r.statement.id === 'terms');
					expect(listed.body.subjects.some((s: { subject: string }) => s.subject === subject)).toBe(
						hasTerms &&
							needsAcceptance({ records, subject, statementId: 'terms', versions, now: clock })
								.needed
					);
					if (partner) {
						const link = associationStatus({ records, subject, partner });
						expect(body.association.state).toBe(
							link.record ? (link.associated ? 'associated' : 'disassociated') : 'never'
						);
						expect(body.records.association).toBe(link.record?.id);
					}
				}
			),
			{ numRuns: 30 }
		);
		// Paged two at a time with its cursor, a partner's list holds two subjects on every page
		// but the last, and the same subjects as one long page.
		const whole = await get('/subjects?statement=terms&partner=harbor&limit=1000');
		const paged: string[] = [];
		let path = '/subjects?statement=terms&partner=harbor&limit=2';
		for (;;) {
			const { body } = await get(path);
			paged.push(...body.subjects.map((s: { subject: string }) => s.subject));
			if (!body.next) break;
			expect(body.subjects).toHaveLength(2);
			path = `/subjects?statement=terms&partner=harbor&limit=2&cursor=${body.next}`;
		}
		expect(paged).toEqual(whole.body.subjects.map((s: { subject: string }) => s.subject));
	});

	/** A statement summary's acts, keyed "version day action". */
	const countsOf = async (statement: string) => {
		const { body } = await get(`/statements/${statement}/summary`);
		const counts = new Map<string, number>();
		for (const v of body.versions) {
			for (const d of v.days) {
				for (const action of ACTIONS) {
					if (d[action] > 0) counts.set(`${v.version} ${d.day} ${action}`, d[action]);
				}
			}
		}
		return counts;
	};
});

const LINKS = 'partner-association';
const ACTIONS = ['accept', 'decline', 'associate', 'disassociate'];

/** What the counts of `after` add to those of `before`. */
function changes(before: Map<string, number>, after: Map<string, number>) {
	const added = new Map<string, number>();
	for (const [key, n] of after)
		if (n !== (before.get(key) ?? 0)) added.set(key, n - (before.get(key) ?? 0));
	return added;
}

/** The records of `statement` per "version day action", the day in UTC. */
function countsIn(records: AcceptanceRecord[], statement: string) {
	const counts = new Map<string, number>();
	for (const r of records) {
		if (r.statement.id !== statement) continue;
		const key = `${r.statement.version} ${new Date(r.at).toISOString().slice(0, 10)} ${r.action}`;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return counts;
}

describe.each(backends)('lists, summaries and evidence on $name', (backend) => {
	const folders = tempFolders();
	let dir: string;
	let running: RunningReceiver;
	let drop: () => Promise<void>;
	const clock = new Date('2026-11-30T12:00:00.000Z');
	/** Each subject's records, as sent. */
	const sent = new Map<string, AcceptanceRecord[]>();
	/** The body text of each record as it was posted. */
	const texts = new Map<string, string>();

	const get = async (path: string, method = 'GET') => {
		const response = await fetch(`${running.url}${path}`, {
			method,
			headers: { authorization: `Bearer ${OPERATOR_TOKEN}` }
		});
		return { status: response.status, headers: response.headers, body: await response.json() };
	};

	beforeAll(async () => {
		dir = folders.make('assent-operator-site-');
		operatorSite(dir);
		const db = await backend.database();
		drop = db.drop;
		running = await startReceiver({
			port: 0,
			database: db.url,
			site: dir,
			subjects: 'unverified',
			operatorTokens: { console: OPERATOR_TOKEN },
			now: () => clock,
			log: () => {}
		});
		// s01…s12: odd ones accepted 2.0 (up to date), even ones 1.0 (must accept again);
		// s03 and s04 associated with harbor, s04 then disassociated.
		for (let i = 1; i <= 12; i++) {
			const subject = `s${String(i).padStart(2, '0')}`;
			const acts = [act('accept', i % 2 ? '2.0' : '1.0', subject)];
			if (i === 3 || i === 4) acts.push(act('associate', '1.0', subject, 'harbor'));
			if (i === 4) acts.push(act('disassociate', '1.0', subject, 'harbor'));
			if (i === 5) acts.push(act('decline', '2.0', subject));
			const records = await sampleChain({
				acts,
				start: new Date(`2026-07-0${1 + (i % 3)}T10:00:00.000Z`)
			});
			sent.set(subject, records);
			// Sent with its own spacing: the receiver must keep each record's text exactly.
			const bodyTexts = records.map((r) => JSON.stringify(r, null, 1));
			records.forEach((r, k) => texts.set(r.id, bodyTexts[k]!));
			await post(running.url, records, `{ "records": [${bodyTexts.join(' ,\n')}] }`);
		}
	});
	afterAll(async () => {
		await running?.close();
		await drop?.();
		folders.cleanup();
	});

	it('pages through the subjects who must accept, with an opaque cursor', async () => {
		const seen: string[] = [];
		let path = '/subjects?statement=terms&needs=acceptance&limit=2';
		for (let pages = 0; pages < 10; pages++) {
			const { status, body } = await get(path);
			expect(status).toBe(200);
			expect(body.subjects.length).toBeLessThanOrEqual(2);
			for (const s of body.subjects) {
				expect(s).toMatchObject({ mustAccept: true, reason: 'material-change', accepted: '1.0' });
				seen.push(s.subject);
			}
			if (!body.next) break;
			expect(body.next).toMatch(/^[\w-]+$/);
			path = `/subjects?statement=terms&needs=acceptance&limit=2&cursor=${body.next}`;
		}
		expect(seen).toEqual(['s02', 's04', 's06', 's08', 's10', 's12']);
		const all = await get('/subjects?statement=terms&limit=1000');
		expect(all.body.subjects).toHaveLength(12);
		expect(all.body).not.toHaveProperty('next');
		const harbor = await get('/subjects?statement=partner-association&partner=harbor');
		expect(
			harbor.body.subjects.map((s: { subject: string; association: { state: string } }) => [
				s.subject,
				s.association.state
			])
		).toEqual([
			['s03', 'associated'],
			['s04', 'disassociated']
		]);
	});

	it('refuses a cursor from another query', async () => {
		const first = await get('/subjects?statement=terms&needs=acceptance&limit=1');
		const other = await get(`/subjects?statement=terms&limit=1&cursor=${first.body.next}`);
		expect(other.status).toBe(400);
		expect(other.body.message).toMatch(/cursor/);
		expect((await get('/subjects?statement=terms&cursor=garbage')).status).toBe(400);
	});

	it('sums up acts per version and day, who must accept again, and associations per partner', async () => {
		const { status, body } = await get('/statements/terms/summary');
		expect(status).toBe(200);
		expect(body.inForce).toBe('2.0');
		expect(body.subjects).toEqual({
			total: 12,
			mustAccept: 6,
			byReason: { 'material-change': 6, 'up-to-date': 6 }
		});
		const v2 = body.versions.find((v: { version: string }) => v.version === '2.0');
		expect(v2).toMatchObject({
			change: 'material',
			acts: { accept: 6, decline: 1, associate: 0, disassociate: 0 },
			subjectsAccepted: 6
		});
		// s01 s07 → 07-02, s03 s09 → 07-01, s05 s11 → 07-03 (s05 also declined that day).
		expect(v2.days).toEqual([
			{ day: '2026-07-01', accept: 2, decline: 0, associate: 0, disassociate: 0 },
			{ day: '2026-07-02', accept: 2, decline: 0, associate: 0, disassociate: 0 },
			{ day: '2026-07-03', accept: 2, decline: 1, associate: 0, disassociate: 0 }
		]);
		expect(body.versions.find((v: { version: string }) => v.version === '3.0').acts.accept).toBe(0);
		const links = await get('/statements/partner-association/summary');
		expect(links.body.partners).toEqual([{ partner: 'harbor', associated: 1, disassociated: 1 }]);
		expect((await get('/statements/nope/summary')).status).toBe(404);
	});

	it('bundles a subject’s evidence: records exactly as received, receipts, statements and the key', async () => {
		const { status, headers, body } = await get('/subjects/s04/evidence');
		expect(status).toBe(200);
		expect(headers.get('content-disposition')).toMatch(/evidence-s04\.json/);
		const records = sent.get('s04')!;
		expect(Object.keys(body)).toEqual([
			'format',
			'subject',
			'generatedAt',
			'site',
			'key',
			'records',
			'manifest',
			'statements',
			'verify'
		]);
		expect(body).toMatchObject({
			format: 'assent.evidence/1',
			subject: 's04',
			generatedAt: clock.toISOString(),
			site: SITE
		});
		const bundleSchema = JSON.parse(readFileSync('static/schemas/evidence.json', 'utf8'));
		const validateBundle = new Ajv2020({ strict: false, validateFormats: false }).compile(
			bundleSchema
		);
		expect(validateBundle(body), JSON.stringify(validateBundle.errors)).toBe(true);
		expect(body.records.map((r: { raw: string }) => r.raw)).toEqual(
			records.map((r) => texts.get(r.id))
		);
		expect(body.records.map((r: { record: unknown }) => r.record)).toEqual(records);
		const key = await (await fetch(`${running.url}/key`)).json();
		expect(body.key).toEqual({ alg: 'Ed25519', kid: key.kid, jwk: key.jwk, pem: key.pem });
		for (const entry of body.records) {
			const { signature, ...signed } = entry.receipt;
			expect(entry.receivedAt).toBe(clock.toISOString());
			expect(entry.receipt.digest).toBe(JSON.parse(entry.raw).digest);
			expect(
				verify(
					null,
					Buffer.from(canonicalize(signed)!),
					createPublicKey({ key: body.key.jwk, format: 'jwk' }),
					Buffer.from(signature, 'base64url')
				)
			).toBe(true);
		}
		// The manifest lists every record of the subject, signed with the published key.
		expect(body.manifest).toMatchObject({
			schema: 'assent.manifest/1',
			alg: 'Ed25519',
			kid: key.kid,
			subject: 's04',
			generatedAt: clock.toISOString(),
			count: records.length,
			records: records.map((r) => [r.id, r.digest])
		});
		expect(verifyReceipt({ receipt: body.manifest, publicKey: key.jwk })).toBe(true);
		expect(verifyReceipt({ receipt: { ...body.manifest, count: 2 }, publicKey: key.jwk })).toBe(
			false
		);
		// Each version as the site publishes it, member for member.
		expect(body.statements).toEqual([
			JSON.parse(readFileSync(join(dir, 'statements', 'terms', '1.0', 'en.json'), 'utf8')),
			expect.objectContaining({ id: 'partner-association', version: '1.0' })
		]);
		expect(body.verify.length).toBeGreaterThan(2);
		// The site's /verify/ code and scripts/verify.js check it against the published index.
		const text = JSON.stringify(body);
		const index = JSON.parse(readFileSync(join(dir, 'statements', 'index.json'), 'utf8'));
		const verdict = await verifyEvidence({ text, index });
		expect(verdict.problems).toEqual([]);
		expect(
			verdict.records.map((r) => ({ id: r.id, failed: r.failed, verified: r.verified }))
		).toEqual(records.map((r) => ({ id: r.id, failed: null, verified: true })));
		expect(verdict.ok).toBe(true);
		const file = join(dir, 'evidence-s04.json');
		writeFileSync(file, text);
		const script = spawnSync(process.execPath, ['scripts/verify.js', file, '--site', dir], {
			encoding: 'utf8'
		});
		expect(script.stdout + script.stderr).toMatch(/verified/);
		expect(script.stdout).toContain('Complete: the receiver’s signed manifest lists exactly');
		expect(script.status, script.stdout + script.stderr).toBe(0);
		// A bundle changed after it was made does not pass.
		const tampered = structuredClone(body);
		tampered.records[0].raw = tampered.records[0].raw.replace('"s04"', '"s05"');
		tampered.records[0].record.subject = 's05';
		expect((await verifyEvidence({ text: JSON.stringify(tampered), index })).ok).toBe(false);
		expect(verdict.completeness).toBe('verified');
		// So does one with a record taken out: the signed manifest still names it.
		const shorter = structuredClone(body);
		shorter.records.splice(1, 1);
		const removed = await verifyEvidence({ text: JSON.stringify(shorter), index });
		expect(removed.ok).toBe(false);
		expect(removed.problems).toMatchObject([
			{ code: 'manifest-missing', values: { id: records[1]!.id, number: 2 } }
		]);
		// A statement the site no longer serves: the bundle cannot be whole, so none is given.
		rmSync(join(dir, 'statements', 'terms', '1.0', 'en.json'));
		const broken = await get('/subjects/s04/evidence');
		expect(broken.status).toBe(503);
		expect(broken.body.message).toMatch(/terms 1\.0 \(en\) could not be read from the site/);
		operatorSite(dir);
		const none = await get('/subjects/nobody/evidence');
		expect(none.body).toMatchObject({ records: [], statements: [] });
	});

	it('answers as the OpenAPI document describes, errors included', async () => {
		const openapi = syncOpenApi() as {
			paths: Record<
				string,
				Record<
					string,
					{
						responses: Record<
							string,
							{ $ref?: string; content?: Record<string, { schema: { $ref: string } }> }
						>;
					}
				>
			>;
			components: {
				responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }>;
			};
		};
		const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
		ajv.addSchema(openapi, '/openapi.json');
		const subject = 's04';
		const calls: [string, string, number, string?][] = [
			[
				'/acceptances/subjects/{subject}/standing',
				`/subjects/${subject}/standing?statement=terms&partner=harbor`,
				200
			],
			[
				'/acceptances/subjects/{subject}/standing',
				`/subjects/${subject}/standing?statement=nope`,
				404
			],
			['/acceptances/subjects/{subject}/standing', `/subjects/${subject}/standing`, 400],
			['/acceptances/subjects', '/subjects?statement=terms&needs=acceptance&limit=2', 200],
			['/acceptances/subjects', '/subjects?statement=terms&limit=x', 400],
			['/acceptances/statements/{statement}/summary', '/statements/terms/summary', 200],
			['/acceptances/subjects/{subject}/evidence', `/subjects/${subject}/evidence`, 200],
			['/acceptances/webhooks/deliveries', '/webhooks/deliveries', 200],
			['/acceptances/webhooks/deliveries/redeliver', '/webhooks/deliveries/redeliver', 200, 'post'],
			[
				'/acceptances/webhooks/deliveries/redeliver',
				'/webhooks/deliveries/redeliver?event=msg_none',
				404,
				'post'
			],
			[
				'/acceptances/webhooks/deliveries/redeliver',
				'/webhooks/deliveries/redeliver?event=',
				400,
				'post'
			]
		];
		for (const [template, path, status, method = 'get'] of calls) {
			const answer = await get(path, method.toUpperCase());
			expect(answer.status, path).toBe(status);
			let response = openapi.paths[template]![method]!.responses[String(status)]!;
			if (response.$ref) response = openapi.components.responses[response.$ref.split('/').pop()!]!;
			const validate = ajv.compile({
				$ref: `/openapi.json${response.content!['application/json']!.schema.$ref}`
			});
			expect(validate(answer.body), `${path}: ${ajv.errorsText(validate.errors)}`).toBe(true);
		}
		const unauthorized = await fetch(`${running.url}/subjects`);
		const validate = ajv.compile({ $ref: '/openapi.json#/components/schemas/Problem' });
		expect(unauthorized.status).toBe(401);
		expect(validate(await unauthorized.json())).toBe(true);
	});
});

/**
 * A database from before a schema step: `batches` stored by a receiver, then the step's
 * `tables` dropped and its mark gone, as if it had never run; migrated again, a receiver on it
 * answers `check`'s calls of the operator's API.
 */
async function afterSchemaStep(options: {
	batches: AcceptanceRecord[][];
	step: number;
	tables: string[];
	check: (get: (path: string) => ReturnType<Response['json']>) => Promise<void>;
}) {
	const folders = tempFolders();
	const dir = folders.make('assent-operator-site-');
	operatorSite(dir);
	const database = await openDatabase({ database: 'memory://' });
	const start = () =>
		startReceiver({
			port: 0,
			database,
			site: dir,
			subjects: 'unverified',
			operatorTokens: { console: OPERATOR_TOKEN },
			now: () => new Date('2026-11-30T12:00:00.000Z'),
			log: () => {}
		});
	let running = await start();
	try {
		for (const batch of options.batches) await post(running.url, batch);
		await running.close();
		for (const table of options.tables) await database.query(`drop table ${table}`);
		await database.query('delete from assent_receiver_schema where version = $1', [options.step]);
		await migrate({ database });
		running = await start();
		await options.check((path) =>
			fetch(`${running.url}${path}`, {
				headers: { authorization: `Bearer ${OPERATOR_TOKEN}` }
			}).then((r) => r.json())
		);
	} finally {
		await running.close();
		await database.close();
		folders.cleanup();
	}
}

describe('the deciding records kept for lists and summaries', () => {
	it('are filled from the records stored before the receiver kept them', async () => {
		await afterSchemaStep({
			batches: [
				await sampleChain({
					acts: [
						act('accept', '2.0', 'old-1'),
						act('accept', '1.0', 'old-2'),
						act('associate', '1.0', 'old-2', 'harbor')
					]
				})
			],
			step: MIGRATIONS.indexOf(STANDINGS_MIGRATION) + 1,
			tables: ['assent_acceptance', 'assent_association'],
			check: async (get) => {
				const summary = await get('/statements/terms/summary');
				expect(summary.subjects).toEqual({
					total: 2,
					mustAccept: 1,
					byReason: { 'material-change': 1, 'up-to-date': 1 }
				});
				const links = await get('/statements/partner-association/summary');
				expect(links.partners).toEqual([{ partner: 'harbor', associated: 1, disassociated: 0 }]);
			}
		});
	});

	it('count the acts per day, and each partner’s acceptances, of the records stored before', async () => {
		const records = await sampleChain({
			acts: [
				act('accept', '1.0', 'old-1', 'harbor'),
				act('accept', '2.0', 'old-2', 'harbor'),
				act('decline', '2.0', 'old-3', 'harbor'),
				act('accept', '2.0', 'old-3')
			],
			start: new Date('2026-07-01T23:59:58.000Z')
		});
		await afterSchemaStep({
			// Sent again: counted once.
			batches: [records, records],
			step: MIGRATIONS.length,
			tables: ['assent_counts', 'assent_partner_acceptance'],
			check: async (get) => {
				const summary = await get('/statements/terms/summary');
				const days = (version: string) =>
					summary.versions.find((v: { version: string }) => v.version === version).days;
				expect(days('1.0')).toEqual([
					{ day: '2026-07-01', accept: 1, decline: 0, associate: 0, disassociate: 0 }
				]);
				expect(days('2.0')).toEqual([
					{ day: '2026-07-01', accept: 1, decline: 0, associate: 0, disassociate: 0 },
					{ day: '2026-07-02', accept: 1, decline: 1, associate: 0, disassociate: 0 }
				]);
				// old-3 accepted 2.0, but not on harbor's behalf: harbor still needs it to.
				const harbor = await get('/subjects?statement=terms&partner=harbor&needs=acceptance');
				expect(
					harbor.subjects.map((s: { subject: string; reason: string }) => [s.subject, s.reason])
				).toEqual([
					['old-1', 'material-change'],
					['old-3', 'never-accepted']
				]);
			}
		});
	});
});
