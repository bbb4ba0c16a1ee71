/**
 * The records page in Chromium: records made through the widget by clicks, listed live in every
 * open tab of the site, exported as a file that validates and verifies, and a record changed
 * in storage shown as a broken chain. The shop page embedding the widget is served from the
 * site's own origin, so the widget's frame and the records page share the site's storage.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import schema from '../../static/schemas/record.json';
import { verifyChain } from '../../src/lib/core/chain';
import type { AcceptanceRecord, Act } from '../../src/lib/core/record';
import { sampleAct } from '../../src/lib/core/record-fixtures';
import { createReceiver, openDatabase } from '../../receiver/index.js';
import type { Database } from '../../receiver/types.js';
import { staticSite } from '../../server/static.js';
import { readStoredRecords, seedRecords } from '../fixtures/stored-records';
import { launchBrowser, untilClickable } from './browser';
import { listen, type RunningServer } from './server';

const REFUSED_REASON = 'Subject unknown to the partner.';
const RECEIVED_AT = '2026-11-24T12:00:05.000Z';
/**
 * The widget's status once a record is stored: "Saved in this browser.", or, once the service
 * acknowledged it (which can come before the first look), "Saved and received by the service.",
 * which the status line writes after a space.
 */
const SAVED = /^\s*Saved/;

let browser: Browser;
let server: RunningServer;
let database: Database;
let signed: ReturnType<typeof createReceiver>;
let context: BrowserContext;
const errors: string[] = [];

/**
 * A shop page embedding the widget, on the site's origin, syncing to the receiver below (or to
 * `syncUrl`; with an empty one, to nothing).
 */
function shopPage(subject: string, syncUrl = '/acceptances'): string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,">
<script type="module" src="/widget/assent.js"></script></head><body>
<h1>Shop</h1>
<assent-consent statement="customer-data-sharing" subject="${subject}" mode="accept"
  ${syncUrl ? `sync-url="${syncUrl}"` : ''}></assent-consent>
