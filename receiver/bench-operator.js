#!/usr/bin/env node
/**
 * How long the operator's API takes on a million records in PostgreSQL:
 * `node receiver/bench-operator.js postgres://…` (or `ASSENT_BENCH_DATABASE_URL`, else
 * `DATABASE_URL`). Creates its tables in a fresh schema and drops them after; prints
 * milliseconds and asserts nothing. Without a PostgreSQL URL it says so and does nothing.
 * `RECORDS` changes the number of records (default 1,000,000; 5 per subject).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillStandings } from './operator/standings.js';
import { startReceiver } from './receiver.js';

const RECORDS = Number(process.env.RECORDS ?? 1_000_000);
const PER_SUBJECT = 5;
const TOKEN = 'bench-operator-token-0123456789';

const given =
	process.argv[2] ?? process.env.ASSENT_BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? '';
if (!/^postgres(ql)?:\/\//.test(given)) {
	console.log(
		'operator API: skipped, no PostgreSQL server given (node receiver/bench-operator.js postgres://…, or set ASSENT_BENCH_DATABASE_URL).'
	);
	process.exit(0);
}

const { default: pg } = await import('pg');
const schema = `assent_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: given });
await admin.connect();
await admin.query(`create schema ${schema}`);
const url = new URL(given);
url.searchParams.set('options', `-c search_path=${schema}`);

const site = mkdtempSync(join(tmpdir(), 'assent-bench-operator-'));
mkdirSync(join(site, 'statements'));
const version = (
	/** @type {string} */ v,
	/** @type {string} */ effective,
	/** @type {string} */ change
) => ({
	version: v,
	issued: effective,
	effective,
	change,
	locales: { en: { hash: `sha256:${'a'.repeat(64)}` } }
});
writeFileSync(
	join(site, 'statements', 'index.json'),
	JSON.stringify({
		site: { baseUrl: 'https://statements.example.com/' },
		statements: [
			{
				id: 'terms',
				versions: [
					version('1.0', '2026-01-01', 'initial'),
					version('2.0', '2026-06-01', 'material')
				]
			},
			{ id: 'partner-association', versions: [version('1.0', '2026-01-01', 'initial')] }
		]
	})
);
// The receiver reads the partner registry at start; the records name partners it need not know.
writeFileSync(join(site, 'partners.json'), JSON.stringify({ partners: [] }));
const running = await startReceiver({
	port: 0,
	database: url.href,
	site,
	subjects: 'unverified',
	operatorTokens: { bench: TOKEN },
	log: () => {}
});
try {
	const db = /** @type {import('./types.js').Database} */ (running.receiver.database);
	const subjects = Math.ceil(RECORDS / PER_SUBJECT);
	let started = performance.now();
	// Per subject: accept terms 1.0, then (every other subject) 2.0; a decline; and an associate
	// (every third one disassociates after) with one of ten partners. Inserted in slices so one
	// statement does not hold a million rows in memory.
	const SLICE = 100_000;
	for (let from = 0; from < RECORDS; from += SLICE) {
		await db.query(
			`insert into assent_records (id, digest, raw, record, action, subject, partner, statement_id,
				statement_version, statement_locale, statement_hash, at, received_at, receipt, subject_verified)
			select gen_random_uuid(), 'sha256:' || md5(g::text) || md5(g::text), r::text, r, r->>'action', r->>'subject',
				r->>'partner', r#>>'{statement,id}', r#>>'{statement,version}', 'en', $1::text,
				(r->>'at')::timestamptz, now(), '{"schema":"assent.receipt/1"}'::jsonb, false
			from generate_series($2::int, $3::int) g,
			lateral (select g / ${PER_SUBJECT} as s, g % ${PER_SUBJECT} as k) i,
			lateral (select jsonb_build_object(
				'schema', 'assent.record/1',
				'action', case k when 0 then 'accept' when 1 then 'accept' when 2 then 'decline' when 3 then 'associate'
					else case when s % 3 = 0 then 'disassociate' else 'associate' end end,
				'at', to_char((timestamptz '2026-01-02' + (k * 40 + s % 30) * interval '1 day' + s * interval '1 second')
					at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
				'seq', k + 1,
				'subject', 'customer-' || lpad(s::text, 7, '0'),
				'partner', case when k >= 3 then 'partner-' || (s % 10) end,
				'statement', jsonb_build_object(
					'id', case when k >= 3 then 'partner-association' else 'terms' end,
					'version', case when k = 1 and s % 2 = 0 then '2.0' else '1.0' end,
					'locale', 'en', 'hash', $1::text),
				'presentation', jsonb_build_object('embed', 'iframe', 'origin', 'https://shop.example',
					'label', 'I have read and accept the terms'),
				'client', jsonb_build_object('userAgent', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/142',
					'widget', 'assent/0.1.0')
			) as r) j`,
			[`sha256:${'a'.repeat(64)}`, from, Math.min(from + SLICE, RECORDS) - 1]
		);
	}
	console.log(
		`operator API: stored ${RECORDS} records of ${subjects} subjects in ${Math.round(performance.now() - started)} ms`
	);
	await db.query('analyze assent_records');
	// Inserted by SQL, not through intake: the deciding records are filled as a schema upgrade does.
	started = performance.now();
	await db.transaction((tx) => fillStandings(tx));
	await db.query('analyze');
	console.log(
		`operator API: chose the deciding records of ${subjects} subjects in ${Math.round(performance.now() - started)} ms`
	);

	const get = async (/** @type {string} */ path) => {
		const response = await fetch(`${running.url}${path}`, {
			headers: { authorization: `Bearer ${TOKEN}` }
		});
		if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
		return response.json();
	};
	/** @param {number[]} values */
	const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
	/** @param {() => Promise<unknown>} work */
	const time = async (work) => {
		const t = performance.now();
		await work();
		return performance.now() - t;
	};

	await get('/subjects/customer-0000001/standing?statement=terms'); // warm up
	const standing = [];
	for (let i = 0; i < 50; i++) {
		const s = `customer-${String(Math.floor(Math.random() * subjects)).padStart(7, '0')}`;
		standing.push(
			await time(() => get(`/subjects/${s}/standing?statement=terms&partner=partner-3`))
		);
	}
	console.log(
		`operator API: standing of one subject: median ${median(standing).toFixed(1)} ms, slowest ${Math.max(...standing).toFixed(1)} ms (50 subjects)`
	);

	const pages = [];
	let cursor = '';
	let listed = 0;
	for (let i = 0; i < 10; i++) {
		/** @type {any} */
		let page;
		pages.push(
			await time(async () => {
				page = await get(`/subjects?statement=terms&needs=acceptance&limit=100${cursor}`);
			})
		);
		listed += page.subjects.length;
		if (!page.next) break;
		cursor = `&cursor=${page.next}`;
	}
	console.log(
		`operator API: subjects who must accept, pages of 100: median ${median(pages).toFixed(1)} ms, slowest ${Math.max(...pages).toFixed(1)} ms (${pages.length} pages, ${listed} subjects)`
	);

	started = performance.now();
	const summary = await get('/statements/terms/summary');
	console.log(
		`operator API: summary of terms over ${RECORDS} records: ${Math.round(performance.now() - started)} ms (${summary.subjects.total} subjects, ${summary.subjects.mustAccept} must accept again)`
	);
} finally {
	await running.close();
	await admin.query(`drop schema ${schema} cascade`);
	await admin.end();
	rmSync(site, { recursive: true, force: true });
}
