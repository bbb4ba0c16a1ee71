// The iframe widget's load time against the history held in the browser, in Chromium:
// `node scripts/bench-widget-history.js` (or `npm run bench`, records section, which imports it).
//
// From the partner page's navigation start to a visible, enabled checkbox in the frame, with no
// records in the frame's IndexedDB and with 10,000 (ASSENT_BENCH_HISTORY) there: a tenth of them
// of the widget's own subject (for another statement, so the checkbox is still asked for), the
// rest of a thousand other subjects for the widget's statement. Desktop and a phone profile (4×
// CPU throttling); medians of paired rounds (ASSENT_BENCH_WIDGET_ROUNDS, default 21), each round
// loading both in fresh pages of two browser contexts that differ only in what their storage
// holds. The goal: the load does not depend on the history.
//
// The site is built and served as for the widget rows (scripts/bench-widget-floor.js): into a
// temporary folder, or ASSENT_BENCH_WIDGET_SITE when it names such a build (made there if missing).
// Frames of another site have their own storage (partitioned by the top page's site), so the
// records are written from inside the frame, once the widget made its database there; where the
// browser refuses the frame storage (third-party storage blocked, as in Chromium's fresh
// contexts), the widget keeps its records in the host page's IndexedDB (`assent-relay`, through
// /widget/host-store.js), and they are written there.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';
import { staticSite } from '../server/static.js';
import { seedChain } from './bench-records.js';
import {
	BENCH_PROFILES,
	STATEMENT,
	benchSite,
	launchBenchBrowser,
	listen,
	median,
	partnerPage,
	watchUsable
} from './bench-widget-floor.js';

const SUBJECT = 'shopper-1';

/** @param {string} path */
const load = async (path) =>
	(await runnerImport(resolve(path), { configFile: false, logLevel: 'error' })).module;

/**
 * @param {{ records?: number, rounds?: number, log?: (line: string) => void }} [options]
 * @returns {Promise<{ profile: string, records: number, empty: number, full: number, ratio: number, extra: number, storage: string }[]>}
 */