</body></html>`;
}

/** A receiver that accepts every record except those of subjects named `refused-…`. */
async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const { records } = JSON.parse(Buffer.concat(chunks).toString()) as {
		records: { id: string; subject: string }[];
	};
	const refused = records.filter((r) => r.subject.startsWith('refused-'));
	res.writeHead(200, { 'Content-Type': 'application/json' });
	res.end(
		JSON.stringify({
			accepted: records
				.filter((r) => !refused.includes(r))
				.map((r) => ({ id: r.id, receivedAt: RECEIVED_AT })),
			rejected: refused.map((r) => ({ id: r.id, reason: REFUSED_REASON, retryable: false }))
		})
	);
}

function watch(page: Page): Page {
	page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
	});
	return page;
}

async function openRecords(): Promise<Page> {
	const page = watch(await context.newPage());
	const response = await page.goto(`${server.url}/records/`);
	expect(response?.status()).toBe(200);
	return page;
}

/**
 * Accepts the statement in the widget on a shop page, as a customer would. The page stays open:
 * its widget sends the record to the receiver.
 */
async function acceptAs(subject: string): Promise<Page> {
	const page = watch(await context.newPage());
	await page.goto(`${server.url}/shop/?subject=${encodeURIComponent(subject)}`);
	await page.waitForSelector('assent-consent iframe');
	const frame = (await (await page.$('assent-consent iframe'))!.contentFrame())!;
	await frame.locator('[part=widget]').waitFor();
	await untilClickable(frame);
	await frame.getByRole('checkbox').check();
	await frame.getByRole('button', { name: 'Confirm' }).click();
	await frame.getByText(SAVED).waitFor();
	return page;
}

const rows = (page: Page) => page.locator('table.records tbody tr');
const chain = (page: Page) => page.getByTestId('chain-status');

/** Waits until the page lists `count` records. */
async function listing(page: Page, count: number): Promise<void> {
	await page.waitForFunction(
		(n) => document.querySelectorAll('table.records tbody tr').length === n,
		count,
		{ timeout: 15_000 }
	);
}

/** Waits until an element's text matches, for text that arrives asynchronously. */
async function textOf(page: Page, testId: string, pattern: RegExp): Promise<string> {
	const locator = page.getByTestId(testId);
	await expect
		.poll(async () => (await locator.textContent())?.trim() ?? '', { timeout: 15_000 })
		.toMatch(pattern);
	return (await locator.textContent())!.trim();
}

beforeAll(async () => {
	const site = staticSite({ dir: inject('siteDir') });
	server = await listen((req, res) => {
		const url = new URL(req.url ?? '/', 'http://site');
		if (url.pathname === '/shop/') {
			res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
			return res.end(
				shopPage(
					url.searchParams.get('subject') ?? 'customer-1',
					url.searchParams.get('sync') ?? undefined
				)
			);
		}
		if (url.pathname.startsWith('/signed/')) return signed.handle(req, res);
		if (url.pathname === '/acceptances' && req.method === 'POST') return void receive(req, res);
		site(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	});
	// The reference receiver, which signs a receipt for every record it stores.
	database = await openDatabase({ log: () => {} });
	signed = createReceiver({
		database,
		site: inject('siteDir'),
		path: '/signed/acceptances',
		origins: [server.url],
		// The widget sends no subject token here: records are accepted, marked unverified.
		subjects: 'unverified',
		log: () => {}
	});
	await signed.ready;
	browser = await launchBrowser();
	context = await browser.newContext({ acceptDownloads: true });
});

afterAll(async () => {
	await browser?.close();
	await server?.close();
	await signed?.close();
	await database?.close();
});

describe('the records page', () => {
	let first: Page;
	let second: Page;

	it('says the browser holds no records yet, and whether storage is kept', async () => {
		first = await openRecords();
		await first.getByTestId('records-empty').waitFor();
		await expect(first.getByTestId('records-empty').textContent()).resolves.toMatch(
			/^No records in this browser yet/
		);
		await textOf(first, 'persistence', /^Persistent storage (granted|not granted|is not offered)/);
		await expect(
			first.locator('nav[aria-label="Site"] a[href="/records/"]').textContent()
		).resolves.toBe('My records');
	});

	it('shows records made in another tab in every open records tab, without reload', async () => {
		second = await openRecords();
		await second.getByTestId('records-empty').waitFor();
		const shops = [await acceptAs('alice')];
		await Promise.all([listing(first, 1), listing(second, 1)]);
		shops.push(await acceptAs('refused-bob'));
		await Promise.all([listing(first, 2), listing(second, 2)]);
		for (const page of [first, second]) {
			const subjects = await page.locator('table.records tbody td.subject').allTextContents();
			expect(subjects).toEqual(['refused-bob', 'alice']);
			await textOf(page, 'records-count', /^2 records in this browser\.$/);
			await textOf(page, 'chain-status', /^Chain intact: 2 records verified$/);
		}
		// The receiver's answers reach the open page too: synced with its time, or refused.
		const alice = rows(first).filter({ hasText: 'alice' }).locator('td.sync');
		const bob = rows(first).filter({ hasText: 'refused-bob' }).locator('td.sync');
		await expect.poll(() => alice.getAttribute('data-state'), { timeout: 15_000 }).toBe('synced');
		await expect(alice.locator('time').getAttribute('datetime')).resolves.toBe(RECEIVED_AT);
		await expect.poll(() => bob.getAttribute('data-state'), { timeout: 15_000 }).toBe('rejected');
		await expect(bob.textContent()).resolves.toContain(REFUSED_REASON);
		await Promise.all(shops.map((shop) => shop.close()));
		const statement = rows(first).first().getByRole('link');
		await expect(statement.getAttribute('href')).resolves.toMatch(
			/^\/statements\/customer-data-sharing\/[\d.]+\/en\/$/
		);
	});

	it('keeps the records across a reload and filters them', async () => {
		await first.reload();
		await listing(first, 2);
		await textOf(first, 'chain-status', /^Chain intact: 2 records verified$/);
		await first.getByLabel('Subject').selectOption('alice');
		await listing(first, 1);
		await expect(rows(first).locator('td.subject').textContent()).resolves.toBe('alice');
		await first.getByRole('button', { name: 'Clear filters' }).click();
		await listing(first, 2);
	});

	it('exports a file whose records validate against the schema and whose chain verifies', async () => {
		const [download] = await Promise.all([
			first.waitForEvent('download'),
			first.getByRole('button', { name: 'Export records' }).click()
		]);
		expect(download.suggestedFilename()).toMatch(/^assent-records-\d{4}-\d{2}-\d{2}\.json$/);
		const file = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
			format: string;
			origin: string;
			records: { id: string; seq: number; subject: string }[];
			sync: Record<string, { state: string; reason?: string }>;
		};
		expect(file.format).toBe('assent.records-export/1');
		expect(file.origin).toBe(server.url);
		expect(file.records.map((r) => [r.seq, r.subject])).toEqual([
			[1, 'alice'],
			[2, 'refused-bob']
		]);
		const validate = new Ajv2020({ strict: true, validateFormats: false }).compile(schema);
		for (const record of file.records) {
			expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
		}
		await expect(verifyChain({ records: file.records })).resolves.toEqual({ ok: true, count: 2 });
		expect(file.sync[file.records[0]!.id]).toMatchObject({ state: 'synced' });
		expect(file.sync[file.records[1]!.id]).toMatchObject({
			state: 'rejected',
			reason: REFUSED_REASON
		});
	});

	it('shows the chain broken at a record whose subject was changed in storage', async () => {
		await first.evaluate(
			() =>
				new Promise<void>((resolve, reject) => {
					const opening = indexedDB.open('assent');
					opening.onerror = () => reject(opening.error);
					opening.onsuccess = () => {
						const db = opening.result;
						const tx = db.transaction('records', 'readwrite');
						const store = tx.objectStore('records');
						const cursor = store.openCursor();
						cursor.onsuccess = () => {
							const at = cursor.result;
							if (!at) return;
							const record = at.value as { seq: number; subject: string };
							if (record.seq === 1) at.update({ ...record, subject: 'mallory' });
							at.continue();
						};
						tx.oncomplete = () => {
							db.close();
							resolve();
						};
						tx.onerror = () => reject(tx.error);
					};
				})
		);
		await first.reload();
		const status = await textOf(first, 'chain-status', /^Chain broken/);
		expect(status).toMatch(
			/^Chain broken at record #1: its content does not match its digest, so it was changed after it was written\./
		);
		await expect(chain(first).getAttribute('data-state')).resolves.toBe('broken');
		expect(errors).toEqual([]);
	});
});

describe('a record in detail, on a phone', () => {
	it('names statements, says what stays in the browser, checks receipts and never breaks an id', async () => {
		const phone = await browser.newContext({ viewport: { width: 360, height: 780 } });
		const accept = async (subject: string, sync: string) => {
			const page = watch(await phone.newPage());
			await page.goto(`${server.url}/shop/?subject=${subject}&sync=${encodeURIComponent(sync)}`);
			const frame = (await (await page.waitForSelector('assent-consent iframe')).contentFrame())!;
			await frame.getByRole('checkbox').waitFor();
			await untilClickable(frame);
			await frame.getByRole('checkbox').check();
			await frame.getByRole('button', { name: 'Confirm' }).click();
			await frame.getByText(SAVED).waitFor();
			return { page, frame };
		};
		const local = await accept('kept-here-with-a-rather-long-customer-id-0001', '');
		await local.page.close();
		const page = watch(await phone.newPage());
		await page.goto(`${server.url}/records/`);
		await listing(page, 1);
		const sync = rows(page).first().locator('td.sync');
		await expect
			.poll(() => sync.textContent(), { timeout: 15_000 })
			.toMatch(/^\s*Kept in this browser only/);
		expect(await sync.textContent()).not.toMatch(/attempt/);
		// Titles from the site's index, not ids.
		await expect
			.poll(
				async () =>
					(await rows(page).first().getByRole('link').textContent())?.replace(/\s+/g, ' '),
				{ timeout: 15_000 }
			)
			.toMatch(/^Statement on Sharing Customer Data with Partners [\d.]+$/);

		const shop = await accept('receipt-1', `${server.url}/signed/acceptances`);
		await shop.frame.getByText('Saved and received by the service.').waitFor({ timeout: 20_000 });
		await listing(page, 2);
		const newest = rows(page).first();
		await expect.poll(() => newest.locator('td.sync').getAttribute('data-state')).toBe('synced');
		await newest.getByRole('button', { name: 'Details of record #2' }).click();
		const panel = page.getByRole('region', { name: 'Record #2' });
		await expect
			.poll(() => panel.getByTestId('receipt-check').textContent(), { timeout: 15_000 })
			.toMatch(
				new RegExp(
					`^\\s*Receipt verified: signed by the backend’s key [\\w-]+ \\(${server.url}/signed/acceptances/key\\)\\.\\s*$`
				)
			);
		await expect(panel.getByTestId('record-target').textContent()).resolves.toBe(
			`${server.url}/signed/acceptances`
		);

		// Every id, digest and subject is on one line: scrolled or shortened, never broken inside.
		const lines = await page.evaluate(() =>
			[...document.querySelectorAll('td.subject, .record-detail code.value')].map((element) => {
				const range = document.createRange();
				range.selectNodeContents(element);
				const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
				return { text: element.textContent, lines: tops.size };
			})
		);
		expect(lines.length).toBeGreaterThanOrEqual(6);
		for (const line of lines) expect(line, line.text ?? '').toMatchObject({ lines: 1 });
		await shop.page.close();
		await phone.close();
		expect(errors).toEqual([]);
	});
});

describe('ten thousand records', () => {
	const COUNT = 10_000;

	it('shows the newest first, pages to the oldest, verifies with progress and exports a file /verify/ accepts', async () => {
		const many = await browser.newContext({ acceptDownloads: true });
		// Every text the chain status shows, from the first, to see its progress.
		await many.addInitScript(() => {
			const seen: string[] = [];
			(window as unknown as { chainTexts: string[] }).chainTexts = seen;
			new MutationObserver(() => {
				const text = document.querySelector('[data-testid=chain-status]')?.textContent?.trim();
				if (text && seen.at(-1) !== text) seen.push(text);
			}).observe(document, { subtree: true, childList: true, characterData: true });
		});
		// One record made by a click, so every record names the published statement; the rest
		// continue its chain, written straight into the site's IndexedDB.
		const shop = watch(await many.newPage());
		await shop.goto(`${server.url}/shop/?subject=many-0&sync=`);
		const frame = (await (await shop.waitForSelector('assent-consent iframe')).contentFrame())!;
		await frame.getByRole('checkbox').check();
		await frame.getByRole('button', { name: 'Confirm' }).click();
		await frame.getByText(SAVED).waitFor();
		await shop.close();
		const page = watch(await many.newPage());
		await page.goto(`${server.url}/records/`);
		await listing(page, 1);
		const [first] = await readStoredRecords(page);
		// The act of that record: the record without what the log adds to an act.
		const act = Object.fromEntries(
			Object.entries(first!).filter(
				([key]) => !['schema', 'id', 'at', 'seq', 'prev', 'digest'].includes(key)
			)
		) as unknown as Act;
		await seedRecords(page, {
			count: COUNT - 1,
			act: (i) => ({ ...act, subject: `many-${(i + 1) % 97}` }),
			prev: { digest: first!.digest, seq: first!.seq },
			start: new Date(Date.parse(first!.at) + 1000)
		});

		// The chain is verified off the page's thread, in a worker.
		const workers: string[] = [];
		page.on('worker', (worker) => workers.push(worker.url()));
		await page.reload();
		await listing(page, 50);
		await textOf(page, 'records-count', /^10000 records in this browser\.$/);
		expect(await rows(page).first().getAttribute('data-seq')).toBe(String(COUNT));
		await textOf(page, 'records-range', /^Records 1 to 50 of 10000, newest first\.$/);
		await page.getByRole('button', { name: 'Oldest' }).click();
		await expect
			.poll(() => rows(page).last().getAttribute('data-seq'), { timeout: 15_000 })
			.toBe('1');
		await textOf(page, 'records-range', /^Records 9951 to 10000 of 10000, newest first\.$/);
		await expect(rows(page).count()).resolves.toBe(50);

		await textOf(page, 'chain-status', /^Chain intact: 10000 records verified$/);
		expect(workers.filter((url) => /chain\.worker/.test(url)).length).toBeGreaterThan(0);
		const texts = await page.evaluate(
			() => (window as unknown as { chainTexts: string[] }).chainTexts
		);
		expect(
			texts.some((text) => /^Verifying the chain… \d+ of 10000 records checked$/.test(text)),
			texts.join(' | ')
		).toBe(true);

		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: 'Export records' }).click()
		]);
		const exported = await readFile((await download.path())!);
		const file = JSON.parse(exported.toString()) as { records: AcceptanceRecord[]; sync: object };
		expect(file.records.map((r) => r.seq)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
		expect(Object.keys(file.sync)).toHaveLength(COUNT);
		const verify = watch(await many.newPage());
		await verify.goto(`${server.url}/verify/`);
		await verify.locator('input[type=file]').setInputFiles({
			name: 'assent-records.json',
			mimeType: 'application/json',
			buffer: exported
		});
		await expect
			.poll(() => verify.getByTestId('verdict').textContent(), { timeout: 120_000 })
			.toBe(`All ${COUNT} records verified`);
		await many.close();
		expect(errors).toEqual([]);
	}, 300_000);
});

/**
 * Holds back the site's scripts (SvelteKit's chunks, not its stylesheets) until `release()`: the
 * records page then shows only its HTML and what its inline head script draws.
 */
async function holdScripts(context: BrowserContext) {
	const held: Route[] = [];
	let released = false;
	await context.route(
		(url) => url.pathname.startsWith('/_app/immutable/') && url.pathname.endsWith('.js'),
		(route) => (released ? route.continue() : void held.push(route))
	);
	return {
		release: async () => {
			released = true;
			await Promise.all(held.splice(0).map((route) => route.continue()));
		}
	};
}

/** Each row's cells, their text with its spaces made single. */
const cellTexts = (page: Page) =>
	page.evaluate(() =>
		[...document.querySelectorAll('table.records tbody tr')].map((row) =>
			[...row.children].map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim())
		)
	);

describe('the newest records drawn from the page itself', () => {
	const COUNT = 60;
	/** Record `i` (from 0): varied actions and partners. */
	const act = (i: number) =>
		sampleAct({
			subject: `early-${i}`,
			action: (['accept', 'decline', 'associate'] as const)[i % 3],
			...(i % 3 === 2 ? { partner: 'partner-a' } : {})
		});

	/** The browser's `COUNT` records, made in `context`, newest first. */
	async function seeded(context: BrowserContext) {
		// The page's own code makes the database; the records go straight in.
		const setup = watch(await context.newPage());
		await setup.goto(`${server.url}/records/`);
		await setup.getByTestId('records-empty').waitFor();
		await seedRecords(setup, { count: COUNT, act, start: new Date('2026-02-01T00:00:00Z') });
		const stored = (await readStoredRecords(setup)).sort((a, b) => b.seq - a.seq);
		await setup.close();
		return stored;
	}

	for (const locale of ['en', 'zh-CN']) {
		it(`shows them, in the reader's language (${locale}), before the page's scripts run, and once after`, async () => {
			const seen = errors.length;
			const reader = await browser.newContext({ locale });
			// How many rows the page lists, each time that changes, from the first.
			await reader.addInitScript(() => {
				const counts = [0];
				(window as unknown as { rowCounts: number[] }).rowCounts = counts;
				new MutationObserver(() => {
					const n = document.querySelectorAll('table.records tbody tr').length;
					if (counts.at(-1) !== n) counts.push(n);
				}).observe(document, { subtree: true, childList: true });
			});
			try {
				const stored = await seeded(reader);

				const scripts = await holdScripts(reader);
				const page = watch(await reader.newPage());
				await page.goto(`${server.url}/records/`, { waitUntil: 'domcontentloaded' });
				await listing(page, 50);
				// The newest 50, newest first, from the HTML and its one inline script alone.
				const seqs = await rows(page).evaluateAll((trs) =>
					trs.map((tr) => tr.getAttribute('data-seq'))
				);
				expect(seqs).toEqual(stored.slice(0, 50).map((r) => String(r.seq)));
				const ids = await rows(page).evaluateAll((trs) =>
					trs.map((tr) => tr.getAttribute('data-id'))
				);
				expect(ids).toEqual(stored.slice(0, 50).map((r) => r.id));
				const early = await cellTexts(page);
				const zh = locale === 'zh-CN';
				expect(early[0]!.slice(2, 5)).toEqual([zh ? '关联' : 'Associate', 'early-59', 'partner-a']);
				expect(early[0]![5]).toBe('terms 1.0 (en)');
				expect(early[1]!.slice(2, 5)).toEqual([
					zh ? '拒绝' : 'Decline',
					'early-58',
					zh ? '无合作伙伴' : 'No partner'
				]);
				expect(await page.locator('.records-view .count').textContent()).toBe(
					zh ? '此浏览器中有 60 条记录。' : '60 records in this browser.'
				);
				expect(await page.locator('.records-view').getAttribute('lang')).toBe(locale);
				// The chain is never said to be intact before the page has verified it, and the
				// controls wait for the page's code.
				expect(await chain(page).count()).toBe(0);
				expect(
					await page
						.getByRole('button', { name: zh ? '详情' : 'Details' })
						.first()
						.isDisabled()
				).toBe(true);
				expect(await page.locator('.loading').isVisible()).toBe(false);

				await scripts.release();
				await textOf(
					page,
					'chain-status',
					zh ? /^记录链完整：已验证 60 条记录$/ : /^Chain intact: 60 records verified$/
				);
				// One table of the same rows, drawn by the page's code, working.
				expect(await page.locator('table.records').count()).toBe(1);
				await listing(page, 50);
				const late = await cellTexts(page);
				// The statement and partner columns name what the site publishes once it is read.
				const without = (table: string[][]) =>
					table.map((cells) => cells.filter((_, i) => i !== 4 && i !== 5));
				expect(without(late)).toEqual(without(early));
				expect(
					await page
						.getByRole('button', { name: zh ? '详情' : 'Details' })
						.first()
						.isEnabled()
				).toBe(true);
				expect(await page.getByTestId('records-count').count()).toBe(1);
				// Never none and never twice: the page drew its rows in place of the early ones.
				const counts = await page.evaluate(
					() => (window as unknown as { rowCounts: number[] }).rowCounts
				);
				expect(counts).toEqual([0, 50]);
				expect(errors.slice(seen)).toEqual([]);
			} finally {
				await reader.close();
			}
		}, 120_000);
	}

	it('starts the page when the browser holds up the early read, and the page reads for itself', async () => {
		const seen = errors.length;
		const reader = await browser.newContext();
		try {
			await seeded(reader);
			// The head script's open (made while the page is parsed) never answers, as when another
			// tab's upgrade of the database holds it.
			await reader.addInitScript(() => {
				const open = indexedDB.open.bind(indexedDB);
				indexedDB.open = (...args: Parameters<typeof open>) =>
					document.readyState === 'loading' ? ({} as IDBOpenDBRequest) : open(...args);
			});
			const page = watch(await reader.newPage());
			await page.goto(`${server.url}/records/`);
			await listing(page, 50);
			expect(await rows(page).first().getAttribute('data-seq')).toBe(String(COUNT));
			await textOf(page, 'chain-status', /^Chain intact: 60 records verified$/);
			expect(await page.getByTestId('records-count').count()).toBe(1);
			expect(errors.slice(seen)).toEqual([]);
		} finally {
			await reader.close();
		}
	}, 120_000);

	it('leaves a browser without records to the page, and makes no database before it', async () => {
		const seen = errors.length;
		const fresh = await browser.newContext();
		try {
			const scripts = await holdScripts(fresh);
			const page = watch(await fresh.newPage());
			await page.goto(`${server.url}/records/`, { waitUntil: 'domcontentloaded' });
			await page.locator('.loading').waitFor();
			await expect
				.poll(() =>
					page.evaluate(
						() =>
							(window as unknown as { assentRecordsEarly: { page?: unknown } }).assentRecordsEarly
								.page
					)
				)
				.toBe(null);
			const databases = await page.evaluate(async () =>
				(await indexedDB.databases()).map((d) => d.name)
			);
			expect(databases).toEqual([]);
			expect(await rows(page).count()).toBe(0);
			await scripts.release();
			await page.getByTestId('records-empty').waitFor();
			expect(await page.locator('.loading').count()).toBe(0);
			expect(errors.slice(seen)).toEqual([]);
		} finally {
			await fresh.close();
		}
	});
});
