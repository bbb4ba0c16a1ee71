// The receiver's intake beside PostgreSQL's own limit, for `npm run bench`: the same records
// through the receiver's batch intake (every check, receipts, standings, outbox) and through
// two bare inserts of the same rows with no checks (a multi-row VALUES insert, and one
// `unnest` insert), on one database, emptied between runs. Asserts nothing; prints nothing.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runnerImport } from 'vite';
import { batchIntake } from '../receiver/batch.js';
import { openDatabase } from '../receiver/database.js';
import { intakeChecks, publishedPartners } from '../receiver/intake.js';
import { loadSigningKey, signReceipt } from '../receiver/receipts.js';
import { partnersDocument } from '../receiver/site-documents.js';
import { publishedStatements } from '../receiver/statements.js';
import { subjectChecks } from '../receiver/subjects.js';
import { webhookOutbox } from '../receiver/webhooks.js';

const HASH = `sha256:${'ab'.repeat(32)}`;
const COLUMNS = `id, digest, raw, record, action, subject, partner, statement_id, statement_version,
	statement_locale, statement_hash, at, received_at, receipt, subject_verified, subject_issuer,
	subject_kid`;

/** @param {string} path */
const load = async (path) =>
	(await runnerImport(resolve(path), { configFile: false, logLevel: 'error' })).module;

/**
 * A database to measure on: PGlite in memory, or a fresh schema of a PostgreSQL server (dropped
 * after).
 * @param {string | undefined} url
 */
async function benchDatabase(url) {
	if (!url)
		return { database: await openDatabase({ database: 'memory://' }), drop: async () => {} };
	const { default: pg } = await import('pg');
	const schema = `assent_bench_${randomBytes(4).toString('hex')}`;
	const admin = new pg.Client({ connectionString: url });
	await admin.connect();
	await admin.query(`create schema ${schema}`);
	const scoped = new URL(url);
	scoped.searchParams.set('options', `-c search_path=${schema}`);
	const database = await openDatabase({ database: scoped.href, log: () => {} });
	return {
		database,
		drop: async () => {
			await database.close();
			await admin.query(`drop schema ${schema} cascade`);
			await admin.end();
		}
	};
}

/**
 * Records per second through the intake and through the two bare inserts, median of `rounds`
 * paired rounds, for each batch size.
 * @param {{ url?: string, sizes: number[], count: number, rounds: number }} options
 * @returns {Promise<{ size: number, ours: number, values: number, unnest: number }[]>}
 */
