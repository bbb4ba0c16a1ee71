#!/usr/bin/env node
/**
 * How long `GET <path>/standing` takes for a subject with many records, among many others':
 * `node receiver/bench-standing.js [database]` (default `memory://`, PGlite; or a postgres:// URL,
 * whose tables it creates in a fresh schema and drops after). Prints milliseconds; asserts
 * nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSubjectKey, mintSubjectToken } from './mint.js';
import { startReceiver } from './receiver.js';

const SUBJECT_RECORDS = 10_000;
const OTHER_RECORDS = Number(process.env.OTHER_RECORDS ?? 90_000);
const AUDIENCE = 'https://statements.example.com';

const given = process.argv[2] ?? 'memory://';
let database = given;
/** @type {(() => Promise<void>) | undefined} */
let drop;
if (/^postgres/.test(given)) {
	const { default: pg } = await import('pg');
	const schema = `assent_bench_${randomBytes(4).toString('hex')}`;
	const admin = new pg.Client({ connectionString: given });
	await admin.connect();
	await admin.query(`create schema ${schema}`);
	const url = new URL(given);
	url.searchParams.set('options', `-c search_path=${schema}`);
	database = url.href;
	drop = async () => {
		await admin.query(`drop schema ${schema} cascade`);
		await admin.end();
	};
}

const site = mkdtempSync(join(tmpdir(), 'assent-bench-standing-'));
mkdirSync(join(site, 'statements'));
writeFileSync(
	join(site, 'statements', 'index.json'),
	JSON.stringify({ statements: [], site: { baseUrl: AUDIENCE } })
);
const key = generateSubjectKey({ kid: 'bench' });
writeFileSync(
	join(site, 'partners.json'),
	JSON.stringify({
		partners: [{ id: 'shop', origins: ['https://shop.example'], keys: [key.publicJwk] }]
	})
);
const running = await startReceiver({ port: 0, database, site, log: () => {} });
try {
	const db = /** @type {import('./types.js').Database} */ (running.receiver.database);
	const raw = JSON.stringify({
		schema: 'assent.record/1',
		id: '019ab000-0000-7000-8000-000000000001',
		action: 'associate',
		at: '2026-11-24T06:30:00.123Z',
		seq: 7,
		subject: 'customer-bench',
		subjectToken: 'x'.repeat(400),
		partner: 'shop',
		statement: {
			id: 'partner-association',
			version: '1.1',
			locale: 'en',
			hash: `sha256:${'a'.repeat(64)}`,
			url: `${AUDIENCE}/statements/partner-association/1.1/en/`
		},
		presentation: { embed: 'iframe', origin: AUDIENCE, label: 'I agree to share my orders' },
		client: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/142', widget: 'assent/0.1.0' },
		prev: `sha256:${'b'.repeat(64)}`,
		digest: `sha256:${'c'.repeat(64)}`
	});
	const receipt = JSON.stringify({
		schema: 'assent.receipt/1',
		alg: 'Ed25519',
		kid: 'k'.repeat(43),
		id: '019ab000-0000-7000-8000-000000000001',
		digest: `sha256:${'c'.repeat(64)}`,
		receivedAt: '2026-11-24T06:30:01.000Z',
		signature: 's'.repeat(86)
	});
	const started = performance.now();
	await db.query(
		`insert into assent_records (id, digest, raw, record, action, subject, partner, statement_id,
			statement_version, statement_locale, statement_hash, at, received_at, receipt, subject_verified)
		select gen_random_uuid(), $1::text, $2::text, $2::text::jsonb, 'associate',
			case when g <= $4::int then 'customer-bench' else 'customer-' || (g % 5000) end,
			'shop', 'partner-association', '1.1', 'en', $1::text,
			timestamptz '2026-01-01' + g * interval '1 second', now(), $3::text::jsonb, true
		from generate_series(1, $4::int + $5::int) g`,
		[`sha256:${'c'.repeat(64)}`, raw, receipt, SUBJECT_RECORDS, OTHER_RECORDS]
	);
	await db.query('analyze assent_records');
	console.log(
		`${db.kind}: stored ${SUBJECT_RECORDS} records of one subject among ${OTHER_RECORDS} others in ${Math.round(performance.now() - started)} ms`
	);
	const token = await mintSubjectToken({
		key: key.privateJwk,
		partner: 'shop',
		subject: 'customer-bench',
		audience: AUDIENCE
	});
	const read = async (/** @type {string} */ query) => {
		const response = await fetch(`${running.url}/standing?subject=customer-bench${query}`, {
			headers: { Authorization: `Bearer ${token}` }
		});
		const body = /** @type {{ records: unknown[], next?: string }} */ (await response.json());
		return body;
	};
	await read('&limit=10'); // warm up
	// CPU time as well as wall time: on a busy machine the wall time is mostly waiting. For
	// PGlite the CPU time covers the database too (it runs in this process); for a PostgreSQL
	// server, only the receiver and this client.
	const cpu = (/** @type {NodeJS.CpuUsage} */ from) => {
		const used = process.cpuUsage(from);
		return Math.round((used.user + used.system) / 1000);
	};
	for (let run = 1; run <= 3; run++) {
		let t = performance.now();
		let c = process.cpuUsage();
		const whole = await read('&limit=10000');
		const one = performance.now() - t;
		const oneCpu = cpu(c);
		t = performance.now();
		c = process.cpuUsage();
		let count = 0;
		let query = '';
		for (;;) {
			const page = await read(query);
			count += page.records.length;
			if (!page.next) break;
			query = `&cursor=${page.next}`;
		}
		const paged = performance.now() - t;
		const pagedCpu = cpu(c);
		console.log(
			`${db.kind} run ${run}: ${whole.records.length} records in one page (limit=10000) in ${Math.round(one)} ms (CPU ${oneCpu} ms); ${count} in pages of 1000 in ${Math.round(paged)} ms (CPU ${pagedCpu} ms)`
		);
	}
} finally {
	await running.close();
	await drop?.();
	rmSync(site, { recursive: true, force: true });
}
