/**
 * The embeddable widget in Chromium, across sites: the built `/widget/assent.js` served by the
 * statements site on statements.test, loaded by partner pages on partner.test (an allowed origin
 * of harbor-books in the test build) and evil.test (allowed for nobody). What is checked is what
 * the customer sees in the widget and what the host page receives.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RequestListener, ServerResponse } from 'node:http';
import type { Browser, BrowserContext, Frame, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { verifyChain } from '../../src/lib/core/chain';
import type { AcceptanceRecord } from '../../src/lib/core/record';
import { sampleAct } from '../../src/lib/core/record-fixtures';
import { seedRecords } from '../fixtures/stored-records';
import { launchBrowser, untilClickable, widgetFrame } from './browser';
import { serveSite, type RunningServer } from './server';

interface HostEvent {
	name: string;
	detail: {
		record?: {
			id: string;
			action: string;
			subject: string;
			partner: string | null;
			statement: { id: string; version: string; locale: string };
			presentation: { embed: string; origin: string; label: string };
		};
		code?: string;
		message?: string;
	};
}

interface Served {
	body: string;
	headers?: Record<string, string>;
	/** Answers the request itself instead (a page streamed in parts). */
	respond?: RequestListener;
}

let browser: Browser;
let site: RunningServer;
let partner: RunningServer;
/** The pages the partner server answers, by path; each test writes its own. */
const pages = new Map<string, Served>();
const bootstrapCss = readFileSync(resolve('node_modules/bootstrap/dist/css/bootstrap.min.css'));

const siteUrl = () => `http://statements.test:${site.port}`;
const partnerPort = () => inject('partnerPort');
const partnerUrl = () => `http://partner.test:${partnerPort()}`;
/** The same server under a name that no partner lists among its origins. */
const evilUrl = () => `http://evil.test:${partnerPort()}`;
/** The same server as a shop of the publisher's own: in site.yaml `origins`, no partner's. */
const shopUrl = () => `http://shop.test:${partnerPort()}`;

/** The day the customer is on, unless a test moves the clock. */
const TODAY = new Date('2026-11-24T12:00:00.000Z');

const EVENT_NAMES = [
	'assent:ready',
	'assent:accept',
	'assent:decline',
	'assent:associate',
	'assent:disassociate',
	'assent:sync',
	'assent:error'
];

/**
 * A partner page embedding one widget. `element` is the `<assent-consent>` markup; the page
 * keeps every widget event (and every CSP violation) it sees in `window.events`.
 */
function partnerPage(options: {
	element: string;
	head?: string;
	nonce?: string;
	/**
	 * Places the widget in a box of this width at a fixed place, so pages with different CSS can
	 * be compared pixel for pixel (inline `!important` wins over any stylesheet).
	 */
	width?: number;
}): string {
	const nonce = options.nonce ? ` nonce="${options.nonce}"` : '';
	const widget = options.width
		? `<div id="box" style="display:block !important;position:absolute !important;top:120px !important;left:24px !important;width:${options.width}px !important;margin:0 !important;padding:0 !important">${options.element}</div>`
		: options.element;
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbor Books</title>
<script${nonce}>
  window.events = [];
  window.violations = [];
  for (const name of ${JSON.stringify(EVENT_NAMES)}) {
    document.addEventListener(name, (e) => window.events.push({ name, detail: e.detail }));
  }
  document.addEventListener('securitypolicyviolation', (e) =>
    window.violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample })
  );
</script>
${options.head ?? ''}
<script type="module" src="${siteUrl()}/widget/assent.js"></script></head><body>
<h1>Harbor Books</h1>
<p>Your account</p>
${widget}
<p>Footer</p>
</body></html>`;
}

/** Serves `page` at `path` on the partner server and returns its address on `origin`. */
function serve(path: string, page: Served, origin = partnerUrl()): string {
	pages.set(path, page);
	return `${origin}${path}`;
}

const frameOf = (page: Page): Promise<Frame> => widgetFrame(page, { settled: true });

const events = (page: Page) =>
	page.evaluate(() => (window as unknown as { events: HostEvent[] }).events);

async function eventOf(page: Page, name: string): Promise<HostEvent> {
	await page.waitForFunction(
		(n) => (window as unknown as { events: HostEvent[] }).events.some((e) => e.name === n),
		name
	);
	return (await events(page)).find((e) => e.name === name)!;
}

/** The records this browser holds for the element's subject, through the element's JS API. */
const records = (page: Page) =>
	page.evaluate(() => document.querySelector('assent-consent')!.records()) as Promise<
		NonNullable<HostEvent['detail']['record']>[]
	>;

/** What a call of the element's JS API ends in: 'answered', or the code of its error. */
const apiFailure = (page: Page, method: 'status' | 'records') =>
	page.evaluate(
		(name) =>
			document
				.querySelector('assent-consent')!
				[name]()
				.then(
					() => 'answered',
					(error: Error & { code?: string }) => error.code
				),
		method
	);

async function accept(frame: Frame | Page): Promise<void> {
	await untilClickable(frame);
	await frame.getByRole('checkbox').check();
	await frame.getByRole('button', { name: 'Confirm' }).click();
	await frame.getByText('Saved in this browser.').waitFor();
}

const element = (attributes: Record<string, string>) =>
	`<assent-consent ${Object.entries(attributes)
		.map(([name, value]) => `${name}="${value}"`)
		.join(' ')}></assent-consent>`;

const sharing = (attributes: Record<string, string> = {}) =>
	element({
		statement: 'customer-data-sharing',
		subject: 'shopper-1',
		mode: 'accept',
		...attributes
	});

const association = (attributes: Record<string, string> = {}) =>
	element({
		statement: 'partner-association',
		partner: 'harbor-books',
		subject: 'reader-7',
		mode: 'associate',
		...attributes
	});

beforeAll(async () => {
	site = await serveSite(inject('siteDir'));
	partner = await new Promise<RunningServer>((done, fail) => {
		// The port was promised to the build as an allowed origin: partner pages must use it.
		import('node:http')
			.then(({ createServer }) => {
				const server = createServer((req, res) => {
					const url = new URL(req.url ?? '/', 'http://partner');
					if (url.pathname === '/bootstrap.min.css') {
						res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8' });
						return res.end(bootstrapCss);
					}
					const page = pages.get(url.pathname);
					if (!page) {
						res.writeHead(404, { 'Content-Type': 'text/plain' });
						return res.end('Not found');
					}
					if (page.respond) return page.respond(req, res);
					res.writeHead(200, {
						'Content-Type': 'text/html; charset=utf-8',
						'Cache-Control': 'no-store',
						...page.headers
					});
					res.end(page.body);
				});
				server.once('error', fail);
				server.listen(partnerPort(), '127.0.0.1', () =>
					done({
						url: `http://127.0.0.1:${partnerPort()}`,
						port: partnerPort(),
						close: () =>
							new Promise<void>((closed) => {
								server.closeAllConnections();
								server.close(() => closed());
							})
					})
				);
			})
			.catch(fail);
	});
	browser = await launchBrowser({
		args: [
			'--host-resolver-rules=MAP *.test 127.0.0.1',
			`--unsafely-treat-insecure-origin-as-secure=${siteUrl()},${partnerUrl()},${evilUrl()},${shopUrl()}`
		]
	});
});

afterAll(async () => {
	await browser?.close();
	await Promise.all([site?.close(), partner?.close()]);
});

let context: BrowserContext;
beforeEach(async () => {
	pages.clear();
	await context?.close();
	context = await browser.newContext({ viewport: { width: 800, height: 900 } });
	await context.clock.setFixedTime(TODAY);
});