export async function widgetHistoryBench(options = {}) {
	const records = options.records ?? Number(process.env.ASSENT_BENCH_HISTORY ?? 10_000);
	const rounds = options.rounds ?? Number(process.env.ASSENT_BENCH_WIDGET_ROUNDS ?? 21);
	const log = options.log ?? ((line) => console.error(line));
	const { site, sitePort, partnerPort, siteUrl, partnerUrl, removeSite } = await benchSite({
		log
	});
	const statics = staticSite({ dir: site });
	const closeSite = await listen(
		(req, res) =>
			statics(req, res, () => {
				res.writeHead(404, { 'Content-Type': 'text/plain' });
				res.end('Not found');
			}),
		sitePort
	);
	const page = partnerPage(
		`<assent-consent statement="${STATEMENT}" subject="${SUBJECT}" mode="accept"></assent-consent>`,
		`<script type="module" src="${siteUrl}/widget/assent.js"></script>`
	);
	const closePartner = await listen((req, res) => {
		if (new URL(req.url ?? '/', 'http://bench').pathname === '/assent/') {
			res.writeHead(200, {
				'Content-Type': 'text/html; charset=utf-8',
				'Cache-Control': 'no-cache'
			});
			return res.end(page);
		}
		res.writeHead(404, { 'Content-Type': 'text/plain' });
		res.end('Not found');
	}, partnerPort);

	// The acts of the history: the published statement in force, as the widget records it.
	/** @type {typeof import('../src/lib/core/record-fixtures')} */
	const { sampleAct } = await load('src/lib/core/record-fixtures.ts');
	const index = JSON.parse(readFileSync(join(site, 'statements/index.json'), 'utf8'));
	const statement = index.statements.find((/** @type {any} */ s) => s.id === STATEMENT);
	const version =
		statement.versions.find((/** @type {any} */ v) => v.version === statement.inForce) ??
		statement.versions[0];
	const published = {
		id: STATEMENT,
		version: version.version,
		locale: 'en',
		hash: version.locales.en.hash,
		url: `${siteUrl}${version.locales.en.url ?? `/statements/${STATEMENT}/${version.version}/en/`}`
	};
	const presentation = {
		embed: 'iframe',
		origin: partnerUrl,
		label: `I have read and agreed to ${statement.title}`
	};
	const act = (/** @type {number} */ i) =>
		i % 10 === 0
			? sampleAct({ subject: SUBJECT, presentation })
			: sampleAct({ subject: `customer-${i % 1000}`, statement: published, presentation });

	const browser = await launchBenchBrowser([siteUrl, partnerUrl]);
	const profiles = BENCH_PROFILES;

	/** The widget's frame on a new page of `context`, once its checkbox is usable. */
	async function open(
		/** @type {import('playwright-core').BrowserContext} */ context,
		/** @type {number} */ cpu
	) {
		const tab = await context.newPage();
		const cdp = await context.newCDPSession(tab);
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
		await tab.goto(`${partnerUrl}/assent/`);
		const start = await tab.evaluate(() => performance.timeOrigin);
		await tab.waitForSelector('iframe');
		const frame = /** @type {import('playwright-core').Frame} */ (
			await (await tab.$('iframe'))?.contentFrame()
		);
		await frame
			.waitForFunction(() => /** @type {any} */ (window).usableAt, null, {
				timeout: 60_000,
				polling: 50
			})
			.catch((error) => {
				throw new Error('the widget showed no usable checkbox', { cause: error });
			});
		const ms = (await frame.evaluate(() => /** @type {any} */ (window).usableAt)) - start;
		return { tab, frame, ms };
	}

	const results = [];
	/** Where the widget keeps its records in this browser. */
	let storage = 'frame';
	try {
		for (const profile of profiles) {
			/** @type {Record<'empty' | 'full', import('playwright-core').BrowserContext>} */
			const contexts = {
				empty: await browser.newContext(profile.context),
				full: await browser.newContext(profile.context)
			};
			for (const [kind, context] of Object.entries(contexts)) {
				await context.addInitScript(watchUsable);
				// A first load makes the widget's database (and is a warm-up): in the frame's storage,
				// or in the host page's where the browser refuses the frame storage.
				const { tab, frame } = await open(context, 1);
				const framed = await frame.evaluate(() =>
					indexedDB.databases().then(
						() => true,
						() => false
					)
				);
				storage = framed ? 'frame' : 'host page';
				const holder = framed ? frame : tab;
				const database = framed ? 'assent' : 'assent-relay';
				await holder.waitForFunction(
					async (name) => (await indexedDB.databases()).some((d) => d.name === name),
					database,
					{ timeout: 30_000, polling: 100 }
				);
				if (kind === 'full') await seedChain(holder, { count: records, act, database });
				await tab.close();
			}
			/** @type {{ empty: number[], full: number[] }} */
			const runs = { empty: [], full: [] };
			for (let round = 0; round < rounds; round++) {
				// Alternating order, so neither always runs right after the other.
				/** @type {('empty' | 'full')[]} */
				const order = round % 2 ? ['full', 'empty'] : ['empty', 'full'];
				for (const kind of order) {
					const { tab, ms } = await open(contexts[kind], profile.cpu);
					runs[kind].push(ms);
					await tab.close();
				}
			}
			const row = {
				profile: profile.name,
				records,
				empty: median(runs.empty),
				full: median(runs.full),
				ratio: median(runs.full.map((ms, i) => ms / (runs.empty[i] ?? NaN))),
				extra: median(runs.full.map((ms, i) => ms - (runs.empty[i] ?? NaN))),
				storage
			};
			results.push(row);
			log(
				`bench: widget load, ${profile.name}: ${row.empty.toFixed(0)} ms with no records, ${row.full.toFixed(0)} ms with ${records} in the ${storage}'s storage (${row.ratio.toFixed(2)}×, ${row.extra >= 0 ? '+' : ''}${row.extra.toFixed(0)} ms)`
			);
			await contexts.empty.close();
			await contexts.full.close();
		}
	} finally {
		await browser.close();
		await Promise.all([closeSite(), closePartner()]);
		removeSite();
	}
	return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	for (const r of await widgetHistoryBench()) console.log(JSON.stringify(r));
}
