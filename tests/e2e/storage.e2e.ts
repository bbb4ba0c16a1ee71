/**
 * The record store when the browser's storage fails, in Chromium with real IndexedDB: storage
 * missing, the database deleted while the widget is open, and the site's quota cut through the
 * DevTools protocol. In every case the customer is told the truth: "Saved" appears only for a
 * record that is in IndexedDB, and a failure is shown with what to do, and sent to the host page
 * as an `assent:error` with a `store/*` code.
 */
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, untilClickable } from './browser';
import { listen, serveSite, type RunningServer } from './server';

let browser: Browser;
let site: RunningServer;
let partner: RunningServer;
let context: BrowserContext;

interface HostEvent {
	name: string;
	detail: { code?: string; message?: string; record?: { id: string; seq: number } };
}

/**
 * A first-party page for the widget: the partner page and the statements site are both on
 * 127.0.0.1 (one site), so the frame keeps its records in its own IndexedDB.
 */
function partnerPage(): string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script type="module" src="${site.url}/widget/assent.js"></script></head><body>
<assent-consent statement="customer-data-sharing" subject="storage-test" mode="accept"></assent-consent>
<script type="module">
  window.events = [];
  for (const name of ['assent:ready', 'assent:accept', 'assent:error']) {
    document.addEventListener(name, (e) => window.events.push({ name, detail: e.detail }));
  }