describe('the widget on a partner page', () => {
	it('shows the version in force and confirms only after the box is ticked', async () => {
		const page = await context.newPage();
		const frameLoads: string[] = [];
		page.on('request', (request) => {
			if (new URL(request.url()).pathname.startsWith('/embed/') && request.isNavigationRequest())
				frameLoads.push(request.url());
		});
		await page.goto(serve('/accept', { body: partnerPage({ element: sharing() }) }));
		const frame = await frameOf(page);
		// One frame for the element, however many attributes it was upgraded with.
		expect(frameLoads).toHaveLength(1);
		await frame
			.getByRole('heading', { name: 'Statement on Sharing Customer Data with Partners' })
			.waitFor();
		await frame.getByText('Version 1.0, in force since March 17, 2025').waitFor();
		// The announced minor update is mentioned, not asked for.
		await frame
			.getByText('Version 1.1 is announced and comes into force on February 1, 2027.')
			.waitFor();
		const label = 'I have read and agreed to the Statement on Sharing Customer Data with Partners';
		const box = frame.getByRole('checkbox', { name: label });
		const confirm = frame.getByRole('button', { name: 'Confirm' });
		expect(await box.isChecked()).toBe(false);
		expect(await confirm.isDisabled()).toBe(true);
		await box.check();
		expect(await confirm.isEnabled()).toBe(true);
		await confirm.click();
		await frame.getByText('Saved in this browser.').waitFor();

		const { record } = (await eventOf(page, 'assent:accept')).detail;
		expect(record).toMatchObject({
			action: 'accept',
			subject: 'shopper-1',
			statement: { id: 'customer-data-sharing', version: '1.0', locale: 'en' },
			presentation: { embed: 'iframe', origin: partnerUrl(), label }
		});
		expect((await records(page)).map((r) => r.statement.version)).toEqual(['1.0']);
		// Answered: the form is gone and the widget says what was agreed to, and when.
		await frame.getByText('You agreed to version 1.0 on November 24, 2026.').waitFor();
		expect(await frame.getByRole('checkbox').count()).toBe(0);

		// Another customer signs in on the same page: the widget asks them, not the first one.
		const status = await page.evaluate(() => {
			const widget = document.querySelector('assent-consent')!;
			widget.setAttribute('subject', 'shopper-2');
			return widget.status();
		});
		expect(status).toMatchObject({
			statements: [{ id: 'customer-data-sharing', inForce: '1.0', needed: true }]
		});
		const next = await frameOf(page);
		await next.getByRole('checkbox', { name: label }).waitFor();
		expect(await records(page)).toEqual([]);
		expect(frameLoads).toHaveLength(2);
	});

	it('associates with the partner and still shows the association after a reload', async () => {
		const page = await context.newPage();
		await page.goto(serve('/associate', { body: partnerPage({ element: association() }) }));
		let frame = await frameOf(page);
		await frame
			.getByText(
				'Associating your account with Harbor Books lets Example Cloud Ltd. share the data described in the statement below with Harbor Books.'
			)
			.waitFor();
		await frame.getByRole('checkbox').check();
		await frame.getByRole('button', { name: 'Associate with Harbor Books' }).click();
		const shown =
			'Your account is associated with Harbor Books since November 24, 2026 (statement version 2.0).';
		await frame.getByText(shown).waitFor();
		const { record } = (await eventOf(page, 'assent:associate')).detail;
		expect(record).toMatchObject({
			action: 'associate',
			subject: 'reader-7',
			partner: 'harbor-books',
			statement: { id: 'partner-association', version: '2.0' },
			presentation: { embed: 'iframe', origin: partnerUrl() }
		});

		await page.reload();
		frame = await frameOf(page);
		await frame.getByText(shown).waitFor();
		await frame.getByRole('button', { name: 'Disassociate' }).waitFor();
		expect(await frame.getByRole('checkbox').count()).toBe(0);
		expect((await records(page)).map((r) => r.action)).toEqual(['associate']);
		const ready = await eventOf(page, 'assent:ready');
		expect(ready.detail).toEqual({
			statements: [{ id: 'partner-association', version: '2.0', needed: false }]
		});
	});

	it('asks again after a material update came into force, and shows what changed', async () => {
		await context.clock.setFixedTime(new Date('2026-05-20T12:00:00.000Z'));
		const page = await context.newPage();
		const url = serve('/material', {
			body: partnerPage({ element: element({ statement: 'partner-association', subject: 'm-1' }) })
		});
		await page.goto(url);
		let frame = await frameOf(page);
		await frame.getByText('Version 1.1, in force since September 15, 2025').waitFor();
		await frame
			.getByText('Version 2.0 is announced and comes into force on June 1, 2026.')
			.waitFor();
		await accept(frame);
		expect((await eventOf(page, 'assent:accept')).detail.record!.statement.version).toBe('1.1');

		await context.clock.setFixedTime(new Date('2026-06-02T09:00:00.000Z'));
		await page.reload();
		frame = await frameOf(page);
		await frame.getByText('Version 2.0, in force since June 1, 2026').waitFor();
		const changes = frame.locator('[part=changes]');
		await changes
			.getByRole('heading', {
				name: 'The Statement for Account Association with a Partner has changed'
			})
			.waitFor();
		await changes
			.getByText('You agreed to version 1.1. Version 2.0 is now in force with a material change:')
			.waitFor();
		await changes.getByText(/Partners now also receive the delivery region/).waitFor();
		await changes.getByText('Show what changed').click();
		await changes.locator('ins').first().waitFor();
		expect(await changes.locator('ins').count()).toBeGreaterThan(0);
		// The same comparison as the site's: the changed table cell marked inside a table.
		const row = changes.locator('tr', { hasText: 'Order details' });
		await expect(row.locator('td del').innerText()).resolves.toContain('24');
		expect(await changes.innerText()).not.toContain('|');
		expect(await frame.getByRole('checkbox').isChecked()).toBe(false);
		const ready = (await events(page)).find((e) => e.name === 'assent:ready')!;
		expect(ready.detail).toEqual({
			statements: [{ id: 'partner-association', version: '2.0', needed: true }]
		});

		await accept(frame);
		expect(
			(await events(page))
				.filter((e) => e.name === 'assent:accept')
				.map((e) => e.detail.record!.statement.version)
		).toEqual(['2.0']);
		expect(await frame.locator('[part=changes]').count()).toBe(0);
	});

	it('does not ask again after a minor update', async () => {
		const page = await context.newPage();
		await page.goto(
			serve('/minor', { body: partnerPage({ element: sharing({ subject: 'n-1' }) }) })
		);
		let frame = await frameOf(page);
		await accept(frame);

		await context.clock.setFixedTime(new Date('2027-03-01T12:00:00.000Z'));
		await page.reload();
		frame = await frameOf(page);
		await frame.getByText('Version 1.1, in force since February 1, 2027').waitFor();
		await frame.getByText('You agreed to version 1.0 on November 24, 2026.').waitFor();
		expect(await frame.getByRole('checkbox').count()).toBe(0);
		expect(await frame.locator('[part=changes]').count()).toBe(0);
		const ready = (await events(page)).find((e) => e.name === 'assent:ready')!;
		expect(ready.detail).toEqual({
			statements: [{ id: 'customer-data-sharing', version: '1.1', needed: false }]
		});
	});

	it('disassociates only after the customer confirms', async () => {
		const page = await context.newPage();
		await page.goto(
			serve('/disassociate', {
				body: partnerPage({ element: association({ subject: 'd-1' }) })
			})
		);
		const frame = await frameOf(page);
		await frame.getByRole('checkbox').check();
		await frame.getByRole('button', { name: 'Associate with Harbor Books' }).click();
		await frame.getByRole('button', { name: 'Disassociate' }).click();
		const question =
			'End the association with Harbor Books? Harbor Books will no longer receive data about your account from now on.';
		await frame.getByText(question).waitFor();
		// Cancel keeps the association.
		await frame.getByRole('button', { name: 'Cancel' }).click();
		expect(await frame.getByText(question).count()).toBe(0);
		await frame.getByRole('button', { name: 'Disassociate' }).click();
		expect((await events(page)).some((e) => e.name === 'assent:disassociate')).toBe(false);

		await frame.getByRole('button', { name: 'Yes, disassociate' }).click();
		const { record } = (await eventOf(page, 'assent:disassociate')).detail;
		expect(record).toMatchObject({
			action: 'disassociate',
			subject: 'd-1',
			partner: 'harbor-books',
			presentation: { label: 'Yes, disassociate' }
		});
		await frame.getByText('The association with Harbor Books has ended.').waitFor();
		await frame.getByText('Your account is not associated with Harbor Books.').waitFor();
		await frame.getByRole('button', { name: 'Associate with Harbor Books' }).waitFor();
		expect(await frame.getByRole('button', { name: 'Disassociate' }).count()).toBe(0);
		expect((await records(page)).map((r) => r.action)).toEqual(['associate', 'disassociate']);
		const status = await page.evaluate(() => document.querySelector('assent-consent')!.status());
		expect(status).toMatchObject({ associated: false });
	});

	it('records nothing for messages the host page forges', async () => {
		const page = await context.newPage();
		await page.goto(
			serve('/forged', { body: partnerPage({ element: sharing({ subject: 'f-1' }) }) })
		);
		const frame = await frameOf(page);
		await page.evaluate((siteOrigin) => {
			const iframe = document.querySelector('assent-consent')!.shadowRoot!.querySelector('iframe')!;
			const target = iframe.contentWindow!;
			const statement = { id: 'customer-data-sharing', version: '1.0', locale: 'en' };
			for (const type of ['accept', 'confirm', 'associate', 'record', 'append']) {
				target.postMessage(
					{ protocol: 'assent/1', type, action: 'accept', subject: 'f-1', statement },
					siteOrigin
				);
			}
			// A second init tries to change the subject; a call asks for a sync.
			target.postMessage(
				{ protocol: 'assent/1', type: 'init', settings: { subject: 'someone-else' } },
				siteOrigin
			);
			target.postMessage({ protocol: 'assent/1', type: 'call', id: 'x', call: 'sync' }, siteOrigin);
			// Forged frame events posted to the host page itself.
			window.postMessage(
				{
					protocol: 'assent/1',
					type: 'event',
					name: 'assent:accept',
					detail: { record: { id: 'forged', statement } }
				},
				'*'
			);
		}, siteUrl());
		await page.waitForTimeout(500);
		expect((await events(page)).map((e) => e.name)).toEqual(['assent:ready']);
		expect(await records(page)).toEqual([]);
		expect(await frame.getByRole('checkbox').isChecked()).toBe(false);
		expect(await frame.getByRole('button', { name: 'Confirm' }).isDisabled()).toBe(true);
		expect(await frame.getByText('Saved in this browser.').count()).toBe(0);
		// The frame's document is out of the host's reach.
		expect(
			await page.evaluate(
				() =>
					document.querySelector('assent-consent')!.shadowRoot!.querySelector('iframe')!
						.contentDocument
			)
		).toBeNull();
	});

	it('takes accept mode on an origin of the site, and refuses it on an origin nobody listed', async () => {
		const shop = await context.newPage();
		await shop.goto(
			serve('/shop', { body: partnerPage({ element: sharing({ subject: 's-1' }) }) }, shopUrl())
		);
		await accept(await frameOf(shop));
		expect((await eventOf(shop, 'assent:accept')).detail.record!.presentation.origin).toBe(
			shopUrl()
		);

		for (const embed of ['iframe', 'inline']) {
			const page = await context.newPage();
			await page.goto(
				serve(
					`/evil-accept-${embed}`,
					{ body: partnerPage({ element: sharing({ subject: 'e-2', embed }) }) },
					evilUrl()
				)
			);
			const error = await eventOf(page, 'assent:error');
			// The browser refuses the frame (frame-ancestors), or the inline widget refuses itself.
			expect(error.detail.code).toBe(embed === 'iframe' ? 'widget/unreachable' : 'widget/origin');
			if (embed === 'inline') {
				expect(error.detail.message).toContain(`Add ${evilUrl()} to "origins" in site.yaml`);
				expect(await page.locator('assent-consent').getByRole('checkbox').count()).toBe(0);
			}
			await page.waitForTimeout(300);
			expect((await events(page)).map((e) => e.name)).toEqual(['assent:error']);
			const databases = await page.evaluate(async () =>
				(await indexedDB.databases()).map((d) => d.name)
			);
			expect(databases).toEqual([]);
			await page.close();
		}
	});

	it('refuses to associate on a page whose origin the partner did not list', async () => {
		const page = await context.newPage();
		await page.goto(
			serve('/evil', { body: partnerPage({ element: association({ subject: 'e-1' }) }) }, evilUrl())
		);
		// The site lets only its partners' origins frame /embed/ (frame-ancestors, README
		// "Framing"): the browser refuses the frame, so the widget never shows there.
		const frame = (await (await page.waitForSelector('assent-consent iframe')).contentFrame())!;
		await frame.waitForLoadState();
		expect(frame.url()).toMatch(/^chrome-error:/);
		expect(await frame.getByRole('checkbox').count()).toBe(0);
		expect(await frame.getByRole('button').count()).toBe(0);
		const error = await eventOf(page, 'assent:error');
		expect(error.detail.code).toBe('widget/unreachable');
		expect((await events(page)).map((e) => e.name)).toEqual(['assent:error']);
		// Nothing was stored on the page's origin either.
		const databases = await page.evaluate(async () =>
			(await indexedDB.databases()).map((d) => d.name)
		);
		expect(databases).not.toContain('assent-relay');
		// The partner's code asking the element is told it failed, instead of waiting forever.
		const answer = await apiFailure(page, 'status');
		expect(answer).toBe('widget/unreachable');
	});

	it('tells the partner’s developer what is wrong, records nothing, and fails API calls', async () => {
		const cases = [
			{
				element: sharing({ statement: 'no-such-statement' }),
				code: 'widget/unknown-statement',
				text: 'no-such-statement'
			},
			{
				element: association({ subject: '' }),
				code: 'widget/attribute',
				text: 'mode="associate" needs a subject attribute'
			},
			{
				element: sharing({ mode: 'sign' }),
				code: 'widget/attribute',
				text: 'The mode attribute must be "accept" or "associate"'
			},
			{
				element: sharing({ subject: 'x'.repeat(513) }),
				code: 'widget/attribute',
				text: 'records hold at most 512'
			},
			{
				element: sharing({ subject: 'a&#1;b' }),
				code: 'widget/attribute',
				text: 'control character U+0001'
			}
		];
		for (const [index, problem] of cases.entries()) {
			const page = await context.newPage();
			await page.goto(
				serve(`/problem-${index}`, { body: partnerPage({ element: problem.element }) })
			);
			const error = await eventOf(page, 'assent:error');
			expect(error.detail.code).toBe(problem.code);
			expect(error.detail.message).toContain(problem.text);
			// Shown where the widget would be: by the loader, or inside the frame.
			const frame = await page.$('assent-consent iframe');
			const shown = frame ? (await frame.contentFrame())! : page;
			await shown.getByRole('alert').getByText(problem.text).first().waitFor();
			expect(await shown.getByRole('checkbox').count()).toBe(0);
			const answer = await apiFailure(page, 'status');
			expect(answer).toBe(problem.code);
			expect(
				(await events(page)).filter((e) => e.name !== 'assent:error' && e.name !== 'assent:ready')
			).toEqual([]);
			await page.close();
		}
	});

	it('tells a listener added right after the element about a wrong attribute, and keeps it in element.error', async () => {
		// The loader is already defined when the parser meets the element (as on a page that loaded
		// it earlier, or streams its markup): the script after the element must still hear of it.
		let held: ServerResponse | undefined;
		serve('/late-defined', {
			body: '',
			respond: (_req, res) => {
				res.writeHead(204).end();
				held?.end(`${association({ subject: '' })}
<script>
  window.heard = [];
  const widget = document.querySelector('assent-consent');
  widget.addEventListener('assent:error', (e) => window.heard.push(e.detail));
  window.errorAtFirst = widget.error;
</script></body></html>`);
			}
		});
		const url = serve('/streamed', {
			body: '',
			respond: (_req, res) => {
				held = res;
				res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
				res.write(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbor Books</title></head><body>
<script>import('${siteUrl()}/widget/assent.js').then(() => fetch('/late-defined'));</script>
${' '.repeat(2048)}`);
			}
		});
		const page = await context.newPage();
		await page.goto(url);
		await page.waitForFunction(() => (window as unknown as { heard?: unknown[] }).heard?.length);
		const heard = await page.evaluate(() => (window as unknown as { heard: unknown[] }).heard);
		expect(heard).toEqual([
			{ code: 'widget/attribute', message: expect.stringContaining('needs a subject attribute') }
		]);
		const error = await page.evaluate(() => ({
			atFirst: (window as unknown as { errorAtFirst: unknown }).errorAtFirst,
			now: document.querySelector('assent-consent')!.error
		}));
		expect(error.now).toEqual(heard[0]);
		// The element had already checked its attributes when the script ran.
		expect(error.atFirst).toEqual(heard[0]);
		// Fixed attributes clear it.
		const cleared = await page.evaluate(async () => {
			const widget = document.querySelector('assent-consent')!;
			widget.setAttribute('subject', 'reader-7');
			await new Promise((resolve) => setTimeout(resolve, 0));
			return widget.error;
		});
		expect(cleared).toBeNull();
	});

	it('rejects a call of a widget removed before it answered with a code', async () => {
		const page = await context.newPage();
		await page.goto(serve('/removed', { body: partnerPage({ element: sharing() }) }));
		await frameOf(page);
		const code = await page.evaluate(() => {
			const widget = document.querySelector('assent-consent')!;
			const answer = widget.status().then(
				() => 'answered',
				(error: Error & { code?: string }) => error.code
			);
			widget.remove();
			return answer;
		});
		expect(code).toBe('channel/closed');
	});

	it('says so when the statements site cannot be reached', async () => {
		await context.clock.install({ time: TODAY });
		const page = await context.newPage();
		// Nothing listens on port 9 of the loopback address.
		await page.goto(
			serve('/offline', {
				body: partnerPage({ element: sharing({ base: 'http://127.0.0.1:9' }) })
			})
		);
		await page.waitForSelector('assent-consent iframe', { state: 'attached' });
		await page.clock.runFor(21_000);
		const error = await eventOf(page, 'assent:error');
		expect(error.detail.code).toBe('widget/unreachable');
		expect(error.detail.message).toContain('http://127.0.0.1:9 did not answer');
		await page.getByRole('alert').getByText('did not answer').waitFor();
		const answer = await apiFailure(page, 'records');
		expect(answer).toBe('widget/unreachable');
	});

	it('keeps records in the host page when the frame gets no storage, and in the frame when it does', async () => {
		const databases = (frame: Frame | Page) =>
			frame.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
		// This Chromium refuses storage to cross-site frames: the records live on the partner's
		// origin, written through the loader, while the frame still takes the click.
		const page = await context.newPage();
		await page.goto(serve('/blocked', { body: partnerPage({ element: sharing() }) }));
		await accept(await frameOf(page));
		expect(await databases(page)).toContain('assent-relay');
		expect(await records(page)).toHaveLength(1);

		// A browser that partitions third-party storage instead gives the frame its own database,
		// keyed to this partner site; the partner page holds nothing.
		const partitioned = await launchBrowser({
			args: [
				'--host-resolver-rules=MAP *.test 127.0.0.1',
				`--unsafely-treat-insecure-origin-as-secure=${siteUrl()},${partnerUrl()}`,
				'--disable-features=TrackingProtection3pcd'
			]
		});
		try {
			const other = await (await partitioned.newContext()).newPage();
			await other.goto(serve('/partitioned', { body: partnerPage({ element: sharing() }) }));
			const frame = await frameOf(other);
			await accept(frame);
			expect(await databases(other)).not.toContain('assent-relay');
			expect(await databases(frame)).toContain('assent');
			const saved = await records(other);
			expect(saved).toHaveLength(1);
			expect(saved[0]!.presentation.origin).toBe(partnerUrl());
		} finally {
			await partitioned.close();
		}
	});

	it("keeps the records of a partner page's earlier relay database and chains onto them, while a tab of that release is open", async () => {
		const other = { ...sampleAct().statement, id: 'partner-association' };
		// A tab of the partner site still running the previous release's host-store.js: its
		// `assent-relay` database at version 2 (records indexed by seq and subject), open, letting
		// go when another version asks, as every release's store does.
		const earlier = await context.newPage();
		await earlier.goto(serve('/earlier', { body: '<!doctype html><title>Shop</title>' }));
		await earlier.evaluate(
			() =>
				new Promise<void>((resolve, reject) => {
					const request = indexedDB.open('assent-relay', 2);
					request.onupgradeneeded = () => {
						const records = request.result.createObjectStore('records', { keyPath: 'id' });
						records.createIndex('seq', 'seq', { unique: true });
						records.createIndex('subject', 'subject');
						request.result
							.createObjectStore('outbox', { keyPath: 'id' })
							.createIndex('state', ['state', 'seq']);
					};
					request.onerror = () => reject(request.error);
					request.onsuccess = () => {
						const db = request.result;
						const w = window as unknown as { held: IDBDatabase; letGo: boolean };
						w.held = db;
						w.letGo = false;
						db.onversionchange = () => {
							db.close();
							w.letGo = true;
						};
						resolve();
					};
				})
		);
		// Its history: shopper-1's answers to another statement, other customers' to this one.
		const head = await seedRecords(earlier, {
			count: 40,
			act: (i) =>
				i % 4 === 0
					? sampleAct({ subject: 'shopper-1', statement: other })
					: sampleAct({
							subject: `customer-${i}`,
							statement: { ...other, id: 'customer-data-sharing' }
						}),
			start: new Date('2026-06-01T00:00:00.000Z'),
			database: 'assent-relay'
		});

		const page = await context.newPage();
		await page.goto(serve('/upgraded', { body: partnerPage({ element: sharing() }) }));
		const frame = await frameOf(page);
		await accept(frame);
		const saved = (await eventOf(page, 'assent:accept')).detail.record!;
		expect(await earlier.evaluate(() => (window as unknown as { letGo: boolean }).letGo)).toBe(
			true
		);
		// The JS API answers shopper-1's records of this statement: the one just made.
		expect((await records(page)).map((r) => r.id)).toEqual([saved.id]);
		const stored = await page.evaluate(
			() =>
				new Promise<{ version: number; indexes: string[]; records: AcceptanceRecord[] }>(
					(resolve, reject) => {
						const request = indexedDB.open('assent-relay');
						request.onerror = () => reject(request.error);
						request.onsuccess = () => {
							const db = request.result;
							const store = db.transaction('records').objectStore('records');
							const all = store.index('seq').getAll();
							all.onsuccess = () => {
								resolve({
									version: db.version,
									indexes: [...store.indexNames],
									records: all.result as AcceptanceRecord[]
								});
								db.close();
							};
						};
					}
				)
		);
		expect(stored.version).toBe(3);
		expect(stored.indexes).toEqual(['seq', 'subject', 'subjectStatement']);
		expect(stored.records).toHaveLength(41);
		expect(stored.records.at(-1)).toMatchObject({ id: saved.id, seq: 41, prev: head!.digest });
		await expect(verifyChain({ records: stored.records })).resolves.toEqual({
			ok: true,
			count: 41
		});
	});

	it('looks the same under Bootstrap and under hostile global resets', async () => {
		const hostile = `<style>
  * { all: unset !important; font: 30px serif !important; color: red !important;
      line-height: 3 !important; letter-spacing: 4px !important; box-sizing: content-box !important;
      color-scheme: dark !important; filter: none !important; }
  iframe, assent-consent iframe { width: 10px !important; height: 10px !important;
      border: 9px solid red !important; display: none !important; }
  div > * > iframe { opacity: 0 !important; }
  section, label, input, button, p, h2 { display: none !important; }
  body { background: #222 !important; }
</style>`;
		const variants = {
			plain: '',
			bootstrap: `<link rel="stylesheet" href="/bootstrap.min.css">`,
			hostile
		};
		const shots: Record<string, { image: Buffer; box: { width: number; height: number } }> = {};
		for (const [name, head] of Object.entries(variants)) {
			const page = await context.newPage();
			await page.goto(
				serve(`/look-${name}`, {
					body: partnerPage({ element: sharing({ subject: 'look-1' }), head, width: 560 })
				})
			);
			const frame = await frameOf(page);
			await frame.getByRole('checkbox').waitFor();
			const iframe = page.locator('assent-consent iframe');
			// Browsers pause frames out of view: the frame sizes itself once it is seen.
			await iframe.scrollIntoViewIfNeeded();
			await expect
				.poll(() => iframe.evaluate((f: HTMLIFrameElement) => f.style.height), { timeout: 5000 })
				.not.toBe('');
			await page.waitForTimeout(300);
			const box = (await iframe.boundingBox())!;
			shots[name] = {
				image: await page.locator('assent-consent').screenshot(),
				box: { width: box.width, height: box.height }
			};
			await page.close();
		}
		expect(shots.bootstrap!.box).toEqual(shots.plain!.box);
		expect(shots.hostile!.box).toEqual(shots.plain!.box);
		expect(shots.plain!.box.width).toBe(560);
		expect(shots.bootstrap!.image.equals(shots.plain!.image)).toBe(true);
		expect(shots.hostile!.image.equals(shots.plain!.image)).toBe(true);
	});

	it('works on a page with a strict Content-Security-Policy', async () => {
		const nonce = 'r4nd0m-n0nce';
		const policy = [
			"default-src 'none'",
			`script-src 'nonce-${nonce}' ${siteUrl()}`,
			`frame-src ${siteUrl()}`,
			`connect-src ${siteUrl()}`,
			"style-src 'none'",
			"img-src 'none'",
			"base-uri 'none'",
			"form-action 'none'"
		].join('; ');
		const page = await context.newPage();
		const console: string[] = [];
		page.on('console', (message) => console.push(message.text()));
		await page.goto(
			serve('/csp', {
				body: partnerPage({ element: sharing({ subject: 'csp-1' }), nonce }),
				headers: { 'Content-Security-Policy': policy }
			})
		);
		const frame = await frameOf(page);
		await accept(frame);
		const { record } = (await eventOf(page, 'assent:accept')).detail;
		expect(record!.presentation.origin).toBe(partnerUrl());
		expect(await records(page)).toHaveLength(1);
		// The frame is laid out by the element's own styles, which the policy must not block.
		const iframe = page.locator('assent-consent iframe');
		const box = (await iframe.boundingBox())!;
		expect(box.height).toBeGreaterThan(100);
		expect(box.width).toBe((await page.locator('assent-consent').boundingBox())!.width);
		expect(await iframe.evaluate((f) => getComputedStyle(f).borderTopWidth)).toBe('0px');
		const violations = await page.evaluate(
			() => (window as unknown as { violations: unknown[] }).violations
		);
		expect(violations).toEqual([]);
		expect(console.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
	});

	it('works inline, styled, on a page whose policy allows no inline styles', async () => {
		const nonce = 'inl1ne-n0nce';
		const policy = [
			"default-src 'none'",
			`script-src 'nonce-${nonce}' ${siteUrl()}`,
			`connect-src ${siteUrl()}`,
			"style-src 'none'"
		].join('; ');
		const page = await context.newPage();
		const console: string[] = [];
		page.on('console', (message) => console.push(message.text()));
		await page.goto(
			serve('/csp-inline', {
				body: partnerPage({
					element: sharing({ subject: 'csp-2', embed: 'inline' }),
					nonce
				}),
				headers: { 'Content-Security-Policy': policy }
			})
		);
		const widget = page.locator('assent-consent [part=widget]');
		await widget.waitFor();
		// The UI's own stylesheet applies: the confirm button wears the accent colour, the text
		// scrolls in its bordered region.
		const confirm = page.locator('assent-consent [part=confirm]');
		expect(await confirm.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(
			'rgb(29, 78, 216)'
		);
		expect(
			await page
				.locator('assent-consent [part=text]')
				.evaluate((t) => getComputedStyle(t).overflowY)
		).toBe('auto');
		await accept(page);
		const { record } = (await eventOf(page, 'assent:accept')).detail;
		expect(record!.presentation.embed).toBe('inline');
		const violations = await page.evaluate(
			() => (window as unknown as { violations: unknown[] }).violations
		);
		expect(violations).toEqual([]);
		expect(console.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
	});

	it('keeps its text readable in light and dark colour schemes, on a narrow phone', async () => {
		for (const colorScheme of ['light', 'dark'] as const) {
			const phone = await browser.newContext({
				viewport: { width: 360, height: 740 },
				colorScheme
			});
			try {
				const page = await phone.newPage();
				await page.goto(
					serve(`/scheme-${colorScheme}`, { body: partnerPage({ element: sharing() }) })
				);
				const frame = await frameOf(page);
				// WCAG contrast of each part's text against the background it is drawn on.
				const ratios = await frame.evaluate(() => {
					const rgb = (value: string) =>
						value
							.match(/[\d.]+/g)!
							.slice(0, 4)
							.map(Number);
					const luminance = ([r, g, b]: number[]) =>
						[r!, g!, b!]
							.map((c) => c / 255)
							.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
							.reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i]!, 0);
					const background = (element: Element): number[] => {
						for (let e: Element | null = element; e; e = e.parentElement) {
							const color = rgb(getComputedStyle(e).backgroundColor);
							if (color[3] !== 0) return color;
						}
						return [255, 255, 255];
					};
					return ['[part=text] p', '[part=label]', '[part=widget] h2'].map((selector) => {
						const element = document.querySelector(selector)!;
						const [a, b] = [
							luminance(rgb(getComputedStyle(element).color)),
							luminance(background(element))
						].sort((x, y) => y - x);
						return { selector, ratio: (a! + 0.05) / (b! + 0.05) };
					});
				});
				for (const { selector, ratio } of ratios) {
					expect(ratio, `${colorScheme}: ${selector}`).toBeGreaterThanOrEqual(4.5);
				}
				// Nothing sticks out sideways on a narrow screen.
				expect(
					await frame.evaluate(() => document.documentElement.scrollWidth)
				).toBeLessThanOrEqual(await frame.evaluate(() => document.documentElement.clientWidth));
			} finally {
				await phone.close();
			}
		}
	});

	it('hands records to an adapter the partner page registers, with the subject token', async () => {
		const page = await context.newPage();
		const head = `<script type="module">
  import { registerAdapter } from '${siteUrl()}/widget/assent.js';
  window.pushed = [];
  registerAdapter({
    async push(records) {
      window.pushed.push(...records);
      return { accepted: records.map((r) => r.id), rejected: [] };
    }
  });
</script>`;
		await page.goto(
			serve('/adapter', {
				body: partnerPage({
					head,
					element: association({ subject: 'reader-9', 'subject-token': 'signed.by.harbor' })
				})
			})
		);
		const frame = await frameOf(page);
		await frame.getByRole('checkbox').check();
		await frame.getByRole('button', { name: 'Associate with Harbor Books' }).click();
		// "Received" only once the page's own adapter acknowledged the record.
		await frame.getByText('Saved and received by the service.').waitFor();
		const pushed = (await page.evaluate(
			() => (window as unknown as { pushed: unknown[] }).pushed
		)) as { id: string; subject: string; subjectToken?: string; action: string }[];
		const record = (await eventOf(page, 'assent:associate')).detail.record!;
		expect(pushed.map((r) => r.id)).toEqual([record.id]);
		expect(pushed[0]).toMatchObject({
			action: 'associate',
			subject: 'reader-9',
			subjectToken: 'signed.by.harbor'
		});
		expect((await eventOf(page, 'assent:sync')).detail).toEqual({ ids: [record.id] });
	});

	it('takes its full height below the fold, before it is scrolled into view', async () => {
		const page = await context.newPage();
		await page.goto(
			serve('/below', {
				body: partnerPage({
					element: `<div style="margin-top: 3000px">${sharing({ subject: 'deep-1' })}</div>`
				})
			})
		);
		await eventOf(page, 'assent:ready');
		const height = () =>
			page.locator('assent-consent iframe').evaluate((f) => f.getBoundingClientRect().height);
		await page.waitForFunction(
			() =>
				document
					.querySelector('assent-consent')!
					.shadowRoot!.querySelector('iframe')!
					.getBoundingClientRect().height > 400
		);
		expect(await height()).toBeGreaterThan(400);
		expect(await page.evaluate(() => window.scrollY)).toBe(0);
	});

	it('lets one tab of a partner site sync, though the frame may not take locks itself', async () => {
		const head = `<script type="module">
  import { registerAdapter } from '${siteUrl()}/widget/assent.js';
  registerAdapter({ push: async (records) => ({ accepted: records.map((r) => r.id), rejected: [] }) });
</script>`;
		const url = serve('/tabs', {
			body: partnerPage({ head, element: sharing({ subject: 'tabs-1' }) })
		});
		const syncState = (page: Page) =>
			page.evaluate(() =>
				document
					.querySelector('assent-consent')!
					.sync()
					.then((answer) => (answer as { status: string }).status)
			);
		const settled = async (pages: Page[], done: (states: string[]) => boolean) => {
			let states: string[] = [];
			for (let i = 0; i < 50; i++) {
				states = await Promise.all(pages.map(syncState));
				if (done(states)) break;
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			return states;
		};
		const first = await context.newPage();
		await first.goto(url);
		await frameOf(first);
		const second = await context.newPage();
		await second.goto(url);
		await frameOf(second);
		// The records live on the partner's origin (this browser gives the frames no storage),
		// and the partner page holds the one sync lock for them.
		const states = await settled([first, second], (s) => s.some((x) => x !== 'follower'));
		expect(states[0]).not.toBe('follower');
		expect(states[1]).toBe('follower');
		// When the leading tab closes, the other one takes over.
		await first.close();
		const after = await settled([second], (s) => s[0] !== 'follower');
		expect(after[0]).not.toBe('follower');
	});

	it('asks for the statement to be read to its end, and records a decline as such', async () => {
		const page = await context.newPage();
		await page.goto(
			serve('/scroll', {
				body: partnerPage({
					element: sharing({ subject: 'reader-s', 'require-scroll': '', 'allow-decline': '' })
				})
			})
		);
		const frame = await frameOf(page);
		const box = frame.getByRole('checkbox');
		expect(await box.isDisabled()).toBe(true);
		expect(await frame.getByText('Scroll to the end of the statement to continue.').count()).toBe(
			1
		);
		// The customer reads down the statement's scrolling region to its end.
		await frame.locator('[part=text]').evaluate((region) => {
			region.scrollTop = region.scrollHeight;
			region.dispatchEvent(new Event('scroll'));
		});
		await frame.waitForFunction(
			() => !(document.querySelector('[part=checkbox]') as HTMLInputElement).disabled
		);
		await frame.getByRole('button', { name: 'Decline' }).click();
		await frame.getByText('Your answer was saved: you declined.').waitFor();
		const { record } = (await eventOf(page, 'assent:decline')).detail;
		expect(record).toMatchObject({ action: 'decline', subject: 'reader-s' });
		expect(
			(record as unknown as { presentation: { scrolledToEnd?: boolean } }).presentation
		).toMatchObject({ scrolledToEnd: true });
		expect((await events(page)).filter((e) => e.name === 'assent:accept')).toEqual([]);
	});

	it('takes the partner’s theme through custom properties, in the frame and inline', async () => {
		const page = await context.newPage();
		const theme = '--assent-accent: rgb(200, 0, 100); --assent-radius: 2px';
		await page.goto(
			serve('/theme', {
				body: partnerPage({
					head: '<style>assent-consent::part(confirm) { outline: 3px solid rgb(0, 128, 0) }</style>',
					element: `${sharing({ subject: 'themed-1', style: theme })}${sharing({
						subject: 'themed-2',
						embed: 'inline',
						style: theme
					})}`
				})
			})
		);
		const frame = await frameOf(page);
		const framed = frame.locator('[part=confirm]');
		expect(await framed.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(
			'rgb(200, 0, 100)'
		);
		expect(await framed.evaluate((b) => getComputedStyle(b).borderTopLeftRadius)).toBe('2px');
		const inline = page.locator('assent-consent[embed=inline] [part=confirm]');
		await inline.waitFor();
		expect(await inline.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(
			'rgb(200, 0, 100)'
		);
		// Inline, the page can style the parts it is offered.
		expect(await inline.evaluate((b) => getComputedStyle(b).outlineColor)).toBe('rgb(0, 128, 0)');
	});

	it('is usable with the keyboard alone', async () => {
		const page = await context.newPage();
		await page.goto(
			serve('/keyboard', { body: partnerPage({ element: sharing({ subject: 'k-1' }) }) })
		);
		const frame = await frameOf(page);
		const focused = () =>
			frame.evaluate(() => {
				const active = document.activeElement;
				if (!document.hasFocus() || !active) return '';
				return active.getAttribute('type') === 'checkbox'
					? 'checkbox'
					: (active.getAttribute('part') ?? active.tagName.toLowerCase());
			});
		let steps = 0;
		while ((await focused()) !== 'checkbox' && steps++ < 10) await page.keyboard.press('Tab');
		expect(await focused()).toBe('checkbox');
		await page.keyboard.press('Space');
		expect(await frame.getByRole('checkbox').isChecked()).toBe(true);
		await page.keyboard.press('Tab');
		expect(await focused()).toBe('confirm');
		await page.keyboard.press('Enter');
		await frame.getByText('Saved in this browser.').waitFor();
		expect((await eventOf(page, 'assent:accept')).detail.record!.subject).toBe('k-1');
	});

	it('shows a widget for a locale written with an underscore, in <html lang> or the attribute', async () => {
		const bodies = {
			attribute: partnerPage({ element: sharing({ subject: 'l-1', locale: 'en_US' }) }),
			html: partnerPage({ element: sharing({ subject: 'l-2' }) }).replace(
				'<html lang="en">',
				'<html lang="en_US">'
			),
			chinese: partnerPage({ element: sharing({ subject: 'l-3', locale: 'zh_CN' }) })
		};
		for (const [name, body] of Object.entries(bodies)) {
			const page = await context.newPage();
			await page.goto(serve(`/locale-${name}`, { body }));
			const frame = await frameOf(page);
			if (name === 'chinese') {
				await frame.getByRole('button', { name: '确认' }).waitFor();
			} else {
				await frame.getByText('Version 1.0, in force since March 17, 2025').waitFor();
				await accept(frame);
				expect((await eventOf(page, 'assent:accept')).detail.record!.statement.locale).toBe('en');
			}
			expect((await events(page)).filter((e) => e.name === 'assent:error')).toEqual([]);
			await page.close();
		}
	});

	it('speaks one language for words and dates, and reports a locale that is no language tag', async () => {
		const page = await context.newPage();
		await page.goto(
			serve('/locale-de', {
				body: partnerPage({ element: sharing({ subject: 'l-4', locale: 'de' }) })
			})
		);
		const frame = await frameOf(page);
		// No German words: English words, and English dates beside them.
		await frame.getByText('Version 1.0, in force since March 17, 2025').waitFor();
		expect(await frame.getByText('17. März 2025').count()).toBe(0);
		await page.close();

		const bad = await context.newPage();
		await bad.goto(
			serve('/locale-bad', {
				body: partnerPage({ element: sharing({ subject: 'l-5', locale: 'not a tag!' }) })
			})
		);
		const shown = await frameOf(bad);
		const error = await eventOf(bad, 'assent:error');
		expect(error.detail).toMatchObject({
			code: 'widget/attribute',
			message: expect.stringContaining('locale "not a tag!" is not a language tag')
		});
		await shown.getByText('Version 1.0, in force since March 17, 2025').waitFor();
		await accept(shown);
		expect((await eventOf(bad, 'assent:accept')).detail.record!.subject).toBe('l-5');
	});

	it('speaks Chinese with locale="zh-CN"', async () => {
		const page = await context.newPage();
		await page.goto(
			serve('/zh', { body: partnerPage({ element: sharing({ subject: 'z-1', locale: 'zh-CN' }) }) })
		);
		const frame = await frameOf(page);
		await frame.getByRole('heading', { name: '关于与合作伙伴共享客户数据的声明' }).waitFor();
		const label = '我已阅读并同意《关于与合作伙伴共享客户数据的声明》';
		await frame.getByRole('checkbox', { name: label }).check();
		await frame.getByRole('button', { name: '确认' }).click();
		await frame.getByText('已保存在此浏览器中。').waitFor();
		const { record } = (await eventOf(page, 'assent:accept')).detail;
		expect(record).toMatchObject({
			statement: { id: 'customer-data-sharing', version: '1.0', locale: 'zh-CN' },
			presentation: { label }
		});
	});

	it('accepts inline in Shadow DOM, and only for the customer’s own click', async () => {
		const page = await context.newPage();
		let partnerLists = 0;
		page.on('request', (request) => {
			if (new URL(request.url()).pathname === '/partners.json') partnerLists++;
		});
		await page.goto(
			serve('/inline', {
				body: partnerPage({ element: sharing({ subject: 'i-1', embed: 'inline' }) })
			})
		);
		await page.locator('assent-consent [part=widget][aria-busy=false]').waitFor();
		expect(await page.locator('assent-consent iframe').count()).toBe(0);
		// Mounted once, however many attributes the element was upgraded with.
		expect(partnerLists).toBe(1);
		await page.getByText('Version 1.0, in force since March 17, 2025').waitFor();
		// A script of the host page ticks the box and clicks confirm: not the customer's act.
		await page.evaluate(() => {
			const root = document.querySelector('assent-consent')!.shadowRoot!;
			root.querySelector<HTMLInputElement>('input[type=checkbox]')!.click();
			root.querySelector<HTMLButtonElement>('button[part=confirm]')!.click();
		});
		await page.waitForTimeout(300);
		expect((await events(page)).some((e) => e.name === 'assent:accept')).toBe(false);
		expect(await records(page)).toEqual([]);

		await page.getByRole('checkbox').uncheck();
		await accept(page);
		const { record } = (await eventOf(page, 'assent:accept')).detail;
		expect(record).toMatchObject({
			subject: 'i-1',
			statement: { id: 'customer-data-sharing', version: '1.0' },
			presentation: { embed: 'inline', origin: partnerUrl() }
		});
		expect((await records(page)).map((r) => r.presentation.embed)).toEqual(['inline']);
	});
});

/**
 * Holds back the frame's scripts (`/widget/frame/`, not its stylesheets) until
 * `release()`: the frame then shows only its prerendered HTML, as before any script ran.
 */
async function holdFrameScripts(context: BrowserContext) {
	const held: Route[] = [];
	let released = false;
	await context.route(
		(url) =>
			url.hostname === 'statements.test' &&
			url.pathname.startsWith('/widget/frame/') &&
			url.pathname.endsWith('.js'),
		(route) => (released ? route.continue() : void held.push(route))
	);
	return {
		release: async () => {
			released = true;
			await Promise.all(held.splice(0).map((route) => route.continue()));
		}
	};
}

describe('the frame prerendered with its statement', () => {
	it('has the statement, the checkbox and a disabled confirm button in its HTML', async () => {
		const query = new URLSearchParams({ mode: 'accept', origin: shopUrl() });
		const response = await fetch(`${site.url}/embed/customer-data-sharing/?${query}`);
		const html = await response.text();
		expect(response.status).toBe(200);
		expect(html).toContain('Statement on Sharing Customer Data with Partners');
		expect(html).toContain('Version 1.0, in force since March 17, 2025');
		expect(html).toContain(
			'I have read and agreed to the Statement on Sharing Customer Data with Partners'
		);
		const checkbox = html.match(/<input[^>]*type="checkbox"[^>]*>/)?.[0] ?? '';
		expect(checkbox).not.toBe('');
		expect(checkbox).not.toMatch(/\bdisabled\b/);
		expect(html).toMatch(/<button[^>]*part="confirm"[^>]*disabled/);

		// Shown as it is, with no script at all.
		const bare = await browser.newContext({ javaScriptEnabled: false });
		try {
			const page = await bare.newPage();
			await page.goto(`${siteUrl()}/embed/customer-data-sharing/?${query}`);
			await page
				.getByRole('heading', { name: 'Statement on Sharing Customer Data with Partners' })
				.waitFor();
			expect(await page.getByRole('checkbox').isVisible()).toBe(true);
			expect(await page.getByRole('checkbox').isEnabled()).toBe(true);
			expect(await page.getByRole('button', { name: 'Confirm' }).isDisabled()).toBe(true);
		} finally {
			await bare.close();
		}
	});

	it("styles what its script draws with the page's stylesheets", async () => {
		// The script is built apart from the page (vite.widget.config.ts, --mode frame): its scoped
		// class names must be those of the page's styles (inlined in its HTML, or linked).
		const html = await (await fetch(`${site.url}/embed/customer-data-sharing/`)).text();
		const inlined = [...html.matchAll(/<style>([^<]*)<\/style>/g)].map((m) => m[1]!);
		const sheets = [...html.matchAll(/<link href="([^"]+\.css)" rel="stylesheet">/g)].map(
			(m) => new URL(m[1]!, `${site.url}/embed/customer-data-sharing/`)
		);
		expect(inlined.length + sheets.length).toBeGreaterThan(0);
		const linked = await Promise.all(sheets.map(async (url) => (await fetch(url)).text()));
		const css = [...inlined, ...linked].join('');
		const dir = resolve(inject('siteDir'), 'widget/frame');
		const scripts = readdirSync(dir).map((name) => readFileSync(resolve(dir, name), 'utf8'));
		const scoped = new Set(scripts.join('').match(/\bsvelte-[a-z0-9]{5,}\b/g));
		scoped.delete('svelte-trusted');
		expect(scoped.size).toBeGreaterThan(2);
		expect([...scoped].filter((name) => !css.includes(`.${name}`))).toEqual([]);
	});

	it("carries the widget's styles only, none of the site's stylesheet", async () => {
		// What stands before the checkbox in the frame's HTML is kept to what the frame uses: the
		// site's header, navigation and page rules (app.css) are for the site's own pages.
		const frame = await (await fetch(`${site.url}/embed/customer-data-sharing/`)).text();
		const home = await (await fetch(`${site.url}/`)).text();
		const inlined = (html: string) =>
			[...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!).join('');
		expect(inlined(frame)).toContain('.assent');
		expect(inlined(frame)).not.toMatch(/\.site-header|\.skip-link|\.site-footer/);
		expect(inlined(home)).toMatch(/\.site-header/);
	});

	it('is styled by its HTML alone: no stylesheet stands between the page and its statement', async () => {
		// Everything the frames would fetch from the build is held: only their HTML arrives.
		const asked: string[] = [];
		await context.route(
			(url) =>
				url.hostname === 'statements.test' &&
				(url.pathname.startsWith('/_app/') || url.pathname.startsWith('/widget/frame/')),
			(route) => void asked.push(new URL(route.request().url()).pathname)
		);
		const page = await context.newPage();
		await page.goto(
			serve('/html-only', {
				body: partnerPage({
					element: sharing({ subject: 'html-1' }) + association({ subject: 'html-2' })
				})
			}),
			{ waitUntil: 'domcontentloaded' }
		);
		await page.waitForFunction(() => document.querySelectorAll('assent-consent').length === 2);
		const frames = await Promise.all(
			[0, 1].map(async (n) => {
				const element = await page.locator('assent-consent iframe').nth(n).elementHandle();
				const frame = (await element!.contentFrame())!;
				await frame.locator('.embed').waitFor({ state: 'attached' });
				return frame;
			})
		);
		const [accepting, associating] = frames as [Frame, Frame];
		// Accept mode: the statement in its bounded scrolling box, the checkbox ready.
		await accepting.getByRole('checkbox').waitFor();
		expect(await accepting.getByRole('checkbox').isEnabled()).toBe(true);
		const text = accepting.locator('[part=text]');
		expect(await text.evaluate((el) => getComputedStyle(el).overflowY)).toBe('auto');
		expect(await text.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
		// Associate mode: the prerendered words stay hidden.
		expect(await associating.getByRole('checkbox').isVisible()).toBe(false);
		expect(asked.filter((path) => path.endsWith('.css'))).toEqual([]);
	});

	it('loads its script from its head script, never from a tag its first paint would wait for', async () => {
		// A script file in the HTML is fetched while the page parses and run before it is first
		// painted when it is there by then (from the cache, say): the frame names it in a `meta`.
		const html = await (await fetch(`${site.url}/embed/customer-data-sharing/`)).text();
		expect(html.match(/<script\b[^>]*\bsrc=/g)).toBeNull();
		const page = await context.newPage();
		await page.goto(
			serve('/script-after', { body: partnerPage({ element: sharing({ subject: 'after-1' }) }) })
		);
		const frame = await widgetFrame(page, { settled: true });
		const scripts = await frame.evaluate(() =>
			[...document.scripts].filter((s) => s.src).map((s) => new URL(s.src).pathname)
		);
		expect(scripts).toEqual(['/widget/frame/embed.js']);
	});

	it('keeps a tick given before the frame ran any script, and records it', async () => {
		const scripts = await holdFrameScripts(context);
		const page = await context.newPage();
		// The frame's scripts are held: the page does not finish loading.
		await page.goto(
			serve(
				'/earliest',
				{ body: partnerPage({ element: sharing({ subject: 'early-1' }) }) },
				shopUrl()
			),
			{ waitUntil: 'domcontentloaded' }
		);
		const frame = await widgetFrame(page, { clickable: true });
		const box = frame.getByRole('checkbox');
		expect(await box.isEnabled()).toBe(true);
		await box.check();
		expect(await frame.getByRole('button', { name: 'Confirm' }).isDisabled()).toBe(true);
		await scripts.release();
		await frame.locator('[part=widget][aria-busy=false]').waitFor();
		expect(await box.isChecked()).toBe(true);
		// The frame took its height when its session started: clicks reach it 500 ms later.
		await page.waitForTimeout(600);
		await frame.getByRole('button', { name: 'Confirm' }).click();
		await frame.getByText('Saved in this browser.').waitFor();
		const [record, ...more] = await records(page);
		expect(more).toEqual([]);
		expect(record).toMatchObject({
			action: 'accept',
			subject: 'early-1',
			statement: { id: 'customer-data-sharing', version: '1.0', locale: 'en' },
			presentation: {
				embed: 'iframe',
				origin: shopUrl(),
				label: 'I have read and agreed to the Statement on Sharing Customer Data with Partners'
			}
		});
	});

	it('makes the prerendered statement interactive in place, not rendered again', async () => {
		const scripts = await holdFrameScripts(context);
		const page = await context.newPage();
		await page.goto(
			serve(
				'/in-place',
				{ body: partnerPage({ element: sharing({ subject: 'place-1' }) }) },
				shopUrl()
			),
			{ waitUntil: 'domcontentloaded' }
		);
		const frame = await widgetFrame(page);
		const warnings: string[] = [];
		page.on('console', (message) => warnings.push(message.text()));
		const shown = '[part=widget], [part=widget] > h2, input[type=checkbox]';
		// Marks the elements of the prerendered HTML before any script ran.
		await frame.evaluate((selector) => {
			for (const el of document.querySelectorAll(selector)) Object.assign(el, { prerendered: 1 });
		}, shown);
		await scripts.release();
		await frame.locator('[part=widget][aria-busy=false]').waitFor();
		const kept = await frame.evaluate(
			(selector) =>
				[...document.querySelectorAll(selector)].map((el) => 'prerendered' in el && el.localName),
			shown
		);
		expect(kept).toEqual(['section', 'h2', 'input']);
		expect(warnings.filter((text) => /hydrat/i.test(text))).toEqual([]);
		await accept(frame);
		expect((await records(page)).map((r) => r.subject)).toEqual(['place-1']);
	});

	it('replaces a prerendered version no longer in force, and drops the tick given on it', async () => {
		// Version 1.1 came into force after the site was built: the page still holds 1.0.
		await context.clock.setFixedTime(new Date('2027-03-01T12:00:00.000Z'));
		const scripts = await holdFrameScripts(context);
		const page = await context.newPage();
		await page.goto(
			serve(
				'/newer',
				{ body: partnerPage({ element: sharing({ subject: 'newer-1' }) }) },
				shopUrl()
			),
			{ waitUntil: 'domcontentloaded' }
		);
		const frame = await widgetFrame(page, { clickable: true });
		await frame.getByText('Version 1.0, in force since March 17, 2025').waitFor();
		await frame.getByRole('checkbox').check();
		await scripts.release();
		await frame.getByText('Version 1.1, in force since February 1, 2027').waitFor();
		await frame.locator('[part=widget][aria-busy=false]').waitFor();
		expect(await frame.getByRole('checkbox').isChecked()).toBe(false);
		expect(await frame.getByRole('button', { name: 'Confirm' }).isDisabled()).toBe(true);
		expect(await frame.getByText('Version 1.0, in force').count()).toBe(0);
		await accept(frame);
		const [record] = await records(page);
		expect(record?.statement).toMatchObject({ id: 'customer-data-sharing', version: '1.1' });
	});

	it('drops a tick given on the prerendered words when the widget asks in other words', async () => {
		const scripts = await holdFrameScripts(context);
		const page = await context.newPage();
		await page.goto(
			serve(
				'/other-locale',
				{
					body: partnerPage({ element: sharing({ subject: 'zh-1', locale: 'zh-CN' }) })
				},
				shopUrl()
			),
			{ waitUntil: 'domcontentloaded' }
		);
		const frame = await widgetFrame(page, { clickable: true });
		await frame.getByRole('checkbox').check();
		await scripts.release();
		await frame.locator('[part=widget][aria-busy=false]').waitFor();
		await frame.locator('[part=widget][lang=zh-CN]').waitFor();
		expect(await frame.getByRole('checkbox').isChecked()).toBe(false);
		expect(await frame.locator('[part=confirm]').isDisabled()).toBe(true);
	});

	it('shows nothing in API mode, before its scripts ran or after', async () => {
		const scripts = await holdFrameScripts(context);
		const page = await context.newPage();
		await page.goto(
			serve(
				'/api-mode',
				{ body: partnerPage({ element: sharing({ subject: 'api-1', mode: 'api' }) }) },
				shopUrl()
			),
			{ waitUntil: 'domcontentloaded' }
		);
		const element = await page.waitForSelector('assent-consent iframe');
		const frame = (await element.contentFrame())!;
		await frame.locator('.embed').waitFor({ state: 'attached' });
		expect(await frame.locator('.embed').isVisible()).toBe(false);
		expect(await frame.getByRole('checkbox').isVisible()).toBe(false);
		await scripts.release();
		expect(await records(page)).toEqual([]);
		expect(await frame.locator('[part=widget]').count()).toBe(0);
		expect(await frame.getByRole('checkbox').count()).toBe(0);
	});

	it('shows no prerendered words in associate mode: the association is asked for once it is known', async () => {
		const scripts = await holdFrameScripts(context);
		const page = await context.newPage();
		await page.goto(
			serve('/associate-early', {
				body: partnerPage({ element: association({ subject: 'early-7' }) })
			}),
			{ waitUntil: 'domcontentloaded' }
		);
		const element = await page.waitForSelector('assent-consent iframe');
		const frame = (await element.contentFrame())!;
		await frame.locator('.embed').waitFor({ state: 'attached' });
		// The rule that hides the prerendered words is in the page's own HTML.
		expect(await frame.getByRole('checkbox').isVisible()).toBe(false);
		await scripts.release();
		await frame.getByRole('button', { name: 'Associate with Harbor Books' }).waitFor();
		expect(await frame.getByRole('checkbox').isChecked()).toBe(false);
		await page.waitForTimeout(600);
		await frame.getByRole('checkbox').check();
		await frame.getByRole('button', { name: 'Associate with Harbor Books' }).click();
		await frame.getByText('Saved in this browser.').waitFor();
		const [record] = await records(page);
		expect(record).toMatchObject({ action: 'associate', partner: 'harbor-books' });
	});
});
