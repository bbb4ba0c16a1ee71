/**
 * Partner pages that turn on the widget, in Chromium, against the reference receiver (PGlite):
 * what is checked is what the receiver stores. The statements site is on statements.test and the
 * partner on partner.test, so this Chromium refuses the frame its own storage and the records
 * live in the partner page's `assent-relay` database, which the page can write.
 */
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createReceiver, openDatabase } from '../../receiver/index.js';
import type { Database } from '../../receiver/types.js';
import type { AcceptanceRecord } from '../../src/lib/core/record';
import { recordDigest } from '../../src/lib/core/digest';
import { uuidv7 } from '../../src/lib/core/uuid';
import { launchBrowser } from './browser';
import { listen, serveSite, type RunningServer } from './server';

let browser: Browser;
let site: RunningServer;
let partner: RunningServer;
let front: RunningServer;
let database: Database;
let context: BrowserContext;
/** The partner pages, by path. */
const pages = new Map<string, string>();

const siteUrl = () => `http://statements.test:${site.port}`;
const partnerUrl = () => `http://partner.test:${partner.port}`;
/** A site that is no partner (the test build lists partner.test only). */
const evilUrl = () => `http://evil.test:${partner.port}`;
const syncUrl = () => `http://127.0.0.1:${front.port}/acceptances`;

/** A partner page with one widget (its attributes as given) and whatever else `extra` adds. */
function partnerPage(options: { attributes: string; head?: string; extra?: string }): string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title>
<script type="module" src="${siteUrl()}/widget/assent.js"></script>${options.head ?? ''}</head><body>
<h1>Partner shop</h1>
<assent-consent statement="customer-data-sharing" mode="accept" sync-url="${syncUrl()}" ${options.attributes}></assent-consent>
${options.extra ?? ''}
<script type="module">
  window.events = [];
  for (const name of ['assent:ready', 'assent:accept', 'assent:sync', 'assent:error']) {
    document.addEventListener(name, (e) => window.events.push({ name, detail: e.detail }));
  }
