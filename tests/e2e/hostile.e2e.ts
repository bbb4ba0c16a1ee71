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
import { launchBrowser, widgetFrame, until } from './browser';
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

const frameOf = (page: Page): Promise<Frame> => widgetFrame(page, { clickable: true });

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
		const { digest: ownDigest, ...head } = own!.record;
		const at = new Date().toISOString();
		const unsigned = {
			...head,
			id: uuidv7(new Date(at)),
			at,
			seq: head.seq + 1,
			prev: ownDigest,
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

describe('a partner page hiding the widget from the customer', () => {
	/** Ticks and confirms in the frame, as a customer's (or a tricked customer's) clicks do. */
	async function answer(page: Page): Promise<Frame> {
		const frame = await frameOf(page);
		await frame.getByRole('checkbox').check({ force: true });
		// The browser reports visibility at most every 100 ms.
		await page.waitForTimeout(300);
		await frame.getByRole('button', { name: 'Confirm' }).click({ force: true });
		return frame;
	}

	const eventsNamed = async (page: Page, name: string) =>
		(await events(page)).filter((e) => e.name === name);

	it('records a widget shown as it is as visible', async () => {
		const page = await context.newPage();
		await page.goto(serve('/shown', partnerPage({ attributes: 'subject="shopper-9"' })));
		const frame = await answer(page);
		await frame.getByText('Saved', { exact: false }).first().waitFor();
		const [row] = await until(rows, (r) => r.length === 1);
		expect(row!.record.presentation).toMatchObject({ embed: 'iframe', visible: true });
		expect(row!.relayed).toBe(false);
	});

	for (const [name, style, extra] of [
		[
			'made transparent over a decoy',
			'assent-consent{opacity:0}',
			'<button style="position:absolute;top:5rem">Win a prize</button>'
		],
		[
			'covered by an overlay that lets clicks through',
			'',
			'<div style="position:fixed;inset:0;pointer-events:none;background:rgba(255,255,255,.02)"></div>'
		],
		['faded through its frame part', 'assent-consent::part(frame){opacity:.05}', '']
	] as const) {
		it(`takes no answer from a widget ${name}, and says why`, async () => {
			const page = await context.newPage();
			await page.goto(
				serve(
					`/hidden-${name.replace(/\W+/g, '-')}`,
					partnerPage({
						attributes: 'subject="shopper-10"',
						head: `<style>${style}</style>`,
						extra
					})
				)
			);
			const frame = await answer(page);
			await frame.getByRole('alert').getByText('covered or hidden').waitFor();
			const errors = await until(
				() => eventsNamed(page, 'assent:error'),
				(e) => e.length > 0
			);
			expect(errors.map((e) => (e.detail as { code: string }).code)).toEqual(['widget/hidden']);
			expect(await eventsNamed(page, 'assent:accept')).toEqual([]);
			await page.waitForTimeout(1000);
			expect(await rows()).toEqual([]);
			const kept = await page.evaluate(() => document.querySelector('assent-consent')!.records());
			expect(kept).toEqual([]);
		});
	}

	it('shows the widget in its own colours when the theme makes its words unreadable', async () => {
		const page = await context.newPage();
		const transparent = ['text', 'background', 'muted', 'accent', 'accent-text', 'border'].map(
			(name) => `--assent-${name}:transparent`
		);
		await page.goto(
			serve(
				'/transparent-theme',
				partnerPage({
					attributes: 'subject="shopper-11"',
					head: `<style>assent-consent{${transparent.join(';')}}</style>`
				})
			)
		);
		const frame = await frameOf(page);
		const errors = await until(
			() => eventsNamed(page, 'assent:error'),
			(e) => e.length > 0
		);
		expect(errors[0]!.detail).toEqual({
			code: 'widget/attribute',
			message: expect.stringContaining('--assent-background: transparent is not opaque')
		});
		const colours = await frame.locator('[part=widget]').evaluate((element) => {
			const style = getComputedStyle(element);
			return { color: style.color, background: style.backgroundColor };
		});
		expect(colours).toEqual({ color: 'rgb(31, 35, 40)', background: 'rgb(255, 255, 255)' });
	});

	it('takes no answer inline while the page hides the statement’s words', async () => {
		const page = await context.newPage();
		await page.goto(
			serve(
				'/inline-hidden-text',
				partnerPage({
					attributes: 'subject="shopper-12" embed="inline"',
					head: '<style>assent-consent::part(text){display:none}</style>'
				})
			)
		);
		const widget = page.locator('assent-consent');
		await widget.locator('[part=widget]').waitFor();
		await widget.getByRole('checkbox').check();
		await widget.getByRole('button', { name: 'Confirm' }).click();
		await widget.getByRole('alert').getByText('covered or hidden').waitFor();
		expect(
			(await eventsNamed(page, 'assent:error')).map((e) => (e.detail as { code: string }).code)
		).toEqual(['widget/hidden']);
		const kept = await page.evaluate(() => document.querySelector('assent-consent')!.records());
		expect(kept).toEqual([]);
	});

	it('records an inline answer as of unknown visibility', async () => {
		const page = await context.newPage();
		await page.goto(
			serve('/inline-shown', partnerPage({ attributes: 'subject="shopper-13" embed="inline"' }))
		);
		const widget = page.locator('assent-consent');
		await widget.getByRole('checkbox').check();
		await widget.getByRole('button', { name: 'Confirm' }).click();
		const accepted = await until(
			() => eventsNamed(page, 'assent:accept'),
			(e) => e.length > 0
		);
		const record = (accepted[0]!.detail as { record: AcceptanceRecord }).record;
		expect(record.presentation).toMatchObject({ embed: 'inline', visible: 'unknown' });
	});

	it('gives a page the partner did not list no working widget, even around a partner page', async () => {
		const page = await context.newPage();
		const inner = serve('/framed-partner', partnerPage({ attributes: 'subject="shopper-14"' }));
		await page.goto(
			serve(
				'/evil-around',
				`<!doctype html><title>Prize</title><iframe src="${inner}" width="800" height="600"></iframe>`
			).replace(partnerUrl(), evilUrl())
		);
		const partnerFrame = (await (await page.waitForSelector('iframe')).contentFrame())!;
		const widgetFrame = (await (
			await partnerFrame.waitForSelector('assent-consent iframe')
		).contentFrame())!;
		await widgetFrame.waitForLoadState();
		await page.waitForTimeout(1000);
		expect(await widgetFrame.getByRole('checkbox').count()).toBe(0);
		expect(await widgetFrame.getByRole('button').count()).toBe(0);
		expect(await rows()).toEqual([]);
	});
});
