// The receiver's intake beside PostgreSQL's own limit, for `npm run bench`: the same records
// through the receiver's batch intake (every check, receipts, standings, outbox) and through
// two bare inserts of the same rows with no checks, each batch in a transaction of its own (a
// multi-row VALUES insert, and the receiver's own `unnest` insert statement with the same
// parameters), on one database, emptied before each run. Asserts nothing; prints nothing.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runnerImport } from 'vite';
import { INSERT_SQL, batchIntake, columns } from '../receiver/batch.js';
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

/** The kernel's clock ticks per second, in which /proc reports CPU time. */
function clockTicks() {
	try {
		return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
	} catch {
		return 100;
	}
}

/** A file of /proc, or undefined when there is none (another machine's process, not Linux). */
function readProc(/** @type {string} */ path) {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return undefined;
	}
}

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
 * paired rounds, for each batch size; `ratio`: the median over the rounds of the faster bare
 * insert's rate divided by the intake's in the same round. `cpu`: CPU microseconds per record of
 * the intake and of the cheaper bare insert (this process and, on PGlite or a server on this
 * machine, the database), and the median of their paired ratios.
 * @param {{ url?: string, sizes: number[], count: number, rounds: number }} options
 * @returns {Promise<{ size: number, ours: number, values: number, unnest: number, ratio: number, cpu?: { ours: number, floor: number, ratio: number } }[]>}
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
		const receipts = records.map((record) =>
			signReceipt({
				key,
				id: record.id,
				digest: record.digest,
				receivedAt,
				subject: 'unverified'
			})
		);
		// The receiver's own parameters of its insert, one array per column, per batch.
		const receiverRows = records.map((record, i) => ({
			record: /** @type {Record<string, any>} */ (record),
			digest: record.digest,
			text: /** @type {string} */ (texts[i]),
			receipt: /** @type {import('../receiver/types.js').Receipt} */ (receipts[i]),
			vouch: /** @type {const} */ ({ verified: false }),
			relayed: false
		}));
		const rows = records.map((record, i) => {
			const receipt = receipts[i];
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
		// CPU time, which neighbours on a shared machine do not inflate as they do wall time: of
		// this process, and of the server's backends serving this database when the server runs
		// on this machine (read from /proc).
		const ticks = clockTicks();
		const cpuMs = async () => {
			const own = process.cpuUsage();
			let ms = (own.user + own.system) / 1000;
			if (!url) return ms;
			const { rows: backends } = await database.query(
				'select pid from pg_stat_activity where datname = current_database() and usename = current_user'
			);
			for (const { pid } of backends) {
				const stat = readProc(`/proc/${Number(pid)}/stat`);
				if (stat === undefined) return undefined;
				const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
				ms += ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
			}
			return ms;
		};
		/**
		 * Records per second, and CPU microseconds per record (undefined for a server elsewhere).
		 * @param {(from: number, to: number) => Promise<void>} write @param {number} size
		 */
		const timed = async (write, size) => {
			await empty();
			const cpuBefore = await cpuMs();
			const started = performance.now();
			for (let from = 0; from < count; from += size)
				await write(from, Math.min(count, from + size));
			const rate = count / ((performance.now() - started) / 1000);
			const cpuAfter = await cpuMs();
			const cpu =
				cpuBefore === undefined || cpuAfter === undefined
					? undefined
					: ((cpuAfter - cpuBefore) * 1000) / count;
			return { rate, cpu };
		};
		const valuesInsert = (/** @type {number} */ n) => {
			const tuples = Array.from({ length: n }, (_, i) => {
				const $ = (/** @type {number} */ k) => `$${i * 17 + k}`;
				return `(${$(1)}::uuid, ${$(2)}, ${$(3)}, ${$(4)}::jsonb, ${$(5)}, ${$(6)}, ${$(7)}, ${$(8)}, ${$(9)}, ${$(10)}, ${$(11)}, ${$(12)}::timestamptz, ${$(13)}::timestamptz, ${$(14)}::jsonb, ${$(15)}::boolean, ${$(16)}, ${$(17)})`;
			});
			return `insert into assent_records (${COLUMNS}) values ${tuples.join(', ')} on conflict (id) do nothing returning id::text as id`;
		};

		/** @type {Map<number, (string | null)[][]>} */
		const params = new Map();
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
					await tx.query(INSERT_SQL, params.get(from) ?? columns(receiverRows.slice(from, to)));
				})
		};
		const median = (/** @type {number[]} */ xs) =>
			[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
		const results = [];
		for (const size of sizes) {
			// The floor's parameters are made before the clock starts, too.
			params.clear();
			for (let from = 0; from < count; from += size) {
				params.set(from, columns(receiverRows.slice(from, Math.min(count, from + size))));
			}
			/** @type {Record<string, number[]>} */
			const rates = { ours: [], values: [], unnest: [] };
			/** @type {Record<string, (number | undefined)[]>} */
			const cpus = { ours: [], values: [], unnest: [] };
			/** @type {number[]} */
			const ratios = [];
			/** @type {number[]} */
			const cpuRatios = [];
			// A warm-up of each, then paired rounds in turns, so load on the machine hits all alike.
			for (const write of Object.values(variants)) await timed(write, size);
			for (let round = 0; round < rounds; round++) {
				const order = Object.keys(variants);
				if (round % 2) order.reverse();
				for (const name of order) {
					const { rate, cpu } = await timed(/** @type {any} */ (variants[name]), size);
					rates[name]?.push(rate);
					cpus[name]?.push(cpu);
				}
				const [ours, values, unnest] = ['ours', 'values', 'unnest'].map(
					(name) => /** @type {number} */ (rates[name]?.at(-1))
				);
				const [cpuOurs, cpuValues, cpuUnnest] = ['ours', 'values', 'unnest'].map((name) =>
					cpus[name]?.at(-1)
				);
				if (cpuOurs !== undefined && cpuValues !== undefined && cpuUnnest !== undefined) {
					cpuRatios.push(cpuOurs / Math.min(cpuValues, cpuUnnest));
				}
				ratios.push(
					Math.max(/** @type {number} */ (values), /** @type {number} */ (unnest)) /
						/** @type {number} */ (ours)
				);
			}
			results.push({
				size,
				ours: median(rates.ours ?? []),
				values: median(rates.values ?? []),
				unnest: median(rates.unnest ?? []),
				ratio: median(ratios),
				...(cpuRatios.length > 0
					? {
							cpu: {
								ours: median(/** @type {number[]} */ (cpus.ours)),
								floor: Math.min(
									median(/** @type {number[]} */ (cpus.values)),
									median(/** @type {number[]} */ (cpus.unnest))
								),
								ratio: median(cpuRatios)
							}
						}
					: {})
			});
		}
		return results;
	} finally {
		await drop();
		await database.close().catch(() => undefined);
		rmSync(site, { recursive: true, force: true });
	}
}
