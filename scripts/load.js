#!/usr/bin/env node
/**
 * The reference receiver under concurrent clients: `clients` browsers each deliver a chain of
 * `records` records in batches, as the widget's engine does (resending a batch whose answer
 * did not come, backing off on 5xx and on no answer), while also sending some batches twice and
 * some of another client's records (shared ids). At the end every id must be stored once, with
 * the digest it was made with, and nothing may be missing. Not part of `npm test`; talks only to
 * 127.0.0.1 and stops by itself.
 *
 *   node scripts/load.js                                    PGlite in memory, one instance
 *   node scripts/load.js --database postgres://u:p@127.0.0.1/db --instances 2
 *   node scripts/load.js --database postgres://… --instances 2 --restart-postgres
 *
 * `--restart-postgres` stops the PostgreSQL server mid-load (`pg_ctlcluster 15 main stop -m
 * fast`, or ASSENT_LOAD_PG_STOP), waits `--down-seconds` (default 5) and starts it again
 * (ASSENT_LOAD_PG_START); run it as a user allowed to, and only on a server you may stop.
 * On PostgreSQL the tables go in a fresh schema, dropped at the end.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runnerImport } from 'vite';

const { values } = parseArgs({
	options: {
		clients: { type: 'string', default: '50' },
		records: { type: 'string', default: '1000' },
		batch: { type: 'string', default: '50' },
		database: { type: 'string', default: 'memory://' },
		instances: { type: 'string', default: '1' },
		'restart-postgres': { type: 'boolean', default: false },
		'down-seconds': { type: 'string', default: '5' }
	},
	strict: true
});
for (const name of ['clients', 'records', 'batch', 'instances', 'down-seconds']) {
	const value = /** @type {Record<string, unknown>} */ (values)[name];
	if (!/^\d+$/.test(String(value)) || Number(value) < 1) {
		console.error(`--${name} must be a whole number of at least 1; got "${value}".`);
		process.exit(2);
	}
}
const CLIENTS = Number(values.clients);
const RECORDS = Number(values.records);
const BATCH = Number(values.batch);
const INSTANCES = Number(values.instances);
const postgres = /^postgres(ql)?:\/\//.test(values.database);
if (!postgres && values.database !== 'memory://') {
	console.error(
		`--database must be memory:// (PGlite) or a postgres:// URL; got "${values.database}".`
	);
	process.exit(2);
}
if (!postgres && INSTANCES > 1) {
	console.error('Two instances need one database between them: give --database postgres://…');
	process.exit(2);
}
if (values['restart-postgres'] && !postgres) {
	console.error('--restart-postgres needs --database postgres://…');
	process.exit(2);
}
for (const url of postgres ? [values.database] : []) {
	if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) {
		console.error(`This load runs against a local server only; ${new URL(url).hostname} is not.`);
		process.exit(2);
	}
}

/** @param {string} path */
const load = async (path) =>
	(await runnerImport(resolve(path), { configFile: false, logLevel: 'error' })).module;
/** @type {typeof import('../receiver/fixtures')} */
const fixtures = await load('receiver/fixtures.ts');
const { startReceiver } = await import('../receiver/receiver.js');

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
const site = fixtures.testSite();
const keys = mkdtempSync(join(tmpdir(), 'assent-load-'));
const schema = postgres ? await fixtures.postgresSchema(values.database) : undefined;
const database = schema ? schema.url : 'memory://';

console.log(
	`load: ${CLIENTS} clients × ${RECORDS} records, batches of ${BATCH}, ${INSTANCES} instance(s) on ${postgres ? 'PostgreSQL' : 'PGlite (memory)'}${values['restart-postgres'] ? ', PostgreSQL restarted mid-load' : ''}`
);
let t = performance.now();
/**
 * Each client's chain, as one browser would make it.
 * @type {import('../src/lib/core/record').AcceptanceRecord[][]}
 */
const chains = [];
for (let c = 0; c < CLIENTS; c++) {
	chains.push(await fixtures.makeRecords(RECORDS, { subject: `load-${c}` }));
}
console.log(`made ${CLIENTS * RECORDS} records in ${Math.round(performance.now() - t)} ms`);

/** @type {import('../receiver/types.js').RunningReceiver[]} */
const instances = [];
for (let i = 0; i < INSTANCES; i++) {
	instances.push(
		await startReceiver({
			port: 0,
			database,
			site: site.dir,
			subjects: 'unverified',
			signingKey: join(keys, 'key.pem'),
			// A load with a restart spans minutes; the records are all made at the start.
			skewSeconds: 3600,
			log: () => {}
		})
	);
}

const figures = {
	posts: 0,
	recordsSent: 0,
	resends: 0,
	shared: 0,
	/** @type {Record<string, number>} */
	errors: {},
	/** @type {number | undefined} */
	firstError: undefined,
	/** @type {number | undefined} */
	lastError: undefined,
	/** @type {number | undefined} */
	recovered: undefined
};
const note = (/** @type {string} */ kind) => {
	figures.errors[kind] = (figures.errors[kind] ?? 0) + 1;
	figures.lastError = performance.now();
	figures.firstError ??= figures.lastError;
};

/**
 * Delivers one batch until the receiver settles every record in it, as the widget's engine
 * does: another instance, and a longer wait, after each failure.
 * @param {number} client
 * @param {import("../src/lib/core/record").AcceptanceRecord[]} records
 */