export async function intakeBench({ url, sizes, count, rounds }) {
	/** @type {typeof import('../src/lib/core/record-builder')} */
	const { buildRecord } = await load('src/lib/core/record-builder.ts');
	const site = mkdtempSync(join(tmpdir(), 'assent-bench-intake-'));
	mkdirSync(join(site, 'statements'));
	writeFileSync(
		join(site, 'statements/index.json'),
		JSON.stringify({
			schema: 'assent.statements/1',
			site: { baseUrl: 'https://statements.example.com' },
			statements: [
				{
					id: 'terms',
					versions: [
						{
							version: '1.0',
							effective: '2020-01-01',
							locales: { en: { hash: HASH, url: '/statements/terms/1.0/en/' } }
						}
					]
				}
			]
		})
	);
	writeFileSync(join(site, 'partners.json'), JSON.stringify({ partners: [] }));
	const { database, drop } = await benchDatabase(url);
	try {
		const key = loadSigningKey({});
		const statements = publishedStatements({ site });
		const partnersFile = partnersDocument({ site });
		const partners = publishedPartners({ site, document: partnersFile });
		await statements.load();
		await partners.load();
		const now = () => new Date();
		const intake = batchIntake({
			key,
			statements,
			intake: intakeChecks({ partners, statements, now }),
			subjects: subjectChecks({
				site,
				audience: () => 'https://statements.example.com',
				partners: partnersFile,
				policy: 'unverified'
			}),
			webhooks: webhookOutbox({ options: undefined, database: () => database, log: () => {}, now }),
			database: () => database,
			now,
			log: () => {}
		});

		/** @type {import('../src/lib/core/record').AcceptanceRecord[]} */
		const records = [];
		/** @type {{ digest: string, seq: number } | null} */
		let prev = null;
		for (let i = 0; i < count; i++) {
			const record = await buildRecord({
				act: {
					action: 'accept',
					subject: `bench-${i}`,
					partner: null,
					statement: {
						id: 'terms',
						version: '1.0',
						locale: 'en',
						hash: HASH,
						url: 'https://statements.example.com/statements/terms/1.0/en/'
					},
					presentation: { embed: 'iframe', origin: 'https://partner.example', label: 'I agree' },
					client: { userAgent: 'bench', widget: 'assent/bench' }
				},
				prev
			});
			prev = { digest: record.digest, seq: record.seq };
			records.push(record);
		}
		const texts = records.map((r) => JSON.stringify(r));
		// The bare inserts store the same rows, receipts included, made before the clock starts.
		const receivedAt = new Date().toISOString();
		const rows = records.map((record, i) => {
			const receipt = signReceipt({
				key,
				id: record.id,
				digest: record.digest,
				receivedAt,
				subject: 'unverified'
			});
			const s = record.statement;
			return [
				record.id,
				record.digest,
				texts[i],
				record.action,
				record.subject,
				record.partner,
				s.id,
				s.version,
				s.locale,
				s.hash,
				record.at,
				receivedAt,
				JSON.stringify(receipt),
				'false',
				null,
				null
			];
		});

		const empty = async () => {
			const { rows: tables } = await database.query(
				`select tablename from pg_tables where schemaname = current_schema()
				and tablename like 'assent\\_%' and tablename <> 'assent_receiver_schema'`
			);
			await database.query(
				`truncate ${tables.map((t) => String(t.tablename)).join(', ')} restart identity`
			);
		};
		/** @param {(from: number, to: number) => Promise<void>} write @param {number} size */
		const timed = async (write, size) => {
			await empty();
			const started = performance.now();
			for (let from = 0; from < count; from += size)
				await write(from, Math.min(count, from + size));
			return count / ((performance.now() - started) / 1000);
		};
		const valuesInsert = (/** @type {number} */ n) => {
			const tuples = Array.from({ length: n }, (_, i) => {
				const $ = (/** @type {number} */ k) => `$${i * 17 + k}`;
				return `(${$(1)}::uuid, ${$(2)}, ${$(3)}, ${$(4)}::jsonb, ${$(5)}, ${$(6)}, ${$(7)}, ${$(8)}, ${$(9)}, ${$(10)}, ${$(11)}, ${$(12)}::timestamptz, ${$(13)}::timestamptz, ${$(14)}::jsonb, ${$(15)}::boolean, ${$(16)}, ${$(17)})`;
			});
			return `insert into assent_records (${COLUMNS}) values ${tuples.join(', ')} on conflict (id) do nothing returning id::text as id`;
		};
		const unnestInsert = `insert into assent_records (${COLUMNS})
			select id, digest, raw, raw::jsonb, action, subject, partner, statement_id,
				statement_version, statement_locale, statement_hash, at, received_at, receipt::jsonb,
				subject_verified, subject_issuer, subject_kid
			from unnest($1::text[]::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
				$6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[]::timestamptz[],
				$12::text[]::timestamptz[], $13::text[], $14::text[]::boolean[], $15::text[], $16::text[])
				as t(id, digest, raw, action, subject, partner, statement_id, statement_version,
					statement_locale, statement_hash, at, received_at, receipt, subject_verified,
					subject_issuer, subject_kid)
			on conflict (id) do nothing returning id::text as id`;

		/** @type {Record<string, (from: number, to: number) => Promise<void>>} */
		const variants = {
			ours: async (from, to) => {
				const result = await intake.receive({
					records: records.slice(from, to),
					texts: texts.slice(from, to),
					origin: undefined
				});
				if (result.rejected.length > 0) {
					throw new Error(`the intake refused a record: ${result.rejected[0]?.reason}`);
				}
			},
			values: (from, to) =>
				database.transaction(async (tx) => {
					const slice = rows.slice(from, to);
					await tx.query(
						valuesInsert(slice.length),
						slice.flatMap((r) => [...r.slice(0, 3), r[2], ...r.slice(3)])
					);
				}),
			unnest: (from, to) =>
				database.transaction(async (tx) => {
					const slice = rows.slice(from, to);
					await tx.query(
						unnestInsert,
						Array.from({ length: 16 }, (_, c) => slice.map((r) => r[c]))
					);
				})
		};
		const median = (/** @type {number[]} */ xs) =>
			[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
		const results = [];
		for (const size of sizes) {
			/** @type {Record<string, number[]>} */
			const rates = { ours: [], values: [], unnest: [] };
			// A warm-up of each, then paired rounds in turns, so load on the machine hits all alike.
			for (const write of Object.values(variants)) await timed(write, size);
			for (let round = 0; round < rounds; round++) {
				const order = Object.keys(variants);
				if (round % 2) order.reverse();
				for (const name of order) {
					rates[name]?.push(await timed(/** @type {any} */ (variants[name]), size));
				}
			}
			results.push({
				size,
				ours: median(rates.ours ?? []),
				values: median(rates.values ?? []),
				unnest: median(rates.unnest ?? [])
			});
		}
		return results;
	} finally {
		await drop();
		await database.close().catch(() => undefined);
		rmSync(site, { recursive: true, force: true });
	}
}
