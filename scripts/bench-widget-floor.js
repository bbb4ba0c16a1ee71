// The iframe widget on a partner page of another site, in Chromium, beside a floor frame and
// vanilla-cookieconsent in the same paired rounds. `node scripts/bench-widget-floor.js` (or
// `npm run bench`, which imports it). Needs Chromium (CHROME_PATH, default /usr/bin/chromium).
//
// It builds the site from the sample content with one more origin allowed to embed accept mode
// (http://shop.test:<port>, as the browser tests do), into a temporary folder, unless
// ASSENT_BENCH_WIDGET_SITE names a folder that holds such a build already (it is made there and
// kept when missing). Pages are served gzip-compressed, as a static host would.
//
// - time: from the partner page's navigation start to a checkbox in the frame that is visible
//   and enabled, desktop and a phone profile (4× CPU throttling), medians of paired rounds;
// - bytes: compressed bodies (headers not counted) of every response that finished before the
//   checkbox was usable, and of every response until one consent was recorded ("Saved in this
//   browser."); ASSENT_BENCH_WIDGET_REQUESTS=1 lists those responses, URL and bytes, per round.
// The floor frame is a static page with the prerendered statement, a checkbox and a raw
// IndexedDB write on confirm; cookieconsent is its ESM bundle and CSS with a consent modal,
// whose "Accept all" button is its usable control and whose cookie is its record.
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { parseDocument } from 'yaml';
import { staticSite } from '../server/static.js';
import { buildSite } from './build-site.js';

const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
export const STATEMENT = 'customer-data-sharing';

/** @param {number[]} values */
export const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2
		? (sorted[mid] ?? NaN)
		: ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** @returns {Promise<number>} */
export const freePort = () =>
	new Promise((done) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
			probe.close(() => done(port));
		});
	});

/**
 * Builds the site (scripts/build-site.js, as `npm run build` does) from a copy of the sample
 * content in which `http://shop.test:<port>` may embed accept mode.
 * @param {string} out @param {number} partnerPort
 */
export function buildBenchSite(out, partnerPort) {
	const content = `${out}-input/content`;
	rmSync(content, { recursive: true, force: true });
	cpSync(resolve('src/content'), content, { recursive: true });
	const siteFile = join(content, 'site.yaml');
	const site = parseDocument(readFileSync(siteFile, 'utf8'));
	site.set('origins', [`http://shop.test:${partnerPort}`]);
	writeFileSync(siteFile, site.toString());
	buildSite({
		out,
		content,
		// SvelteKit's output resolves packages from the project: it is kept inside it.
		env: { ASSENT_KIT_DIR: resolve('node_modules/.cache/assent-bench-widget-kit') },
		quiet: true
	});
	writeFileSync(join(out, '.bench-partner-port'), String(partnerPort));
}

/**
 * The floor: the statement as prerendered HTML, a checkbox, a confirm button and one raw
 * IndexedDB write, in one static page with nothing else to fetch.
 * @param {string} site
 */