</script></body></html>`;
}

function serve(path: string, body: string): string {
	pages.set(path, body);
	return `${partnerUrl()}${path}`;
}

interface Row {
	id: string;
	subject: string;
	relayed: boolean;
	receipt: { relayed?: true };
	record: AcceptanceRecord;
}

async function rows(): Promise<Row[]> {
	return (
		await database.query(
			'select id::text as id, subject, relayed, receipt, record from assent_records order by id'
		)
	).rows as unknown as Row[];
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 20_000) {
	const end = Date.now() + ms;
	let value = await read();
	while (!done(value) && Date.now() < end) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		value = await read();
	}
	return value;
}

async function frameOf(page: Page): Promise<Frame> {
	await page.waitForSelector('assent-consent iframe');
	const frame = await (await page.$('assent-consent iframe'))!.contentFrame();
	await frame!.locator('[part=widget]').waitFor();
	return frame!;
}

const events = (page: Page) =>
	page.evaluate(
		() => (window as unknown as { events: { name: string; detail: unknown }[] }).events
	);

beforeAll(async () => {
	site = await serveSite(inject('siteDir'));
	database = await openDatabase({ log: () => {} });
	const receiver = createReceiver({
		database,
		site: inject('siteDir'),
		origins: [siteUrl()],
		// The widget sends no subject token here: records are accepted, marked unverified.
		subjects: 'unverified',
		log: () => {}
	});
	await receiver.ready;
	front = await listen((req, res) => receiver.handle(req, res));
	partner = await listen(
		(req, res) => {
			const body = pages.get(new URL(req.url ?? '/', 'http://partner').pathname);
			res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
			res.end(body ?? 'Not found');
		},
		{ port: inject('partnerPort') }
	);
	browser = await launchBrowser({
		args: [
			'--host-resolver-rules=MAP *.test 127.0.0.1',
			`--unsafely-treat-insecure-origin-as-secure=${siteUrl()},${partnerUrl()},${evilUrl()}`
		]
	});
});

afterAll(async () => {
	await browser?.close();
	await Promise.all([site?.close(), partner?.close(), front?.close()]);
	await database?.close();
});

beforeEach(async () => {
	await database.query('delete from assent_records');
	await context?.close();
	context = await browser.newContext();
});

describe('a partner page writing into the records it keeps for the frame', () => {
	it('gets a record it wrote delivered only as relayed, never as one the frame built', async () => {
		const page = await context.newPage();
		await page.goto(serve('/forger', partnerPage({ attributes: 'subject="shopper-7"' })));
		const frame = await frameOf(page);
		await frame.getByRole('checkbox').check();
		await frame.getByRole('button', { name: 'Confirm' }).click();
		const [own] = await until(rows, (r) => r.length === 1);
		expect(own).toMatchObject({ subject: 'shopper-7', relayed: false });
		expect(own!.receipt).not.toHaveProperty('relayed');

		// The page appends its own record to the chain: another subject, said to be made in the
		// frame, with a valid digest and a pending outbox entry, as the frame would write it.
		const { digest: _, ...head } = own!.record;
		const at = new Date().toISOString();
		const unsigned = {
			...head,
			id: uuidv7(new Date(at)),
			at,
			seq: head.seq + 1,
			prev: own!.record.digest,
			subject: 'victim'
		};
		const forged = { ...unsigned, digest: await recordDigest(unsigned) };
		await page.evaluate(
			(record) =>
				new Promise<void>((resolve, reject) => {
					const open = indexedDB.open('assent-relay');
					open.onerror = () => reject(open.error);
					open.onsuccess = () => {
						const tx = open.result.transaction(['records', 'outbox'], 'readwrite');
						tx.objectStore('records').add(record);
						tx.objectStore('outbox').add({
							id: record.id,
							seq: record.seq,
							state: 'pending',
							attempts: 0,
							updatedAt: record.at
						});
						tx.oncomplete = () => resolve();
						tx.onerror = () => reject(tx.error);
					};
				}),
			forged
		);
		// The next page load's frame finds it pending and sends it.
		await page.reload();
		await frameOf(page);
		const stored = await until(rows, (r) => r.length === 2);
		const victim = stored.find((r) => r.subject === 'victim');
		expect(victim, 'the forged record reached the receiver').toBeDefined();
		expect(victim!.record.presentation.embed).toBe('iframe');
		expect(victim!.relayed).toBe(true);
		expect(victim!.receipt.relayed).toBe(true);
		expect(stored.filter((r) => !r.relayed).map((r) => r.subject)).toEqual(['shopper-7']);
	});
});

describe('attributes of any length', () => {
	const errorOf = async (page: Page) =>
		(
			await until(
				() => events(page),
				(e) => e.some((x) => x.name === 'assent:error'),
				30_000
			)
		).find((x) => x.name === 'assent:error')?.detail as { code: string; message: string };

	it('names a 20 KB subject as the problem, and records nothing', async () => {
		const page = await context.newPage();
		await page.goto(
			serve('/long-subject', partnerPage({ attributes: `subject="${'s'.repeat(20_000)}"` }))
		);
		const error = await errorOf(page);
		expect(error).toEqual({
			code: 'widget/attribute',
			message: expect.stringMatching(/^subject is 20000 characters long; records hold at most 512/)
		});
		const frame = await (await page.$('assent-consent iframe'))!.contentFrame();
		await frame!.getByText('subject is 20000 characters long').waitFor();
		expect(await rows()).toEqual([]);
	});

	it('shows the widget for a 20 KB locale, in English, and says the locale is no language tag', async () => {
		const page = await context.newPage();
		await page.goto(
			serve(
				'/long-locale',
				partnerPage({ attributes: `subject="shopper-8" locale="${'l'.repeat(20_000)}"` })
			)
		);
		const frame = await frameOf(page);
		await frame.getByRole('button', { name: 'Confirm' }).waitFor();
		const error = await errorOf(page);
		expect(error.code).toBe('widget/attribute');
		expect(error.message).toMatch(/^locale "l+" is not a language tag/);
	});
});
