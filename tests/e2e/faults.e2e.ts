/**
 * Randomized fault schedules in Chromium: the built widget on a partner page, the reference
 * receiver (PGlite) behind a fault-injecting front (tests/e2e/fault-proxy.ts), and a schedule of
 * acceptances, reloads, closed tabs and a second tab, while the front loses answers after the
 * commit, resets connections, answers 500/502/503, 429 with Retry-After, a captive portal's
 * `200 text/html`, or nothing until the widget's request times out.
 *
 * After each schedule the faults stop and the widget is asked to sync until nothing is pending;
 * then every record a tab reported saved is stored exactly once at the receiver with its digest,
 * nothing refused or still pending is marked synced, everything marked synced is stored, nothing
 * is stored that the browser did not make, and the chain in the browser's IndexedDB verifies.
 *
 * `ASSENT_E2E_FAULT_RUNS=N` runs more schedules (`npm run test:faults -- --browser --runs N`);
 * a failure prints its seed and path: `ASSENT_E2E_FAULT_SEED=… ASSENT_E2E_FAULT_PATH=…` replays it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createReceiver, openDatabase } from '../../receiver/index.js';
import type { Database, Receiver } from '../../receiver/types.js';
import { verifyChain } from '../../src/lib/core/chain';
import type { AcceptanceRecord } from '../../src/lib/core/record';
import { chromeArgs, chromePath, launchBrowser, tickIn, widgetFrame } from './browser';
import { faultProxy, PROXY_FAULTS, type FaultProxy, type ProxyFault } from './fault-proxy';
import { listen, serveSite, type RunningServer } from './server';

const RUNS = Number(process.env.ASSENT_E2E_FAULT_RUNS || 100);
const SEED = process.env.ASSENT_E2E_FAULT_SEED
	? Number(process.env.ASSENT_E2E_FAULT_SEED)
	: undefined;
const PATH = process.env.ASSENT_E2E_FAULT_PATH || undefined;
/** Longer than the HTTP adapter's request timeout (src/lib/sync/http.ts, 30 s). */
const PAST_TIMEOUT_MS = 31_000;
/** Chromium killed right after "Saved": `scripts/sigkill.js` runs more. */
const KILLS = Number(process.env.ASSENT_E2E_KILL_RUNS || 3);

type Action =
	| { kind: 'accept'; tab: number }
	/** Confirms, then closes the tab at once, while the record may still be on its way. */
	| { kind: 'accept-close'; tab: number }
	/** Confirms, then reloads at once. */
	| { kind: 'accept-reload'; tab: number }
	| { kind: 'reload'; tab: number }
	| { kind: 'close'; tab: number };

interface Schedule {
	tabs: number;
	actions: Action[];
	faults: ProxyFault[];
}

const actionArb = (tabs: number, kinds: Action['kind'][]) =>
	fc.record({ kind: fc.constantFrom(...kinds), tab: fc.integer({ min: 0, max: tabs - 1 }) });

/** Every schedule makes a record first; then at most one more action of any kind. */
const scheduleArb: fc.Arbitrary<Schedule> = fc.integer({ min: 1, max: 2 }).chain((tabs) =>
	fc.record({
		tabs: fc.constant(tabs),
		actions: fc
			.tuple(
				actionArb(tabs, ['accept', 'accept-close', 'accept-reload']),
				fc.array(actionArb(tabs, ['accept', 'accept-close', 'accept-reload', 'reload', 'close']), {
					maxLength: 1
				})
			)
			.map(([first, rest]) => [first, ...rest]),
		faults: fc.array(fc.constantFrom(...PROXY_FAULTS), { maxLength: 4 })
	})
);

let browser: Browser;
let site: RunningServer;
let partner: RunningServer;
let proxy: FaultProxy;
let database: Database;
let receiver: Receiver;
let figures = { schedules: 0, made: 0, saved: 0, stored: 0, posts: 0, faults: 0 };

const siteUrl = () => `http://statements.test:${site.port}`;
const partnerUrl = () => `http://partner.test:${partner.port}`;

function partnerPage(subject: string): string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title>
<script type="module" src="${siteUrl()}/widget/assent.js"></script></head><body>
<h1>Partner shop</h1>
<assent-consent statement="customer-data-sharing" subject="${subject}" mode="accept" embed="iframe"
  sync-url="http://127.0.0.1:${proxy.port}${receiver.path}"></assent-consent>