</script></body></html>`;
}

async function open(): Promise<{ page: Page; frame: Frame }> {
	const page = await context.newPage();
	await page.goto(`${partner.url}/`);
	await page.waitForSelector('assent-consent iframe');
	const frame = (await (await page.$('assent-consent iframe'))!.contentFrame())!;
	await frame.locator('[part=widget]').waitFor();
	return { page, frame };
}

const events = (page: Page) =>
	page.evaluate(() => (window as unknown as { events: HostEvent[] }).events);

async function confirm(frame: Frame): Promise<void> {
	await untilClickable(frame);
	await frame.getByRole('checkbox').check();
	await frame.getByRole('button', { name: 'Confirm' }).click();
}

/** The records in the frame's own IndexedDB, read with the raw API (not through the widget). */
function storedIds(frame: Frame): Promise<string[]> {
	return frame.evaluate(
		() =>
			new Promise<string[]>((resolve, reject) => {
				const request = indexedDB.open('assent');
				request.onerror = () => reject(new Error(String(request.error)));
				request.onsuccess = () => {
					const db = request.result;
					if (!db.objectStoreNames.contains('records')) {
						db.close();
						return resolve([]);
					}
					const all = db.transaction('records').objectStore('records').getAllKeys();
					all.onsuccess = () => {
						db.close();
						resolve(all.result as string[]);
					};
					all.onerror = () => reject(new Error(String(all.error)));
				};
			})
	);
}

beforeAll(async () => {
	site = await serveSite(inject('siteDir'));
	partner = await listen(
		(_req, res) => {
			res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
			res.end(partnerPage());
		},
		{ port: inject('partnerPort') }
	);
	browser = await launchBrowser();
});

afterEach(async () => {
	await context?.close();
});

afterAll(async () => {
	await browser?.close();
	await Promise.all([site?.close(), partner?.close()]);
});

describe('the record store when storage fails', () => {
	it('saves and says so when storage works, as the baseline of the cases below', async () => {
		context = await browser.newContext();
		// Every file the frame loads on the way (its script's chunks and their preloads) exists.
		const missing: string[] = [];
		context.on('response', (response) => {
			if (response.status() >= 400) missing.push(`${response.status()} ${response.url()}`);
		});
		context.on('requestfailed', (request) => void missing.push(`failed ${request.url()}`));
		const { page, frame } = await open();
		await confirm(frame);
		await frame.getByText('Saved in this browser.').waitFor();
		const accepted = (await events(page)).filter((e) => e.name === 'assent:accept');
		expect(accepted).toHaveLength(1);
		expect(await storedIds(frame)).toEqual([accepted[0]!.detail.record!.id]);
		expect(missing).toEqual([]);
	});

	it('says there is no storage, and records nothing, when the browser offers no IndexedDB', async () => {
		context = await browser.newContext();
		// As in a browser with site data blocked: no IndexedDB in the page or in the frame.
		await context.addInitScript(() => {
			Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true });
		});
		const { page, frame } = await open();
		// Nowhere to keep a record: the widget says so before the customer is asked anything.
		const alert = frame.getByRole('alert').first();
		await alert.waitFor();
		expect(await alert.innerText()).toContain('offers no IndexedDB storage');
		expect(await alert.innerText()).toContain('nothing was saved');
		expect(await frame.getByText('Saved in this browser.').count()).toBe(0);
		const seen = await events(page);
		expect(seen.filter((e) => e.name === 'assent:accept')).toHaveLength(0);
		expect(seen.filter((e) => e.name === 'assent:error').map((e) => e.detail.code)).toContain(
			'store/unavailable'
		);
	});

	it('says on the records page that there is no storage, instead of an empty list', async () => {
		context = await browser.newContext();
		await context.addInitScript(() => {
			Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true });
		});
		const page = await context.newPage();
		await page.goto(`${site.url}/records/`);
		const alert = page.getByRole('alert').first();
		await alert.waitFor();
		expect(await alert.innerText()).toContain('offers no IndexedDB storage');
		expect(await page.getByText('No records in this browser yet').count()).toBe(0);
	});

	it('keeps saving truthfully when the site data is cleared while the widget is open', async () => {
		context = await browser.newContext();
		const { page, frame } = await open();
		await confirm(frame);
		await frame.getByText('Saved in this browser.').waitFor();
		const first = (await events(page)).find((e) => e.name === 'assent:accept')!.detail.record!;
		expect(await storedIds(frame)).toEqual([first.id]);

		// The customer clears the site's data from the browser's settings, as DevTools does.
		const cdp = await context.newCDPSession(page);
		await cdp.send('Storage.clearDataForOrigin', {
			origin: site.url,
			storageTypes: 'indexeddb'
		});
		// The browser closes the site's connections while it clears: read once it is done.
		let left: string[] | undefined;
		for (let i = 0; i < 50 && left === undefined; i++) {
			left = await storedIds(frame).catch(async () => {
				await new Promise((resolve) => setTimeout(resolve, 100));
				return undefined;
			});
		}
		expect(left).toEqual([]);

		// The record is gone from this browser, so the widget asks again; the new answer is saved
		// as the first record of a new chain, and "Saved" means it is really there.
		await page.reload();
		const again = (await (await page.waitForSelector('assent-consent iframe')).contentFrame())!;
		await again.locator('[part=widget]').waitFor();
		await confirm(again);
		await again.getByText('Saved in this browser.').waitFor();
		const accepted = (await events(page)).filter((e) => e.name === 'assent:accept');
		expect(accepted).toHaveLength(1);
		expect(accepted[0]!.detail.record!.seq).toBe(1);
		expect(await storedIds(again)).toEqual([accepted[0]!.detail.record!.id]);
	});

	it('reopens the store when the database is deleted under an open widget', async () => {
		context = await browser.newContext();
		const { page, frame } = await open();
		// Another tab of the site deletes the database: the widget's connection is closed.
		await frame.evaluate(
			() =>
				new Promise<void>((resolve, reject) => {
					const request = indexedDB.deleteDatabase('assent');
					request.onsuccess = () => resolve();
					request.onerror = () => reject(new Error(String(request.error)));
				})
		);
		await confirm(frame);
		await frame.getByText('Saved in this browser.').or(frame.getByRole('alert')).first().waitFor();
		const accepted = (await events(page)).filter((e) => e.name === 'assent:accept');
		// Saved means stored: the record the host was told of is in the (new) database.
		expect(await frame.getByText('Saved in this browser.').count()).toBe(1);
		expect(accepted).toHaveLength(1);
		expect(await storedIds(frame)).toEqual([accepted[0]!.detail.record!.id]);
	});

	it('says the storage is full, and records nothing, when the quota is used up', async () => {
		context = await browser.newContext();
		const page = await context.newPage();
		// No room for the statements site's origin, as on a full disk: set through the DevTools
		// protocol before the site stores anything (Chromium applies it to an origin's first
		// writes).
		const cdp = await context.newCDPSession(page);
		await cdp.send('Storage.overrideQuotaForOrigin', { origin: site.url, quotaSize: 16 });
		await page.goto(`${partner.url}/`);
		const frame = (await (await page.waitForSelector('assent-consent iframe')).contentFrame())!;
		await frame.locator('[part=widget]').waitFor();
		await confirm(frame);
		const alert = frame.getByRole('alert').first();
		await alert.waitFor();
		expect(await alert.innerText()).toContain('no storage left');
		expect(await frame.getByText('Saved in this browser.').count()).toBe(0);
		const seen = await events(page);
		expect(seen.filter((e) => e.name === 'assent:accept')).toHaveLength(0);
		expect(seen.filter((e) => e.name === 'assent:error').map((e) => e.detail.code)).toContain(
			'store/quota'
		);
		await cdp.send('Storage.overrideQuotaForOrigin', { origin: site.url });
		expect(await storedIds(frame)).toEqual([]);
	});
});
