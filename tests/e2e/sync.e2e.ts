/**
 * Records reaching a real receiver from the widget in Chromium, across sites: the statements
 * site on statements.test, a partner page on partner.test, the reference receiver (PGlite) behind
 * a fault-injecting front on 127.0.0.1. What is checked is what the backend stores.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createReceiver, openDatabase } from '../../receiver/index.js';
import type { Database } from '../../receiver/types.js';
import { launchBrowser, untilClickable, until, widgetFrame } from './browser';
import { listen, serveSite, type RunningServer } from './server';

type Fault =
	| { kind: 'none' }
	| { kind: 'status'; status: number; headers?: Record<string, string>; times: number }
	| { kind: 'drop-response'; times: number }
	| { kind: 'unreachable' }
	| { kind: 'reject-second'; times: number };

let browser: Browser;
let site: RunningServer;
let partner: RunningServer;
let front: RunningServer;
let database: Database;
let fault: Fault = { kind: 'none' };
/** Every POST that reached the front, with the ids it carried and when. */
let posts: { ids: string[]; at: number }[] = [];

const siteUrl = () => `http://statements.test:${site.port}`;
const partnerUrl = () => `http://partner.test:${partner.port}`;

function partnerPage(options: {
	statements?: string;
	subject?: string;
	embed?: string;
	syncUrl?: string;
}) {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title>
<script type="module" src="${siteUrl()}/widget/assent.js"></script></head><body>
<h1>Partner shop</h1>
<assent-consent statement="${options.statements ?? 'customer-data-sharing'}" subject="${options.subject ?? 'shopper-1'}"
  mode="accept" embed="${options.embed ?? 'iframe'}" sync-url="${options.syncUrl ?? `http://127.0.0.1:${front.port}/acceptances`}"></assent-consent>
<script type="module">
  window.events = [];
  for (const name of ['assent:accept', 'assent:sync', 'assent:error']) {
    document.addEventListener(name, (e) => window.events.push({ name, detail: e.detail }));
  }
</script></body></html>`;
}

async function rows(): Promise<{ id: string; subject: string }[]> {
	return (await database.query('select id, subject from assent_records order by id')).rows as {
		id: string;
		subject: string;
	}[];
}

const frameOf = (page: Page): Promise<Frame> => widgetFrame(page);

async function accept(page: Page): Promise<void> {
	const frame = await frameOf(page);
	await untilClickable(frame);
	await frame.getByRole('checkbox').check();
	await frame.getByRole('button', { name: 'Confirm' }).click();
	await frame.getByText('Saved in this browser.').waitFor();
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
		origins: [`http://statements.test:${site.port}`],
		// The widget sends no subject token here: records are accepted, marked unverified.
		subjects: 'unverified',
		log: () => {}
	});
	await receiver.ready;
	front = await listen((req, res) => void passThrough(req, res));
	async function passThrough(req: IncomingMessage, res: ServerResponse) {
		res.setHeader('Access-Control-Allow-Origin', siteUrl());
		// Without it the browser hides Retry-After from the widget, as it would for any backend.
		res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
		if (req.method !== 'POST') return receiver.handle(req, res);
		if (fault.kind === 'unreachable') return req.socket.destroy();
		// The front reads the whole body to note the ids, then hands the receiver a replay of it.
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks);
		let ids: string[] = [];
		try {
			ids = (JSON.parse(body.toString()) as { records: { id: string }[] }).records.map((r) => r.id);
		} catch {
			// An unreadable body is the receiver's to refuse.
		}
		posts.push({ ids, at: Date.now() });
		if (fault.kind === 'status' && fault.times > 0) {
			fault.times--;
			res.writeHead(fault.status, { 'Content-Type': 'application/json', ...fault.headers });
			return res.end('{"error":"fault","message":"injected by the test"}');
		}
		if (fault.kind === 'reject-second' && fault.times > 0) {
			fault.times--;
			res.writeHead(200, { 'Content-Type': 'application/json' });
			return res.end(
				JSON.stringify({
					accepted: [],
					rejected: ids.map((id, i) =>
						i === 1
							? { id, reason: 'Subject unknown to the partner.', retryable: false }
							: { id, reason: 'busy', retryable: true }
					)
				})
			);
		}
		if (fault.kind === 'drop-response' && fault.times > 0) {
			fault.times--;
			// The receiver commits, then the answer is lost: the socket closes instead.
			res.end = (() => {
				req.socket.destroy();
				return res;
			}) as typeof res.end;
		}
		const replay = Object.assign(Readable.from([body]), {
			method: req.method,
			url: req.url,
			headers: req.headers,
			socket: req.socket
		}) as unknown as IncomingMessage;
		receiver.handle(replay, res);
	}
	partner = await listen(
		(req, res) => {
			const url = new URL(req.url ?? '/', 'http://partner');
			res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
			res.end(
				partnerPage({
					statements: url.searchParams.get('statements') ?? undefined,
					subject: url.searchParams.get('subject') ?? undefined,
					embed: url.searchParams.get('embed') ?? undefined,
					syncUrl: url.searchParams.get('sync') ?? undefined
				})
			);
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
	await Promise.all([site?.close(), partner?.close(), front?.close()]);
	await database?.close();
});