<script type="module">
  document.addEventListener('assent:accept', (e) => {
    window.saved = e.detail.record;
    window.reportSaved?.(e.detail.record);
  });
</script></body></html>`;
}

beforeAll(async () => {
	site = await serveSite(inject('siteDir'));
	database = await openDatabase({ log: () => {} });
	receiver = createReceiver({
		database,
		site: inject('siteDir'),
		origins: [`http://statements.test:${site.port}`],
		subjects: 'unverified',
		log: () => {}
	});
	await receiver.ready;
	proxy = await faultProxy({ receiver, origin: siteUrl });
	partner = await listen(
		(req, res) => {
			const subject = new URL(req.url ?? '/', 'http://partner').searchParams.get('subject');
			res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
			res.end(partnerPage(subject ?? 'nobody'));
		},
		{ port: inject('partnerPort') }
	);
	browser = await launchBrowser({
		args: [
			'--host-resolver-rules=MAP *.test 127.0.0.1',
			`--unsafely-treat-insecure-origin-as-secure=${siteUrl()},${partnerUrl()}`
		]
	});
});

afterAll(async () => {
	await browser?.close();
	await Promise.all([site?.close(), partner?.close(), proxy?.close()]);
	await receiver?.close();
	await database?.close();
});

const frameOf = (page: Page): Promise<Frame> => widgetFrame(page);

async function confirm(page: Page): Promise<Frame> {
	const frame = await frameOf(page);
	await tickIn(page, frame);
	await frame.getByRole('button', { name: 'Confirm' }).click();
	return frame;
}

interface Held {
	records: AcceptanceRecord[];
	outbox: { id: string; state: string }[];
}

/**
 * What the browser holds, read with its own IndexedDB API: in the frame's database, or, where
 * this Chromium refuses storage to a cross-site frame, in the partner page's relay database.
 */
async function stored(page: Page): Promise<Held> {
	const read = (target: Page | Frame, name: string) =>
		target.evaluate(
			(name) =>
				new Promise<Held>((resolve, reject) => {
					const none = { records: [], outbox: [] };
					// Opening a database that is not there would create it empty: look first.
					indexedDB.databases().then((list) => {
						if (!list.some((d) => d.name === name)) return resolve(none);
						const open = indexedDB.open(name);
						open.onerror = () => reject(open.error);
						open.onsuccess = () => {
							const db = open.result;
							const tx = db.transaction(['records', 'outbox'], 'readonly');
							const records = tx.objectStore('records').getAll();
							const outbox = tx.objectStore('outbox').getAll();
							tx.oncomplete = () => {
								db.close();
								resolve({ records: records.result, outbox: outbox.result });
							};
							tx.onerror = () => reject(tx.error);
						};
					}, reject);
				}),
			name
		);
	const inFrame = await read(await frameOf(page), 'assent').catch((error: Error) => {
		if (/denied permission/.test(error.message)) return { records: [], outbox: [] };
		throw error;
	});
	const inPage = await read(page, 'assent-relay');
	return {
		records: [...inFrame.records, ...inPage.records],
		outbox: [...inFrame.outbox, ...inPage.outbox]
	};
}

/** Asks a page's widget to push now; a push held by the network answers later, so no waiting. */
async function syncNow(page: Page): Promise<void> {
	await page
		.evaluate(() =>
			Promise.race([
				(document.querySelector('assent-consent') as unknown as { sync(): Promise<unknown> })
					.sync()
					.catch(() => undefined),
				new Promise((resolve) => setTimeout(resolve, 1000))
			])
		)
		.catch(() => undefined);
}

