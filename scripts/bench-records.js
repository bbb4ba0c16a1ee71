// The records page and the accept path in Chromium, beside hand-built floors in the same runs.
// `node scripts/bench-records.js` (or `npm run bench`, which imports it). Needs a built site
// (`npm run build`; ASSENT_OUT or ASSENT_BENCH_SITE names another build) and Chromium.
//
// - records page: time to the first rows (from navigation start) and JS heap after them, at
//   10,000 and 100,000 records, beside a floor page that reads the count and the newest 50 rows
//   with raw IndexedDB; the heap again once the chain is verified.
// - accept path: RecordLog.append p50/p99 (with and without Web Locks), beside one raw strict
//   IndexedDB transaction writing a record and its outbox entry.
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, runnerImport } from 'vite';
import { staticSite } from '../server/static.js';

const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'];

/** @param {string} path */
const load = async (path) =>
	(await runnerImport(resolve(path), { configFile: false, logLevel: 'error' })).module;

/** @param {number[]} values @param {number} q */
const quantile = (values, q) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const median = (/** @type {number[]} */ values) => quantile(values, 0.5);

/** The floor: count and newest 50 records through the seq index, raw IndexedDB, one table. */
const FLOOR_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>floor</title></head><body>
<p id="count"></p><table class="records"><tbody></tbody></table><script type="module">
const open = indexedDB.open('assent');
open.onsuccess = () => {
	const tx = open.result.transaction(['records', 'outbox']);
	const records = tx.objectStore('records');
	const count = records.count();
	count.onsuccess = () => (document.getElementById('count').textContent = count.result + ' records');
	const rows = [];
	const cursor = records.index('seq').openCursor(null, 'prev');
	cursor.onsuccess = () => {
		const at = cursor.result;
		if (at && rows.length < 50) { rows.push(at.value); at.continue(); return; }
		const body = document.querySelector('tbody');
		for (const r of rows) {
			const tr = document.createElement('tr');
			for (const v of [r.seq, r.at, r.action, r.subject, r.partner ?? '', r.statement.id]) {
				const td = document.createElement('td'); td.textContent = String(v); tr.append(td);
			}
			body.append(tr);
		}
	};
};
</script></body></html>`;

const APPEND_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>append</title></head><body>
<script type="module">import { RecordLog } from '/bench/log.js'; window.RecordLog = RecordLog; window.ready = true;</script>
</body></html>`;

/** Records first-row time (performance.now(), from navigation start) in every page. */
export function watchFirstRows() {
	const w = /** @type {any} */ (window);
	new MutationObserver((_, observer) => {
		if (w.mounted === undefined && document.querySelector('[data-testid=persistence]')) {
			w.mounted = performance.now();
		}
		if (document.querySelector('table.records tbody tr')) {
			w.firstRows = performance.now();
			observer.disconnect();
		}
	}).observe(document, { subtree: true, childList: true });
}