let context: BrowserContext;
beforeEach(async () => {
	fault = { kind: 'none' };
	posts = [];
	await database.query('delete from assent_records');
	await context?.close();
	context = await browser.newContext();
});

describe('sync to the reference receiver', () => {
	it('delivers records written offline once the browser is back online', async () => {
		const page = await context.newPage();
		await page.goto(`${partnerUrl()}/?subject=offline-1`);
		// The widget's session has started (its scripts and statement arrived) before the network goes.
		await untilClickable(await frameOf(page));
		await context.setOffline(true);
		await accept(page);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(await rows()).toEqual([]);
		await context.setOffline(false);
		const stored = await until(rows, (r) => r.length === 1);
		expect(stored).toEqual([{ id: expect.any(String), subject: 'offline-1' }]);
		const frame = await frameOf(page);
		await frame.getByText('Saved and received by the service.').waitFor();
		const synced = await until(
			() => events(page),
			(e) => e.some((x) => x.name === 'assent:sync')
		);
		expect(synced.find((x) => x.name === 'assent:sync')!.detail).toEqual({ ids: [stored[0]!.id] });
	});

	it('keeps exactly one row when the answer is lost after the receiver committed', async () => {
		fault = { kind: 'drop-response', times: 1 };
		const page = await context.newPage();
		await page.goto(`${partnerUrl()}/?subject=lost-answer`);
		await accept(page);
		await until(
			async () => posts.length,
			(n) => n >= 2
		);
		const frame = await frameOf(page);
		await frame.getByText('Saved and received by the service.').waitFor({ timeout: 20_000 });
		expect(posts.length).toBeGreaterThanOrEqual(2);
		expect(posts[0]!.ids).toEqual(posts[1]!.ids);
		expect(await rows()).toHaveLength(1);
	});

	it('retries after a 500 and waits as long as a 429 Retry-After says', async () => {
		fault = { kind: 'status', status: 500, times: 1 };
		const page = await context.newPage();
		await page.goto(`${partnerUrl()}/?subject=server-error`);
		await accept(page);
		expect(await until(rows, (r) => r.length === 1)).toHaveLength(1);

		// One page at a time: a second page's frame would push the same record without the 429.
		await page.close();
		fault = { kind: 'status', status: 429, headers: { 'Retry-After': '3' }, times: 1 };
		posts = [];
		const second = await context.newPage();
		await second.goto(`${partnerUrl()}/?subject=rate-limited`);
		await accept(second);
		const stored = await until(rows, (r) => r.length === 2);
		expect(stored.map((r) => r.subject).sort()).toEqual(['rate-limited', 'server-error']);
		const tries = posts.filter((p) => p.ids.length > 0);
		expect(tries.length).toBeGreaterThanOrEqual(2);
		expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(2900);
	});

	it('keeps a refused record out of the backend and reports why, while the rest go through', async () => {
		fault = { kind: 'reject-second', times: 1 };
		const page = await context.newPage();
		await page.goto(
			`${partnerUrl()}/?subject=two-statements&statements=customer-data-sharing,partner-association`
		);
		const frame = await frameOf(page);
		await frame.getByRole('checkbox').check();
		await frame.getByRole('button', { name: 'Confirm' }).click();
		const seen = await until(
			() => events(page),
			(e) => e.some((x) => x.name === 'assent:error')
		);
		const error = seen.find((x) => x.name === 'assent:error')!.detail as {
			code: string;
			message: string;
		};
		expect(error.code).toBe('sync/rejected');
		expect(error.message).toContain('Subject unknown to the partner.');
		const stored = await until(rows, (r) => r.length === 1);
		const accepted = seen.filter((x) => x.name === 'assent:accept');
		expect(accepted).toHaveLength(2);
		const [first, refused] = accepted.map(
			(x) => (x.detail as { record: { id: string } }).record.id
		);
		expect(stored.map((r) => r.id)).toEqual([first]);
		// Sent once and never again.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(posts.filter((p) => p.ids.includes(refused!))).toHaveLength(1);
		expect(await rows()).toHaveLength(1);
	});

	it('stores the records of two tabs once each, in one chain', async () => {
		const [one, two] = [await context.newPage(), await context.newPage()];
		await Promise.all([
			one.goto(`${partnerUrl()}/?subject=tab-1`),
			two.goto(`${partnerUrl()}/?subject=tab-2`)
		]);
		await Promise.all([accept(one), accept(two)]);
		const stored = await until(rows, (r) => r.length === 2);
		expect(stored.map((r) => r.subject).sort()).toEqual(['tab-1', 'tab-2']);
		const chain = (
			await database.query("select record from assent_records order by (record->>'seq')::int")
		).rows.map((r) => (typeof r.record === 'string' ? JSON.parse(r.record) : r.record)) as {
			seq: number;
			prev: string | null;
			digest: string;
		}[];
		expect(chain.map((r) => r.seq)).toEqual([1, 2]);
		expect(chain[1]!.prev).toBe(chain[0]!.digest);
	});

	it('delivers on the next visit a record confirmed just before the tab closed', async () => {
		fault = { kind: 'unreachable' };
		const page = await context.newPage();
		await page.goto(`${partnerUrl()}/?subject=closed-tab`);
		await accept(page);
		await page.close();
		expect(await rows()).toEqual([]);
		fault = { kind: 'none' };
		const next = await context.newPage();
		await next.goto(`${partnerUrl()}/?subject=closed-tab`);
		const stored = await until(rows, (r) => r.length === 1);
		expect(stored).toEqual([{ id: expect.any(String), subject: 'closed-tab' }]);
	});

	it('names the origin a backend does not allow, keeps the records pending and retries slowly', async () => {
		// A second receiver that lists the statements site only: the inline widget sends from the
		// partner's origin, which its CORS answers leave out.
		const strict = createReceiver({
			database,
			site: inject('siteDir'),
			origins: [siteUrl()],
			// The widget sends no subject token here: records are accepted, marked unverified.
			subjects: 'unverified',
			log: () => {}
		});
		await strict.ready;
		const seen: string[] = [];
		const backend = await listen((req, res) => {
			seen.push(req.method ?? '');
			strict.handle(req, res);
		});
		try {
			const page = await context.newPage();
			const sync = `http://127.0.0.1:${backend.port}/acceptances`;
			await page.goto(
				`${partnerUrl()}/?subject=cors-1&embed=inline&sync=${encodeURIComponent(sync)}`
			);
			await page.locator('assent-consent').getByRole('checkbox').check();
			await page.locator('assent-consent').getByRole('button', { name: 'Confirm' }).click();
			await page.locator('assent-consent').getByText('Saved in this browser.').waitFor();
			const reported = await until(
				() => events(page),
				(e) => e.some((x) => x.name === 'assent:error')
			);
			expect(reported.filter((x) => x.name === 'assent:error')).toEqual([
				{
					name: 'assent:error',
					detail: {
						code: 'sync/cors',
						message: expect.stringContaining(
							`The sync backend at ${sync} does not allow requests from origin ${partnerUrl()}: add ${partnerUrl()} to its allowed origins`
						)
					}
				}
			]);
			// Slowly: no second try within seconds, as there would be after a network error.
			const attempts = seen.filter((m) => m === 'OPTIONS' || m === 'POST').length;
			await new Promise((resolve) => setTimeout(resolve, 4000));
			expect(seen.filter((m) => m === 'OPTIONS' || m === 'POST')).toHaveLength(attempts);
			expect(await rows()).toEqual([]);
			const status = await page.evaluate(() => document.querySelector('assent-consent')!.status());
			expect(status).toMatchObject({ pending: 1 });
		} finally {
			await backend.close();
			await strict.close();
		}
	});
});