async function runSchedule(schedule: Schedule, run: number): Promise<void> {
	const prefix = `f${run}-${Math.random().toString(36).slice(2, 8)}`;
	let subjects = 0;
	const saved = new Map<string, AcceptanceRecord>();
	const context: BrowserContext = await browser.newContext();
	try {
		// A timed-out request needs the widget's clock to pass its timeout: the page's clock is
		// moved forward instead of waiting 30 s.
		if (schedule.faults.includes('timeout')) await context.clock.install();
		await context.exposeBinding('reportSaved', (_source, record: AcceptanceRecord) => {
			saved.set(record.id, record);
		});
		proxy.faults = [...schedule.faults];
		proxy.posts = [];
		const tabs: (Page | undefined)[] = Array.from({ length: schedule.tabs }, () => undefined);
		const open = async (tab: number) => {
			const page = tabs[tab] ?? (tabs[tab] = await context.newPage());
			await page.goto(`${partnerUrl()}/?subject=${prefix}-${++subjects}`);
			return page;
		};
		for (const action of schedule.actions) {
			const current = tabs[action.tab];
			switch (action.kind) {
				case 'accept': {
					const frame = await confirm(await open(action.tab));
					// "Saved in this browser.", or already "Saved and received by the service."
					await frame.waitForFunction(() => /\bSaved\b/.test(document.body.innerText));
					break;
				}
				case 'accept-close': {
					await confirm(await open(action.tab));
					await tabs[action.tab]!.close();
					tabs[action.tab] = undefined;
					break;
				}
				case 'accept-reload': {
					const page = await open(action.tab);
					await confirm(page);
					await page.reload();
					break;
				}
				case 'reload':
					if (current) await current.reload();
					else await open(action.tab);
					break;
				case 'close':
					await current?.close();
					tabs[action.tab] = undefined;
					break;
			}
		}

		// The network recovers once the faults drawn are used up; the widget syncs until done.
		if (!tabs.some(Boolean)) await open(0);
		const pages = () => tabs.filter((p): p is Page => p !== undefined);
		const end = Date.now() + 40_000;
		let held: Held;
		for (;;) {
			if (proxy.held > 0) await context.clock.fastForward(PAST_TIMEOUT_MS);
			held = await stored(pages()[0]!);
			if (held.outbox.every((e) => e.state !== 'pending') && proxy.held === 0) break;
			await Promise.all(pages().map(syncNow));
			if (Date.now() > end) {
				throw new Error(
					`Still pending after 40 s: ${JSON.stringify(held.outbox)}; posts ${JSON.stringify(proxy.posts)}`
				);
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}

		const rows = (
			await database.query(
				'select id, record from assent_records where subject like $1 order by id',
				[`${prefix}-%`]
			)
		).rows.map((r) => ({
			id: r.id as string,
			record: (typeof r.record === 'string' ? JSON.parse(r.record) : r.record) as AcceptanceRecord
		}));
		const atReceiver = new Map(rows.map((r) => [r.id, r.record]));
		// Stored exactly once each.
		expect(atReceiver.size).toBe(rows.length);
		// Every record a tab reported saved is stored, with the digest the browser made.
		for (const [id, record] of saved) {
			expect(atReceiver.get(id)?.digest, `saved record ${id} at the receiver`).toBe(record.digest);
		}
		const records = held.records;
		const browserIds = new Set(records.map((r) => r.id));
		// Nothing stored that this browser did not make; nothing it made is missing.
		expect([...atReceiver.keys()].filter((id) => !browserIds.has(id))).toEqual([]);
		for (const entry of held.outbox) {
			// With no refusal drawn, every record ends synced; none refused, none still pending.
			expect(entry, 'outbox entry').toMatchObject({ state: 'synced' });
			expect(atReceiver.has(entry.id), `synced record ${entry.id} at the receiver`).toBe(true);
		}
		expect(held.outbox.map((e) => e.id).sort()).toEqual([...browserIds].sort());
		const sorted = [...records].sort((a, b) => a.seq - b.seq);
		await expect(verifyChain({ records: sorted })).resolves.toEqual({
			ok: true,
			count: records.length
		});
		figures.schedules++;
		figures.made += records.length;
		figures.saved += saved.size;
		figures.stored += rows.length;
		figures.posts += proxy.posts.length;
		figures.faults += proxy.posts.filter((p) => p.fault !== 'none').length;
	} finally {
		proxy.faults = [];
		await context.close();
	}
}

describe('sync in Chromium under randomized network faults', () => {
	it(
		`keeps every saved record, once, through ${RUNS} fault schedules`,
		async () => {
			figures = { schedules: 0, made: 0, saved: 0, stored: 0, posts: 0, faults: 0 };
			let run = 0;
			await fc.assert(
				fc.asyncProperty(scheduleArb, (schedule) => runSchedule(schedule, ++run)),
				{
					numRuns: RUNS,
					// Shrinking reloads a browser per step: the seed and path replay a failure instead.
					endOnFailure: true,
					...(SEED !== undefined ? { seed: SEED } : {}),
					...(PATH !== undefined ? { path: PATH } : {})
				}
			);
			console.log(
				`browser fault schedules: ${figures.schedules}, records made ${figures.made} (${figures.saved} reported saved before the tab went away), stored ${figures.stored}, POSTs ${figures.posts} (${figures.faults} with a fault), lost 0, duplicated 0`
			);
		},
		Math.max(600_000, RUNS * 20_000)
	);
});

/**
 * Chromium on a profile of its own, started as a user would (no automation pipe), reached over
 * the DevTools protocol: a process this test can kill as the system would.
 */
async function startChromium(profile: string) {
	const process_: ChildProcess = spawn(
		chromePath,
		[
			...chromeArgs,
			'--headless=new',
			`--user-data-dir=${profile}`,
			'--remote-debugging-port=0',
			'--host-resolver-rules=MAP *.test 127.0.0.1',
			`--unsafely-treat-insecure-origin-as-secure=${siteUrl()},${partnerUrl()}`,
			'about:blank'
		],
		// Its own process group, so the kill takes the renderers with it.
		{ detached: true, stdio: ['ignore', 'ignore', 'pipe'] }
	);
	const endpoint = await new Promise<string>((resolve, reject) => {
		let text = '';
		const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${text}`)), 30_000);
		process_.stderr!.on('data', (chunk: Buffer) => {
			text += chunk.toString();
			const found = /DevTools listening on (ws:\/\/\S+)/.exec(text);
			if (found) {
				clearTimeout(timer);
				resolve(found[1]!);
			}
		});
		process_.once('exit', () => reject(new Error(`Chromium exited:\n${text}`)));
	});
	const cdp = await chromium.connectOverCDP(endpoint);
	return {
		context: cdp.contexts()[0]!,
		/** SIGKILL to the browser and every process it started: no shutdown, no flush. */
		async kill() {
			const exited = new Promise((resolve) => process_.once('exit', resolve));
			process.kill(-process_.pid!, 'SIGKILL');
			await exited;
		},
		async close() {
			await cdp.close().catch(() => undefined);
			if (process_.exitCode === null && process_.signalCode === null) {
				const exited = new Promise((resolve) => process_.once('exit', resolve));
				process.kill(-process_.pid!, 'SIGTERM');
				await exited;
			}
		}
	};
}

describe('Chromium killed right after "Saved"', () => {
	it(
		`keeps the record on the profile and delivers it once after a restart (${KILLS} times)`,
		async () => {
			for (let run = 1; run <= KILLS; run++) {
				const profile = mkdtempSync(join(tmpdir(), 'assent-kill-'));
				const subject = `kill-${run}-${Math.random().toString(36).slice(2, 8)}`;
				let chrome = await startChromium(profile);
				try {
					// The receiver cannot be reached, or its answer never comes (the request then
					// reaches it late, after the kill): either way the browser has no answer.
					proxy.faults = Array.from({ length: 50 }, () => (run % 2 ? 'reset' : 'timeout'));
					proxy.posts = [];
					const page = await chrome.context.newPage();
					await page.goto(`${partnerUrl()}/?subject=${subject}`);
					const frame = await confirm(page);
					await frame.waitForFunction(() => /\bSaved\b/.test(document.body.innerText));
					await chrome.kill();

					proxy.faults = [];
					chrome = await startChromium(profile);
					const again = await chrome.context.newPage();
					await again.goto(`${partnerUrl()}/?subject=${subject}`);
					let held: Held;
					const end = Date.now() + 30_000;
					for (;;) {
						held = await stored(again);
						if (held.outbox.length > 0 && held.outbox.every((e) => e.state === 'synced')) break;
						if (Date.now() > end) throw new Error(`Not delivered: ${JSON.stringify(held.outbox)}`);
						await syncNow(again);
						await new Promise((resolve) => setTimeout(resolve, 200));
					}
					const mine = held.records.filter((r) => r.subject === subject);
					expect(mine, 'the record, kept on the profile').toHaveLength(1);
					const rows = (
						await database.query('select id, record from assent_records where subject = $1', [
							subject
						])
					).rows;
					expect(rows, 'stored once at the receiver').toHaveLength(1);
					const record = (
						typeof rows[0]!.record === 'string' ? JSON.parse(rows[0]!.record) : rows[0]!.record
					) as AcceptanceRecord;
					expect(record).toMatchObject({ id: mine[0]!.id, digest: mine[0]!.digest });
				} finally {
					proxy.faults = [];
					await chrome.close();
					rmSync(profile, { recursive: true, force: true });
				}
			}
		},
		Math.max(120_000, KILLS * 40_000)
	);
});
