/**
 * `/verify/` in Chromium: records made through the widget by clicks and exported from the
 * records page verify there, each saying how far it can be trusted; the same export with one
 * record changed fails at that record. Nothing leaves the page but the request for the site's
 * own index.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createReceiver, openDatabase } from '../../receiver/index.js';
import type { Database } from '../../receiver/types.js';
import { staticSite } from '../../server/static.js';
import { launchBrowser, untilClickable } from './browser';
import { listen, type RunningServer } from './server';

let browser: Browser;
let server: RunningServer;
let database: Database;
let receiver: ReturnType<typeof createReceiver>;
let context: BrowserContext;
let exported: string;
const errors: string[] = [];

function shopPage(subject: string): string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,">
<script type="module" src="/widget/assent.js"></script></head><body>
<assent-consent statement="customer-data-sharing" subject="${subject}" mode="accept"
  sync-url="/signed/acceptances"></assent-consent>
</body></html>`;
}

function watch(page: Page): Page {
	page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
	});
	return page;
}

async function acceptAs(subject: string): Promise<void> {
	const page = watch(await context.newPage());
	await page.goto(`${server.url}/shop/?subject=${subject}`);
	const frame = (await (await page.waitForSelector('assent-consent iframe')).contentFrame())!;
	await frame.getByRole('checkbox').waitFor();
	await untilClickable(frame);
	await frame.getByRole('checkbox').check();
	await frame.getByRole('button', { name: 'Confirm' }).click();
	await frame.getByText('Saved and received by the service.').waitFor({ timeout: 20_000 });
	await page.close();
}

const verdict = (page: Page) => page.getByTestId('verdict');

beforeAll(async () => {
	const site = staticSite({ dir: inject('siteDir') });
	server = await listen((req, res) => {
		const url = new URL(req.url ?? '/', 'http://site');
		if (url.pathname === '/shop/') {
			res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
			return res.end(shopPage(url.searchParams.get('subject') ?? 'customer-1'));
		}
		if (url.pathname.startsWith('/signed/')) return receiver.handle(req, res);
		site(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	});
	database = await openDatabase({ log: () => {} });
	receiver = createReceiver({
		database,
		site: inject('siteDir'),
		path: '/signed/acceptances',
		subjects: 'unverified',
		origins: [server.url],
		log: () => {}
	});
	await receiver.ready;
	browser = await launchBrowser();
	context = await browser.newContext({ acceptDownloads: true });
	await acceptAs('alice');
	await acceptAs('bob');
	const records = watch(await context.newPage());
	await records.goto(`${server.url}/records/`);
	await records.waitForFunction(
		() => document.querySelectorAll('table.records tbody tr').length === 2,
		undefined,
		{ timeout: 15_000 }
	);
	const [download] = await Promise.all([
		records.waitForEvent('download'),
		records.getByRole('button', { name: 'Export records' }).click()
	]);
	exported = await readFile((await download.path())!, 'utf8');
	await records.close();
});

afterAll(async () => {
	await browser?.close();
	await server?.close();
	await receiver?.close();
	await database?.close();
});

describe('the verify page', () => {
	it('verifies an export from the records page, on a phone, asking for nothing but the index', async () => {
		const phone = await browser.newContext({ viewport: { width: 390, height: 800 } });
		const page = watch(await phone.newPage());
		const response = await page.goto(`${server.url}/verify/`);
		expect(response?.status()).toBe(200);
		await expect(
			page.locator('nav[aria-label="Site"] a[href="/verify/"]').textContent()
		).resolves.toBe('Verify');
		// The file chooser is reached by keyboard and shows where the focus is.
		await page.locator('input[type=file]').focus();
		await expect(
			page.evaluate(() => getComputedStyle(document.querySelector('.pick')!).outlineStyle)
		).resolves.toBe('solid');
		const requests: string[] = [];
		page.on('request', (request) => requests.push(request.url()));

		await page.locator('input[type=file]').setInputFiles({
			name: 'assent-records.json',
			mimeType: 'application/json',
			buffer: Buffer.from(exported)
		});
		await expect
			.poll(() => verdict(page).textContent(), { timeout: 15_000 })
			.toBe('All 2 records verified');
		const rows = page.locator('table.checks tbody tr');
		await expect(rows.count()).resolves.toBe(2);
		await expect(rows.first().locator('td[data-check=digest] strong').textContent()).resolves.toBe(
			'OK'
		);
		await expect(
			rows.first().locator('td[data-check=statement] .why').textContent()
		).resolves.toMatch(/^customer-data-sharing [\d.]+ \(en\) is published with this hash\.$/);
		// Each record says how far it can be trusted: the receiver took them without subject
		// tokens (its receipts say so), from the statements site's frame (not relayed), and the
		// frame reported whether it was visibly shown.
		const file = JSON.parse(exported) as {
			records: { presentation: { visible?: unknown } }[];
		};
		await expect(rows.locator('td.assurance').allTextContents()).resolves.toEqual(
			file.records.map(
				(r) =>
					`subject not verified · ${r.presentation.visible === true ? 'seen visibly shown' : 'visibility not known'}`
			)
		);
		expect(requests).toEqual([`${server.url}/statements/index.json`]);
		// Nothing is wider than the phone.
		const width = await page.evaluate(() => document.documentElement.scrollWidth);
		expect(width).toBeLessThanOrEqual(390);
		await phone.close();
	});

	it('shows where a dropped export was changed', async () => {
		const file = JSON.parse(exported) as {
			records: { seq: number; presentation: { label: string } }[];
		};
		file.records[1]!.presentation.label = 'I agree to nothing';
		const page = watch(await context.newPage());
		await page.goto(`${server.url}/verify/`);
		const zone = page.getByTestId('drop-zone');
		const dataTransfer = await page.evaluateHandle(
			(text) => {
				const transfer = new DataTransfer();
				transfer.items.add(new File([text], 'changed.json', { type: 'application/json' }));
				return transfer;
			},
			JSON.stringify(file, null, 2)
		);
		await zone.dispatchEvent('dragover', { dataTransfer });
		await zone.dispatchEvent('drop', { dataTransfer });
		await expect
			.poll(() => verdict(page).textContent(), { timeout: 15_000 })
			.toBe('Record #2 (seq 2): digest does not match: the record was changed after it was made.');
		await expect(
			page.locator('table.checks tbody tr').nth(1).getAttribute('data-state')
		).resolves.toBe('failed');
		await page.close();
	});

	it('speaks Chinese to a Chinese browser, and reads pasted JSON', async () => {
		const chinese = await browser.newContext({ locale: 'zh-CN' });
		const page = watch(await chinese.newPage());
		await page.goto(`${server.url}/verify/`);
		await page.getByRole('textbox').fill(exported);
		await page.getByRole('textbox').focus();
		// By keyboard: from the text box to its button.
		await page.keyboard.press('Tab');
		await expect(page.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe(
			'验证粘贴的 JSON'
		);
		await page.keyboard.press('Enter');
		await expect
			.poll(() => verdict(page).textContent(), { timeout: 15_000 })
			.toBe('全部 2 条记录已验证');
		// A receipt that says the record was relayed, and a record without a receipt.
		const file = JSON.parse(exported) as {
			records: { id: string; presentation: { visible?: unknown } }[];
			sync: Record<string, { receipt?: Record<string, unknown> }>;
		};
		file.sync[file.records[0]!.id]!.receipt!.relayed = true;
		delete file.sync[file.records[1]!.id]!.receipt;
		await page.getByRole('textbox').fill(JSON.stringify(file));
		await page.getByRole('button', { name: '验证粘贴的 JSON' }).click();
		const visible = (r: { presentation: { visible?: unknown } }) =>
			r.presentation.visible === true ? '确认在可见状态下显示' : '无法确认是否可见';
		await expect
			.poll(() => page.locator('table.checks td.assurance').allTextContents(), {
				timeout: 15_000
			})
			.toEqual([
				`主体未经验证 · 由合作方页面的存储转交 · ${visible(file.records[0]!)}`,
				`没有回执：无法确认主体是否经过验证 · ${visible(file.records[1]!)}`
			]);
		await chinese.close();
		expect(errors).toEqual([]);
	});
});