export function floorFrame(site) {
	const index = JSON.parse(readFileSync(join(site, 'statements/index.json'), 'utf8'));
	const statement = index.statements.find((/** @type {any} */ s) => s.id === STATEMENT);
	const version =
		statement.versions.find((/** @type {any} */ v) => v.version === statement.inForce) ??
		statement.versions[0];
	const published = version.locales.en;
	const json = JSON.parse(readFileSync(join(site, published.json.replace(/^\//, '')), 'utf8'));
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Consent</title>
<style>body{margin:0;font:1rem/1.5 system-ui,sans-serif}.w{border:1px solid #ccc;border-radius:.5rem;padding:1rem}.t{max-height:16rem;overflow:auto}</style>
</head><body><div class="w"><h2>${statement.title ?? json.title ?? STATEMENT}</h2><div class="t">${json.html}</div>
<label><input type="checkbox" id="agree"> I have read and agreed to the statement</label>
<button id="confirm" disabled>Confirm</button><p id="status" role="status"></p></div>
<script>
const box = document.getElementById('agree'), confirm = document.getElementById('confirm');
box.onchange = () => (confirm.disabled = !box.checked);
const record = { action: 'accept', statement: ${JSON.stringify({ id: STATEMENT, version: version.version, hash: published.hash })} };
const saved = () => (document.getElementById('status').textContent = 'Saved in this browser.');
// Where the browser refuses the frame storage (third-party storage blocked), the host page
// writes the record, as the widget's loader does.
addEventListener('message', (e) => e.data === 'floor:saved' && saved());
confirm.onclick = () => {
  record.at = new Date().toISOString();
  const open = indexedDB.open('floor', 1);
  open.onerror = () => parent.postMessage({ floor: record }, '*');
  open.onupgradeneeded = () => open.result.createObjectStore('records', { autoIncrement: true });
  open.onsuccess = () => {
    const tx = open.result.transaction('records', 'readwrite', { durability: 'strict' });
    tx.objectStore('records').add(record);
    tx.oncomplete = saved;
  };
};
</script></body></html>`;
}

/** @param {string} body @param {string} [head] */
export const partnerPage = (body, head = '') =>
	`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>${head}</head>
<body><h1>Shop</h1><p>Your account</p>${body}<p>Footer</p></body></html>`;

/** The floor frame's host side: one raw strict IndexedDB write of a record the frame sends. */
const FLOOR_HOST = `<script>
addEventListener('message', (e) => {
  if (!e.data || !e.data.floor) return;
  const open = indexedDB.open('floor', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('records', { autoIncrement: true });
  open.onsuccess = () => {
    const tx = open.result.transaction('records', 'readwrite', { durability: 'strict' });
    tx.objectStore('records').add(e.data.floor);
    tx.oncomplete = () => e.source.postMessage('floor:saved', e.origin);
  };
});
</script>`;

const COOKIECONSENT_RUN = `<script type="module">
import * as CookieConsent from '/cc/cookieconsent.esm.js';
CookieConsent.run({
  // The browser is automated: cookieconsent would stay hidden from it, as from a bot.
  hideFromBots: false,
  categories: { necessary: { enabled: true, readOnly: true }, analytics: {} },
  onConsent: () => (window.recorded = true),
  language: { default: 'en', translations: { en: {
    consentModal: { title: 'We use cookies', description: 'Shop shares the order number with partners.', acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all' },
    preferencesModal: { title: 'Preferences', acceptAllBtn: 'Accept all', sections: [] }
  } } }
});
</script>`;

/**
 * Answers with gzip-compressed bodies (text types), as a static host would: the transfer sizes
 * the browser reports are then the compressed ones.
 * @param {import('node:http').ServerResponse} res
 */
function compress(res) {
	/** @type {Buffer[]} */
	const chunks = [];
	/** @type {[number, any] | undefined} */
	let head;
	const writeHead = res.writeHead.bind(res);
	const end = res.end.bind(res);
	// The chunks are collected, then written once compressed.
	const patched = /** @type {any} */ (res);
	patched.writeHead = (/** @type {number} */ status, /** @type {any} */ headers) => {
		head = [status, headers ?? {}];
		return res;
	};
	patched.write = (/** @type {any} */ chunk) => (chunks.push(Buffer.from(chunk)), true);
	patched.end = (/** @type {any} */ chunk) => {
		if (chunk) chunks.push(Buffer.from(chunk));
		const body = Buffer.concat(chunks);
		const [status, headers] = head ?? [res.statusCode, {}];
		for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
		res.removeHeader('Content-Length');
		const type = String(res.getHeader('Content-Type') ?? '');
		if (body.length > 0 && /text|javascript|json|css|svg|xml/.test(type)) {
			const gz = gzipSync(body);
			res.setHeader('Content-Encoding', 'gzip');
			res.setHeader('Content-Length', gz.length);
			writeHead(status);
			return end(gz);
		}
		res.setHeader('Content-Length', body.length);
		writeHead(status);
		return end(body);
	};
}

/**
 * @param {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void} handle
 * @param {number} port
 */
export async function listen(handle, port) {
	const server = createServer((req, res) => {
		compress(res);
		handle(req, res);
	});
	await new Promise((done) => server.listen(port, '127.0.0.1', () => done(undefined)));
	return () => new Promise((done) => server.close(() => done(undefined)));
}

/**
 * Watches, in every frame, for a usable control (a visible, enabled checkbox; cookieconsent's
 * "Accept all" button) and keeps the moment in epoch milliseconds.
 */
export function watchUsable() {
	const w = /** @type {any} */ (window);
	const usable = (/** @type {Element} */ el) =>
		!(/** @type {HTMLInputElement} */ (el).disabled) &&
		el.checkVisibility({ opacityProperty: false, visibilityProperty: true });
	const check = () => {
		if (w.usableAt) return;
		const found = [...document.querySelectorAll('input[type=checkbox], .cm__btn[data-role=all]')];
		if (found.some(usable)) w.usableAt = performance.timeOrigin + performance.now();
		// Styles can show a control without a change to the DOM: look again each frame.
		else requestAnimationFrame(check);
	};
	requestAnimationFrame(check);
	new MutationObserver(check).observe(document, {
		subtree: true,
		childList: true,
		attributes: true,
		attributeFilter: ['disabled', 'class', 'style', 'hidden']
	});
}

/**
 * The site the widget rows measure: built from the sample content with the partner page's
 * origin allowed to embed (into ASSENT_BENCH_WIDGET_SITE when set, reused when it holds such a
 * build; else a temporary folder), and the addresses it and the partner page are served at.
 * @param {{ log: (line: string) => void }} options
 */
export async function benchSite({ log }) {
	const keep = process.env.ASSENT_BENCH_WIDGET_SITE;
	const site = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'assent-bench-widget-'));
	const portFile = join(site, '.bench-partner-port');
	const partnerPort = existsSync(portFile)
		? Number(readFileSync(portFile, 'utf8'))
		: await freePort();
	if (!existsSync(portFile)) {
		log('bench: building the site for the widget rows…');
		mkdirSync(site, { recursive: true });
		buildBenchSite(site, partnerPort);
	}
	const sitePort = await freePort();
	return {
		site,
		sitePort,
		partnerPort,
		siteUrl: `http://statements.test:${sitePort}`,
		partnerUrl: `http://shop.test:${partnerPort}`,
		/** Removes a temporary build; a kept one (ASSENT_BENCH_WIDGET_SITE) stays. */
		removeSite: () => {
			if (keep) return;
			for (const dir of [site, `${site}-input`]) rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** The desktop and phone (4× CPU throttling) profiles every widget row is measured on. */
export const BENCH_PROFILES = [
	{ name: 'desktop', cpu: 1, context: { viewport: { width: 1280, height: 800 } } },
	{
		name: 'phone',
		cpu: 4,
		context: {
			viewport: { width: 390, height: 844 },
			deviceScaleFactor: 3,
			isMobile: true,
			hasTouch: true
		}
	}
];

/**
 * Headless Chromium for the widget rows: `*.test` names resolve to this machine, and the given
 * origins count as secure (WebCrypto, IndexedDB) though served over plain HTTP.
 * @param {string[]} secureOrigins
 */
export function launchBenchBrowser(secureOrigins) {
	return chromium.launch({
		executablePath: CHROME,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-dev-shm-usage',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--host-resolver-rules=MAP *.test 127.0.0.1',
			`--unsafely-treat-insecure-origin-as-secure=${secureOrigins.join(',')}`
		]
	});
}

/**
 * @param {{ rounds?: number, log?: (line: string) => void }} [options]
 * @returns {Promise<{ profile: string, variant: string, ms: number, ratioToFloor: number, ratioToPeer: number, usableBytes: number, usableRequests: number, recordBytes: number, recordRequests: number }[]>}
 */
export async function widgetFloorBench(options = {}) {
	// Medians of 7 rounds swung by ±0.2 of the ratio between runs on a 2-core machine, of 11 by
	// ±0.1 (desktop 1.22–1.33×, phone 0.94–1.33×); of 21 by a few hundredths: 21 rounds.
	const rounds = options.rounds ?? Number(process.env.ASSENT_BENCH_WIDGET_ROUNDS ?? 21);
	const log = options.log ?? ((line) => console.error(line));
	const { site, sitePort, partnerPort, siteUrl, partnerUrl, removeSite } = await benchSite({
		log
	});
	const floor = floorFrame(site);
	const statics = staticSite({ dir: site });
	const closeSite = await listen((req, res) => {
		const path = new URL(req.url ?? '/', 'http://bench').pathname;
		if (path === '/bench/floor/') {
			res.writeHead(200, {
				'Content-Type': 'text/html; charset=utf-8',
				'Cache-Control': 'no-cache'
			});
			return res.end(floor);
		}
		statics(req, res, () => {
			res.writeHead(404, { 'Content-Type': 'text/plain' });
			res.end('Not found');
		});
	}, sitePort);
	const cc = resolve('node_modules/vanilla-cookieconsent/dist');
	/** @type {Record<string, string>} */
	const pages = {
		'/assent/': partnerPage(
			`<assent-consent statement="${STATEMENT}" subject="shopper-1" mode="accept"></assent-consent>`,
			`<script type="module" src="${siteUrl}/widget/assent.js"></script>`
		),
		'/floor/': partnerPage(
			`<iframe src="${siteUrl}/bench/floor/" title="Consent" style="border:0;width:100%;height:28rem"></iframe>`,
			FLOOR_HOST
		),
		'/cookieconsent/': partnerPage(
			'',
			`<link rel="stylesheet" href="/cc/cookieconsent.css">${COOKIECONSENT_RUN}`
		)
	};
	const closePartner = await listen((req, res) => {
		const path = new URL(req.url ?? '/', 'http://bench').pathname;
		const page = pages[path];
		if (page) {
			res.writeHead(200, {
				'Content-Type': 'text/html; charset=utf-8',
				'Cache-Control': 'no-cache'
			});
			return res.end(page);
		}
		const file = path.startsWith('/cc/') ? join(cc, path.slice(4)) : '';
		if (file && existsSync(file)) {
			res.writeHead(200, {
				'Content-Type': file.endsWith('.css') ? 'text/css' : 'text/javascript',
				'Cache-Control': 'no-cache'
			});
			return res.end(readFileSync(file));
		}
		res.writeHead(404, { 'Content-Type': 'text/plain' });
		res.end('Not found');
	}, partnerPort);

	const browser = await launchBenchBrowser([siteUrl, partnerUrl]);
	const profiles = BENCH_PROFILES;
	const variants = ['assent', 'floor', 'cookieconsent'];

	/** @param {(typeof profiles)[number]} profile @param {string} variant */
	async function once(profile, variant) {
		const context = await browser.newContext(profile.context);
		await context.addInitScript(watchUsable);
		const page = await context.newPage();
		const cdp = await context.newCDPSession(page);
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
		/** @type {{ end: number, bytes: number, url: string }[]} */
		const done = [];
		const finished = async (/** @type {import('playwright-core').Request} */ request) => {
			const timing = request.timing();
			const sizes = await request.sizes().catch(() => undefined);
			if (!sizes) return;
			done.push({
				end: timing.startTime + Math.max(timing.responseEnd, 0),
				bytes: sizes.responseBodySize,
				url: request.url()
			});
		};
		page.on('requestfinished', (request) => void finished(request));
		await page.goto(`${partnerUrl}/${variant}/`);
		const start = await page.evaluate(() => performance.timeOrigin);
		const frame =
			variant === 'cookieconsent'
				? page.mainFrame()
				: await (async () => {
						await page.waitForSelector('iframe');
						return /** @type {import('playwright-core').Frame} */ (
							await (await page.$('iframe'))?.contentFrame()
						);
					})();
		await frame
			.waitForFunction(() => /** @type {any} */ (window).usableAt, null, {
				timeout: 30_000,
				polling: 50
			})
			.catch((error) => {
				throw new Error(`${variant} (${profile.name}) showed no usable control`, { cause: error });
			});
		const usableAt = await frame.evaluate(() => /** @type {any} */ (window).usableAt);
		const ms = usableAt - start;
		// Record one consent: tick and confirm in the frames, accept all for cookieconsent.
		if (variant === 'cookieconsent') {
			await page.locator('.cm__btn[data-role=all]').click();
			await page.waitForFunction(() => /** @type {any} */ (window).recorded);
		} else {
			// Chromium drops clicks on a frame that moved within 500 ms (IntersectionObserver v2).
			await frame.waitForTimeout(600);
			await frame.getByRole('checkbox').check();
			await frame.getByRole('button', { name: 'Confirm' }).click();
			await frame
				.getByText('Saved in this browser.')
				.waitFor()
				.catch(async (error) => {
					const status = await frame.locator('[role=status], [role=alert]').allTextContents();
					throw new Error(`${variant} did not record a consent: ${status.join(' / ')}`, {
						cause: error
					});
				});
		}
		await page.waitForTimeout(200);
		const recordedAt = Date.now();
		const before = done.filter((d) => d.end <= usableAt);
		const until = done.filter((d) => d.end <= recordedAt);
		const sum = (/** @type {{ bytes: number }[]} */ list) => list.reduce((s, d) => s + d.bytes, 0);
		if (process.env.ASSENT_BENCH_WIDGET_REQUESTS) {
			log(`bench: ${variant} (${profile.name}) responses, compressed bytes, * = before usable:`);
			for (const d of [...until].sort((a, b) => a.end - b.end)) {
				const mark = d.end <= usableAt ? '*' : ' ';
				log(`  ${mark} ${String(d.bytes).padStart(7)}  ${d.url}`);
			}
		}
		await context.close();
		return {
			ms,
			usableBytes: sum(before),
			usableRequests: before.length,
			recordBytes: sum(until),
			recordRequests: until.length
		};
	}

	const results = [];
	try {
		for (const profile of profiles) {
			// A warm-up round, not counted: the first context of a browser pays for its start.
			for (const variant of variants) await once(profile, variant);
			/** @type {Record<string, Awaited<ReturnType<typeof once>>[]>} */
			const runs = { assent: [], floor: [], cookieconsent: [] };
			for (let round = 0; round < rounds; round++) {
				// Alternating order, so no variant always runs right after another.
				const order = round % 2 ? [...variants].reverse() : variants;
				for (const variant of order) runs[variant]?.push(await once(profile, variant));
			}
			for (const variant of variants) {
				const mine = runs[variant] ?? [];
				const paired = (/** @type {string} */ other) =>
					median(mine.map((r, i) => r.ms / (runs[other]?.[i]?.ms ?? NaN)));
				results.push({
					profile: profile.name,
					variant,
					ms: median(mine.map((r) => r.ms)),
					ratioToFloor: paired('floor'),
					ratioToPeer: paired('cookieconsent'),
					usableBytes: median(mine.map((r) => r.usableBytes)),
					usableRequests: median(mine.map((r) => r.usableRequests)),
					recordBytes: median(mine.map((r) => r.recordBytes)),
					recordRequests: median(mine.map((r) => r.recordRequests))
				});
				log(
					`bench: widget ${profile.name} ${variant}: ${median(mine.map((r) => r.ms)).toFixed(0)} ms`
				);
			}
		}
	} finally {
		await browser.close();
		await Promise.all([closeSite(), closePartner()]);
		removeSite();
	}
	return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	for (const r of await widgetFloorBench()) console.log(JSON.stringify(r));
}