/**
 * @param {{ site: string, bundle?: string }} options
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serve(options) {
	const site = staticSite({ dir: options.site });
	const server = createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://bench').pathname;
		const send = (/** @type {string} */ type, /** @type {string} */ body) => {
			res.writeHead(200, { 'Content-Type': type });
			res.end(body);
		};
		if (path === '/bench/floor/') return send('text/html; charset=utf-8', FLOOR_PAGE);
		if (path === '/bench/append/') return send('text/html; charset=utf-8', APPEND_PAGE);
		if (path === '/bench/log.js' && options.bundle) {
			return send('text/javascript', readFileSync(options.bundle, 'utf8'));
		}
		site(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	});
	await new Promise((done) => server.listen(0, '127.0.0.1', () => done(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}`,
		close: () => new Promise((done) => server.close(() => done(undefined)))
	};
}

/**
 * Writes a valid chain of `count` records (subjects `customer-0` … `customer-999`, or as `act`
 * says) into the site's database (or `database`) in the storage of `page`.
 * @param {import('playwright-core').Page | import('playwright-core').Frame} page
 * @param {{ count: number, act?: (i: number) => import('../src/lib/core/record').Act, database?: string }} options
 */
export async function seedChain(page, options) {
	/** @type {typeof import('../tests/fixtures/stored-records')} */
	const { seedRecords } = await load('tests/fixtures/stored-records.ts');
	/** @type {typeof import('../src/lib/core/record-fixtures')} */
	const { sampleAct } = await load('src/lib/core/record-fixtures.ts');
	await seedRecords(page, {
		count: options.count,
		act: options.act ?? ((i) => sampleAct({ subject: `customer-${i % 1000}` })),
		start: new Date('2026-01-01T00:00:00.000Z'),
		size: 5000,
		database: options.database
	});
}

/**
 * Opens `path` in a fresh page, waits for the first rows, and measures them.
 * @param {import('playwright-core').BrowserContext} context @param {string} url
 * @param {string} [settled] a selector to wait for before the second heap reading
 */
async function firstRows(context, url, settled) {
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await page.goto(url);
	await page.waitForFunction(() => /** @type {any} */ (window).firstRows !== undefined, null, {
		timeout: 120_000
	});
	const ms = await page.evaluate(() => /** @type {any} */ (window).firstRows);
	if (process.env.ASSENT_BENCH_DEBUG) {
		console.log(
			await page.evaluate(() => {
				const w = /** @type {any} */ (window);
				const nav = performance.getEntriesByType('navigation')[0];
				return {
					mounted: w.mounted,
					firstRows: w.firstRows,
					domContentLoaded:
						nav && /** @type {PerformanceNavigationTiming} */ (nav).domContentLoadedEventEnd
				};
			})
		);
	}
	await cdp.send('HeapProfiler.collectGarbage');
	const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
	let settledHeap;
	if (settled) {
		await page.waitForSelector(settled, { timeout: 600_000 });
		await cdp.send('HeapProfiler.collectGarbage');
		settledHeap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
	}
	const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
	await page.close();
	return { ms, heap, settledHeap, nodes };
}

/** @param {{ site: string, sizes?: number[], rounds?: number }} options */
export async function recordsPageBench(options) {
	const sizes = options.sizes ?? [10_000, 100_000];
	const rounds = options.rounds ?? 3;
	const server = await serve({ site: options.site });
	const browser = await chromium.launch({ executablePath: CHROME, headless: true, args: ARGS });
	const rows = [];
	try {
		for (const size of sizes) {
			const context = await browser.newContext();
			await context.addInitScript(watchFirstRows);
			// The records page makes the database with its schema; the chain goes straight in.
			const setup = await context.newPage();
			await setup.goto(`${server.url}/records/`);
			await setup.getByTestId('records-empty').waitFor({ timeout: 60_000 });
			await seedChain(setup, { count: size });
			await setup.close();
			const ours = [];
			const floor = [];
			for (let round = 0; round < rounds; round++) {
				ours.push(
					await firstRows(
						context,
						`${server.url}/records/`,
						'[data-testid=chain-status][data-state=intact]'
					)
				);
				floor.push(await firstRows(context, `${server.url}/bench/floor/`));
			}
			const mb = (/** @type {number} */ bytes) => (bytes / 1024 / 1024).toFixed(1);
			const row = {
				records: size,
				ms: median(ours.map((r) => r.ms)),
				heapMB: mb(median(ours.map((r) => r.heap))),
				heapVerifiedMB: mb(median(ours.map((r) => r.settledHeap ?? 0))),
				nodes: median(ours.map((r) => r.nodes)),
				floorMs: median(floor.map((r) => r.ms)),
				floorHeapMB: mb(median(floor.map((r) => r.heap)))
			};
			rows.push(row);
			console.log(
				`records page, first rows, ${size} records: ${row.ms.toFixed(0)} ms, heap ${row.heapMB} MB (${row.heapVerifiedMB} MB once verified), ${row.nodes} DOM nodes | floor (count + newest 50, raw IndexedDB): ${row.floorMs.toFixed(0)} ms, heap ${row.floorHeapMB} MB | ratio ${(row.ms / row.floorMs).toFixed(2)}×`
			);
			await context.close();
		}
	} finally {
		await browser.close();
		await server.close();
	}
	return rows;
}

/** @param {{ site: string, appends?: number }} options */
export async function appendBench(options) {
	const appends = options.appends ?? 300;
	const out = mkdtempSync(join(tmpdir(), 'assent-bench-log-'));
	await build({
		configFile: false,
		logLevel: 'error',
		build: {
			outDir: out,
			emptyOutDir: true,
			minify: true,
			lib: { entry: resolve('src/lib/store/log.ts'), formats: ['es'], fileName: () => 'log.js' }
		}
	});
	/** @type {typeof import('../src/lib/core/record-fixtures')} */
	const { sampleAct } = await load('src/lib/core/record-fixtures.ts');
	const server = await serve({ site: options.site, bundle: join(out, 'log.js') });
	const browser = await chromium.launch({ executablePath: CHROME, headless: true, args: ARGS });
	/** @type {{ label: string, p50: number, p99: number }[]} */
	const rows = [];
	try {
		const context = await browser.newContext();
		const page = await context.newPage();
		await page.goto(`${server.url}/bench/append/`);
		await page.waitForFunction(() => /** @type {any} */ (window).ready);
		const act = sampleAct();
		/** @param {string} label @param {'log' | 'no-locks' | 'raw'} kind */
		const run = async (label, kind) => {
			const times = await page.evaluate(
				async ({ act, appends, kind, name }) => {
					const w = /** @type {any} */ (window);
					if (kind === 'no-locks')
						Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true });
					const times = [];
					if (kind === 'raw') {
						const db = await new Promise((resolve, reject) => {
							const opening = indexedDB.open(name, 1);
							opening.onupgradeneeded = () => {
								opening.result.createObjectStore('records', { keyPath: 'id' });
								opening.result.createObjectStore('outbox', { keyPath: 'id' });
							};
							opening.onsuccess = () => resolve(opening.result);
							opening.onerror = () => reject(opening.error);
						});
						for (let i = 0; i < appends; i++) {
							const started = performance.now();
							await new Promise((resolve, reject) => {
								const tx = /** @type {IDBDatabase} */ (db).transaction(
									['records', 'outbox'],
									'readwrite',
									{
										durability: 'strict'
									}
								);
								const id = crypto.randomUUID();
								tx.objectStore('records').add({ ...act, id, seq: i + 1 });
								tx.objectStore('outbox').add({ id, seq: i + 1, state: 'pending' });
								tx.oncomplete = resolve;
								tx.onerror = () => reject(tx.error);
							});
							times.push(performance.now() - started);
						}
						/** @type {IDBDatabase} */ (db).close();
						return times;
					}
					const log = new w.RecordLog({ db: undefined });
					await log.open();
					for (let i = 0; i < appends; i++) {
						const started = performance.now();
						await log.append({ act });
						times.push(performance.now() - started);
					}
					log.close();
					if (kind === 'no-locks') delete (/** @type {any} */ (navigator).locks);
					return times;
				},
				{ act, appends, kind, name: `floor-${kind}-${Math.random()}` }
			);
			const row = { label, p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
			rows.push(row);
			console.log(
				`accept path: ${label}: p50 ${row.p50.toFixed(2)} ms, p99 ${row.p99.toFixed(2)} ms (${appends} appends)`
			);
		};
		// Paired rounds, alternating, so the machine's load falls on each alike.
		for (let round = 0; round < 2; round++) {
			await run('one strict IndexedDB transaction (floor)', 'raw');
			await run('RecordLog.append with Web Locks', 'log');
			await run('RecordLog.append without Web Locks', 'no-locks');
		}
	} finally {
		await browser.close();
		await server.close();
		rmSync(out, { recursive: true, force: true });
	}
	return rows;
}

/** Both benches, for `npm run bench`. @param {{ site?: string }} [options] */
export async function benchRecords(options = {}) {
	const site = resolve(
		options.site ?? process.env.ASSENT_BENCH_SITE ?? process.env.ASSENT_OUT ?? 'build'
	);
	if (!existsSync(join(site, 'records/index.html'))) {
		console.log(`records page: no built site at ${site}; run "npm run build" first to measure it.`);
		return;
	}
	if (!existsSync(CHROME)) {
		console.log(`records page: no Chromium at ${CHROME}; set CHROME_PATH to measure it.`);
		return;
	}
	const only = process.argv.includes('--append')
		? 'append'
		: process.argv.includes('--page')
			? 'page'
			: 'both';
	const sizes = process.env.ASSENT_BENCH_RECORDS?.split(',').map(Number);
	if (only !== 'append') await recordsPageBench({ site, sizes });
	if (only !== 'page') await appendBench({ site });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	await benchRecords();
}