async function deliver(client, records) {
	let failures = 0;
	for (;;) {
		const target = instances[(client + failures) % instances.length];
		figures.posts++;
		figures.recordsSent += records.length;
		try {
			const response = await fetch(/** @type {any} */ (target).url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ records }),
				signal: AbortSignal.timeout(30_000)
			});
			const body = /** @type {any} */ (await response.json().catch(() => undefined));
			if (response.status === 200 && body && body.rejected?.length === 0) {
				if (failures > 0 && figures.recovered === undefined && figures.lastError !== undefined) {
					figures.recovered = performance.now();
				}
				return;
			}
			if (response.status === 200) {
				const retryable = body.rejected.filter((/** @type {any} */ r) => r.retryable);
				if (retryable.length < body.rejected.length) {
					throw new Error(
						`refused for good: ${JSON.stringify(body.rejected.find((/** @type {any} */ r) => !r.retryable))}`
					);
				}
				note('200 with retryable refusals');
				const again = new Set(retryable.map((/** @type {any} */ r) => r.id));
				records = records.filter((r) => again.has(r.id));
			} else {
				note(`HTTP ${response.status}`);
			}
		} catch (error) {
			if (/refused for good/.test(String(error))) throw error;
			note(
				`no answer (${/** @type {{ cause?: { code?: string } }} */ (error).cause?.code ?? /** @type {Error} */ (error).name})`
			);
		}
		failures++;
		await sleep(Math.min(5000, 100 * 2 ** Math.min(failures, 6)) * (0.5 + Math.random() / 2));
	}
}

/** @param {number} client */
async function run(client) {
	const own = chains[client] ?? [];
	const neighbour = chains[(client + 1) % CLIENTS] ?? [];
	for (let start = 0; start < own.length; start += BATCH) {
		const batch = own.slice(start, start + BATCH);
		await deliver(client, batch);
		// The answer was "lost": the same batch again.
		if (Math.random() < 0.2) {
			figures.resends++;
			await deliver(client, batch);
		}
		// Records another client also sends (another tab of the same browser): shared ids.
		if (Math.random() < 0.2) {
			figures.shared++;
			await deliver(client, neighbour.slice(start, start + BATCH));
		}
	}
}

let restart = Promise.resolve();
if (values['restart-postgres']) {
	const stop = process.env.ASSENT_LOAD_PG_STOP ?? 'pg_ctlcluster 15 main stop -m fast';
	const start = process.env.ASSENT_LOAD_PG_START ?? 'pg_ctlcluster 15 main start';
	restart = (async () => {
		// A third of the way in, roughly.
		while (figures.posts < (CLIENTS * RECORDS) / BATCH / 3) await sleep(100);
		const at = performance.now();
		const stopped = spawnSync('sh', ['-c', stop], { encoding: 'utf8' });
		console.log(
			`PostgreSQL stopped at post ${figures.posts} (${stop}: exit ${stopped.status}${stopped.stderr ? `, ${stopped.stderr.trim()}` : ''})`
		);
		await sleep(Number(values['down-seconds']) * 1000);
		const started = spawnSync('sh', ['-c', start], { encoding: 'utf8' });
		console.log(
			`PostgreSQL started ${Math.round((performance.now() - at) / 1000)} s later (${start}: exit ${started.status}${started.stderr ? `, ${started.stderr.trim()}` : ''})`
		);
		figures.recovered = undefined;
	})();
}

t = performance.now();
let failed;
try {
	await Promise.all([restart, ...chains.map((_, c) => run(c))]);
} catch (error) {
	failed = error;
}
const seconds = (performance.now() - t) / 1000;

const db = /** @type {import('../receiver/types.js').Database} */ (instances[0]?.receiver.database);
const { rows } = await db.query('select id, digest from assent_records');
const stored = new Map(rows.map((r) => [String(r.id), String(r.digest)]));
const made = chains.flat();
const lost = made.filter((r) => !stored.has(r.id)).length;
const wrong = made.filter((r) => stored.has(r.id) && stored.get(r.id) !== r.digest).length;
const duplicates = rows.length - stored.size;
const madeIds = new Set(made.map((r) => r.id));
const strangers = [...stored.keys()].filter((id) => !madeIds.has(id)).length;

console.log(
	[
		`${Math.round(seconds)} s: ${figures.posts} POSTs carrying ${figures.recordsSent} records (${figures.resends} batches sent again, ${figures.shared} batches of another client's records)`,
		`records made ${made.length}, stored ${stored.size} (${Math.round(stored.size / seconds)}/s), duplicates ${duplicates}, lost ${lost}, wrong digest ${wrong}, not made here ${strangers}`,
		`errors: ${
			Object.keys(figures.errors).length === 0
				? 'none'
				: Object.entries(figures.errors)
						.map(([k, v]) => `${k} ×${v}`)
						.join(', ')
		}`,
		...(figures.firstError !== undefined && figures.lastError !== undefined
			? [
					`errors from ${Math.round((figures.firstError - t) / 1000)} s to ${Math.round((figures.lastError - t) / 1000)} s; clients retried with backoff and every batch was stored after`
				]
			: []),
		...(failed ? [`FAILED: ${/** @type {Error} */ (failed).message}`] : [])
	].join('\n')
);

await Promise.all(instances.map((i) => i.close()));
await schema?.drop();
site.remove();
rmSync(keys, { recursive: true, force: true });
process.exit(failed || lost || wrong || duplicates || strangers ? 1 : 0);
