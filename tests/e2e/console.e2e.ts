/**
 * `/console/` in Chromium against a real receiver (PGlite in memory; and a PostgreSQL server
 * when ASSENT_TEST_DATABASE_URL names one) on another origin, holding records signed through its
 * real intake: who must accept `partner-association` again after its material 2.0, page by page
 * and as CSV; associations per partner; one subject's timeline and evidence bundle, which
 * `/verify/` accepts, and tampered copies it rejects with the check that failed; the errors an
 * operator meets; the webhook delivery log, with a failed delivery delivered again; a phone,
 * Chinese, and axe-core.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
	createReceiver,
	loadSigningKey,
	openDatabase,
	signDocument,
	signReceipt
} from '../../receiver/index.js';
import { postgresSchema, postgresUrl } from '../../receiver/fixtures';
import type { Database } from '../../receiver/types.js';
import { staticSite } from '../../server/static.js';
import { recordDigest } from '../../src/lib/core/digest';
import type { AcceptanceRecord, Act } from '../../src/lib/core/record';
import { buildRecord } from '../../src/lib/core/record-builder';
import { uuidv7Generator } from '../../src/lib/core/uuid';
import { launchBrowser } from './browser';
import { freePort, listen, type RunningServer } from './server';

const TOKEN = 'console-e2e-token-0123456789';
const key = loadSigningKey({});

interface IndexVersion {
	version: string;
	locales: Record<string, { hash: string; url: string }>;
}
interface SiteIndex {
	statements: { id: string; versions: IndexVersion[] }[];
}

const backends = [
	{ name: 'PGlite', database: async () => ({ url: 'memory://', drop: async () => {} }) },
	...(postgresUrl
		? [{ name: 'PostgreSQL', database: () => postgresSchema(postgresUrl as string) }]
		: [])
];

let browser: Browser;
let site: RunningServer;
let index: SiteIndex;

beforeAll(async () => {
	const serve = staticSite({ dir: inject('siteDir') });
	site = await listen((req, res) =>
		serve(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		})
	);
	index = JSON.parse(
		readFileSync(join(inject('siteDir'), 'statements', 'index.json'), 'utf8')
	) as SiteIndex;
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await site?.close();
});

/** The statement field of a record for a version the test site publishes, in English. */
function statement(id: string, version: string): Act['statement'] {
	const v = index.statements.find((s) => s.id === id)!.versions.find((x) => x.version === version)!;
	return {
		id,
		version,
		locale: 'en',
		hash: v.locales.en!.hash,
		url: `${site.url}${v.locales.en!.url}`
	};
}

function act(options: {
	action: Act['action'];
	subject: string;
	id: string;
	version: string;
	partner?: string;
}): Act {
	const origin = {
		'harbor-books': 'https://harbor-books.example',
		'lumen-travel': 'https://lumen-travel.example'
	}[options.partner ?? ''];
	return {
		action: options.action,
		subject: options.subject,
		...(options.partner ? { partner: options.partner } : {}),
		statement: statement(options.id, options.version),
		presentation: {
			embed: 'iframe',
			origin: origin ?? 'https://shop.example',
			label: 'I have read and accept the statement'
		},
		client: { userAgent: 'Mozilla/5.0 (console test)', widget: 'assent/0.1.0' }
	} as Act;
}

/** One browser's records, in time order, each `at` its own day. */
async function chain(acts: { act: Act; at: string }[]): Promise<AcceptanceRecord[]> {
	const ids = uuidv7Generator();
	const records: AcceptanceRecord[] = [];
	for (const { act: a, at } of acts) {
		const now = new Date(at);
		const last = records.at(-1);
		records.push(
			await buildRecord({
				act: a,
				prev: last ? { digest: last.digest, seq: last.seq } : null,
				now,
				id: ids(now)
			})
		);
	}
	return records;
}

const pad = (n: number) => String(n).padStart(3, '0');
const day = (month: number, n: number) =>
	`2026-${String(month).padStart(2, '0')}-${String(1 + (n % 20)).padStart(2, '0')}T10:00:00.000Z`;

/**
 * 120 subjects accepted partner-association 1.1 in January; the first 40 accepted 2.0 (material,
 * in force since June) in July, so 80 must accept again. Ten of them associated with Harbor
 * Books (three disassociated later), five with Lumen Travel; thirty accepted
 * customer-data-sharing 1.0.
 */
async function history(): Promise<AcceptanceRecord[]> {
	const all: AcceptanceRecord[] = [];
	for (let i = 0; i < 120; i++) {
		const subject = `cust-${pad(i)}`;
		const acts = [
			{
				act: act({ action: 'accept', subject, id: 'partner-association', version: '1.1' }),
				at: day(1, i)
			}
		];
		if (i < 30) {
			acts.push({
				act: act({ action: 'accept', subject, id: 'customer-data-sharing', version: '1.0' }),
				at: day(2, i)
			});
		}
		if (i < 40) {
			acts.push({
				act: act({ action: 'accept', subject, id: 'partner-association', version: '2.0' }),
				at: day(7, i)
			});
		}
		const partner = i < 10 ? 'harbor-books' : i < 15 ? 'lumen-travel' : undefined;
		if (partner) {
			acts.push({
				act: act({
					action: 'associate',
					subject,
					id: 'partner-association',
					version: '2.0',
					partner
				}),
				at: day(8, i)
			});
		}
		if (i < 3) {
			acts.push({
				act: act({
					action: 'disassociate',
					subject,
					id: 'partner-association',
					version: '2.0',
					partner: 'harbor-books'
				}),
				at: day(9, i)
			});
		}
		all.push(...(await chain(acts)));
	}
	return all;
}

async function connect(page: Page, options: { url: string; token: string }): Promise<void> {
	await page.getByLabel('Receiver URL').fill(options.url);
	await page.getByLabel('Operator token').fill(options.token);
	await page.getByRole('button', { name: 'Connect', exact: true }).click();
}

/** The serious and critical axe-core findings on the page as it is. */
async function axeFindings(page: Page): Promise<string[]> {
	// Evaluated, not added as a script tag: the site's Content-Security-Policy refuses inline scripts.
	await page.evaluate(axe.source);
	return page.evaluate(async () => {
		const found = await (
			window as unknown as {
				axe: {
					run: () => Promise<{
						violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
					}>;
				};
			}
		).axe.run();
		return found.violations
			.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	});
}

/** A receiver whose operator's API answers the console on the test site, with `options`. */
function operatorReceiver(
	database: Database,
	options: Partial<Parameters<typeof createReceiver>[0]> = {}
) {
	return createReceiver({
		database,
		site: inject('siteDir'),
		siteOrigin: site.url,
		// The statements site's origin: the one whose pages may call the operator's API.
		audience: site.url,
		subjects: 'unverified',
		origins: [],
		signingKey: key,
		operatorTokens: { console: TOKEN },
		log: () => {},
		...options
	});
}

/** Serves a receiver on another origin than the site's, as a real one is. */
function serve(receiver: ReturnType<typeof createReceiver>): Promise<RunningServer> {
	return listen((req, res) =>
		receiver.handle(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		})
	);
}

describe.each(backends)('the operator console, on $name', (backend) => {
	let database: Database;
	let drop: () => Promise<void>;
	let receiver: ReturnType<typeof createReceiver>;
	let api: RunningServer;
	let base: string;
	let context: BrowserContext;
	const errors: string[] = [];

	function watch(page: Page): Page {
		page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
		return page;
	}

	beforeAll(async () => {
		const location = await backend.database();
		drop = location.drop;
		database = await openDatabase({ database: location.url, log: () => {} });
		receiver = operatorReceiver(database);
		await receiver.ready;
		api = await serve(receiver);
		base = `${api.url}/acceptances`;
		const records = await history();
		for (let i = 0; i < records.length; i += 100) {
			const response = await fetch(base, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ records: records.slice(i, i + 100) })
			});
			const result = (await response.json()) as { rejected: unknown[]; accepted: unknown[] };
			expect(result.rejected).toEqual([]);
		}
		context = await browser.newContext({ acceptDownloads: true });
	});

	afterAll(async () => {
		await context?.close();
		await api?.close();
		await receiver?.close();
		await database?.close();
		await drop?.();
	});

	it('says what is wrong with the token, the URL, the origin or the answer', async () => {
		const page = watch(await context.newPage());
		const response = await page.goto(`${site.url}/console/`);
		// Nobody may frame the console, as no other page of the site.
		expect(response?.headers()['content-security-policy']).toBe("frame-ancestors 'none'");
		// Every page of the site leads to it.
		await expect(
			page.locator('nav[aria-label="Site"] a[href="/console/"]').textContent()
		).resolves.toBe('Console');
		const error = page.getByTestId('connect-error');

		await connect(page, { url: base, token: 'not-the-operator-token' });
		await expect
			.poll(() => error.textContent(), { timeout: 15_000 })
			.toMatch(/^\s*The receiver refused the operator token \(401\)\. Check the token/);

		const closed = await freePort();
		await connect(page, { url: `http://127.0.0.1:${closed}/acceptances`, token: TOKEN });
		await expect
			.poll(() => error.textContent(), { timeout: 15_000 })
			.toContain(`No answer from http://127.0.0.1:${closed}/acceptances.`);

		await connect(page, { url: `${site.url}/statements/`, token: TOKEN });
		await expect
			.poll(() => error.textContent(), { timeout: 15_000 })
			.toContain(
				`${site.url}/statements/statements/customer-data-sharing/summary did not answer with JSON (status 404, —).`
			);
		await page.close();

		// The same console served from another origin than the one the receiver allows.
		const elsewhere = watch(await context.newPage());
		await elsewhere.goto(`http://localhost:${site.port}/console/`);
		await connect(elsewhere, { url: base, token: TOKEN });
		await expect
			.poll(() => elsewhere.getByTestId('connect-error').textContent(), { timeout: 15_000 })
			.toContain(
				`The receiver at ${base} answers, but not to this page (http://localhost:${site.port})`
			);
		await elsewhere.close();
	});

	it('shows the versions, acceptances over time and associations per partner, keeping the token in this tab only', async () => {
		const page = watch(await context.newPage());
		await page.goto(`${site.url}/console/`);
		await connect(page, { url: base, token: TOKEN });
		await page.getByTestId('connected').waitFor({ timeout: 20_000 });

		const association = page.locator('article[data-statement="partner-association"]');
		await expect(association.locator('.must').textContent()).resolves.toBe(
			'80 of 120 subjects must accept again.'
		);
		const row = (version: string) =>
			association.locator(`table.versions tr[data-version="${version}"]`);
		await expect(row('2.0').locator('td').first().textContent()).resolves.toBe('In force');
		await expect(row('1.1').locator('td').first().textContent()).resolves.toBe('Superseded');
		// Acceptances (accept and associate acts), and subjects whose latest acceptance it is.
		await expect(row('2.0').locator('td').nth(3).textContent()).resolves.toBe('55');
		await expect(row('2.0').locator('td').nth(4).textContent()).resolves.toBe('40');
		await expect(row('1.1').locator('td').nth(4).textContent()).resolves.toBe('80');
		const sharing = page.locator('article[data-statement="customer-data-sharing"]');
		await expect(
			sharing.locator('tr[data-version="1.1"]').getAttribute('data-status')
		).resolves.toBe('announced');

		// One line per version with acceptances, described in words, with the numbers as a table.
		await expect(association.locator('svg[role=img] path[data-version]').count()).resolves.toBe(2);
		await expect(association.locator('svg[role=img] desc').textContent()).resolves.toContain(
			'Version 2.0: 55 acceptances, July 1, 2026 to August 15, 2026.'
		);
		await association.getByText('The numbers as a table').click();
		await expect(
			association.locator('figure table tbody tr').first().textContent()
		).resolves.toContain('2026-01-01');

		const partners = association.locator('table.partners');
		await expect(
			partners.locator('tr[data-partner="harbor-books"] td').allTextContents()
		).resolves.toEqual(['7', '3']);
		await expect(
			partners.locator('tr[data-partner="lumen-travel"] td').allTextContents()
		).resolves.toEqual(['5', '0']);

		// The token is in this tab's session storage only: not in local storage, not in the URL.
		expect(page.url()).toBe(`${site.url}/console/`);
		const kept = await page.evaluate(() => ({
			local: JSON.stringify({ ...localStorage }),
			session: sessionStorage.getItem('assent.console')
		}));
		expect(kept.local).not.toContain(TOKEN);
		expect(JSON.parse(kept.session!)).toEqual({ url: base, token: TOKEN });
		// A reload in the same tab connects again; disconnecting forgets it.
		await page.reload();
		await page.getByTestId('connected').waitFor({ timeout: 20_000 });
		await page.getByRole('button', { name: 'Disconnect and forget the token' }).click();
		await expect(
			page.evaluate(() => [
				sessionStorage.getItem('assent.console'),
				JSON.stringify({ ...sessionStorage })
			])
		).resolves.toEqual([null, expect.not.stringContaining(TOKEN)]);
		await expect(page.getByLabel('Operator token').inputValue()).resolves.toBe('');
		await page.close();
	});

	it('pages through who must accept again and exports every page as CSV, with progress', async () => {
		const page = watch(await context.newPage());
		await page.goto(`${site.url}/console/`);
		await connect(page, { url: base, token: TOKEN });
		await page.getByTestId('connected').waitFor({ timeout: 20_000 });
		await expect(page.getByLabel('Statement', { exact: true }).inputValue()).resolves.toBe(
			'partner-association'
		);
		await page.getByRole('button', { name: 'Show the list' }).click();
		const rows = page.locator('table.must-accept tbody tr');
		await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(50);
		await expect(page.getByTestId('list-count').textContent()).resolves.toContain(
			'Showing 50 of 80.'
		);
		await expect(rows.first().locator('th').textContent()).resolves.toBe('cust-040');
		await expect(rows.first().locator('td').allTextContents()).resolves.toEqual([
			'1.1',
			'January 1, 2026',
			'material change',
			'2.0 (material)'
		]);
		await page.getByRole('button', { name: 'Load more' }).click();
		await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(80);
		await expect(rows.last().locator('th').textContent()).resolves.toBe('cust-119');
		await expect(page.getByRole('button', { name: 'Load more' }).count()).resolves.toBe(0);

		// Pages of 30, each held back a little, so the export's pages and progress can be seen.
		const asked: string[] = [];
		await page.route(
			(url) => url.href.startsWith(`${base}/subjects?`),
			async (route) => {
				const url = new URL(route.request().url());
				url.searchParams.set('limit', '30');
				asked.push(url.search);
				await new Promise((resolve) => setTimeout(resolve, 400));
				await route.continue({ url: url.href });
			}
		);
		await page.getByRole('button', { name: 'Export all as CSV' }).click();
		await expect
			.poll(() => page.getByTestId('export-progress').textContent(), { timeout: 15_000 })
			.toContain('Exporting: 30 of 80 subjects (page 1)');
		const save = page.getByTestId('export-save');
		await save.waitFor({ timeout: 20_000 });
		expect(asked).toHaveLength(3);
		expect(asked[0]).not.toContain('cursor=');
		expect(asked[1]).toContain('cursor=');
		const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
		expect(download.suggestedFilename()).toMatch(
			/^must-accept-partner-association-\d{4}-\d{2}-\d{2}\.csv$/
		);
		const csv = await readFile((await download.path())!, 'utf8');
		const lines = csv.split('\r\n');
		expect(lines.at(-1)).toBe('');
		expect(lines[0]).toBe(
			'subject,statement,in_force,accepted,accepted_at,must_accept,reason,changed_since,acceptance_record'
		);
		expect(lines).toHaveLength(82);
		expect(lines.slice(1, -1).map((l) => l.split(',')[0])).toEqual(
			Array.from({ length: 80 }, (_, i) => `cust-${pad(i + 40)}`)
		);
		expect(lines[1]).toMatch(
			/^cust-040,partner-association,2\.0,1\.1,2026-01-01T10:00:00\.000Z,true,material-change,2\.0 \(material\),[0-9a-f-]{36}$/
		);

		// Narrowed to one partner (picked from the partners the summary knows): only subjects
		// with acts for it, and no total from the summary, which counts every subject.
		await page.unroute((url) => url.href.startsWith(`${base}/subjects?`));
		await expect(
			page
				.locator('#console-list-partners option')
				.evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))
		).resolves.toEqual(['harbor-books', 'lumen-travel']);
		await page.getByLabel('Partner', { exact: true }).fill('lumen-travel');
		const [request] = await Promise.all([
			page.waitForRequest((r) => r.url().startsWith(`${base}/subjects?`)),
			page.getByRole('button', { name: 'Show the list' }).click()
		]);
		expect(new URL(request.url()).searchParams.get('partner')).toBe('lumen-travel');
		const answer = (await (await request.response())!.json()) as {
			subjects: { subject: string }[];
		};
		const expected = answer.subjects.map((s) => s.subject);
		expect(
			expected.every((s) =>
				['cust-010', 'cust-011', 'cust-012', 'cust-013', 'cust-014'].includes(s)
			)
		).toBe(true);
		if (expected.length === 0) {
			await expect
				.poll(() => page.locator('.list p').first().textContent(), { timeout: 15_000 })
				.toContain('Nobody with acts for partner lumen-travel must accept');
		} else {
			await expect
				.poll(() => rows.locator('th').allTextContents(), { timeout: 15_000 })
				.toEqual(expected);
			await expect(page.getByTestId('list-count').textContent()).resolves.toContain(
				`Showing ${expected.length} of ${expected.length}.`
			);
		}
		await page.close();
	});

	it("shows a subject's timeline with its checks, and its evidence bundle verifies at /verify/ unless tampered with", async () => {
		const page = watch(await context.newPage());
		await page.goto(`${site.url}/console/`);
		await connect(page, { url: base, token: TOKEN });
		await page.getByTestId('connected').waitFor({ timeout: 20_000 });
		await page.getByLabel('Subject', { exact: true }).fill('cust-001');
		await page.getByRole('button', { name: 'Show the timeline' }).click();
		await expect
			.poll(() => page.getByTestId('verdict').textContent(), { timeout: 20_000 })
			.toBe('All 5 records verified');
		await expect(page.getByTestId('key-check').textContent()).resolves.toContain(
			`The bundle’s key ${key.kid} is the receiver’s signing key.`
		);
		// The receiver took these records without subject tokens, and they were made without
		// the frame's visibility check: each row says so.
		const assurances = await page.getByTestId('assurance').allTextContents();
		expect(assurances).toHaveLength(5);
		for (const text of assurances) expect(text).toContain('subject not verified');
		const standing = page.locator('table.standing');
		await expect(
			standing.locator('tr[data-statement="partner-association"] td').allTextContents()
		).resolves.toEqual(['2.0', '2.0', 'No', 'up to date']);
		const records = page.locator('table.records tbody tr');
		await expect(records.count()).resolves.toBe(5);
		await expect(records.nth(4).locator('td').nth(1).textContent()).resolves.toBe('Disassociated');
		await expect(page.locator('table.checks tbody tr').count()).resolves.toBe(5);
		expect(await axeFindings(page)).toEqual([]);

		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('link', { name: 'Download the evidence bundle' }).click()
		]);
		expect(download.suggestedFilename()).toBe('evidence-cust-001.json');
		const text = await readFile((await download.path())!, 'utf8');
		// What the receiver sent, byte for byte (but the time it was made, and so the signature
		// of its manifest, which names that time).
		const direct = await fetch(`${base}/subjects/cust-001/evidence`, {
			headers: { authorization: `Bearer ${TOKEN}` }
		});
		const stamp = (bundle: string) =>
			bundle
				.replace(/"generatedAt": "[^"]+"/g, '"generatedAt": "…"')
				.replace(/("manifest": \{[^}]*"signature": ")[^"]+"/, '$1…"');
		expect(stamp(text)).toBe(stamp(await direct.text()));
		await page.close();

		type Entry = {
			raw: string;
			record: AcceptanceRecord & Record<string, unknown>;
			receipt: Record<string, unknown>;
			receivedAt: string;
		};
		type Bundle = {
			records: Entry[];
			manifest: Record<string, unknown> & { records: string[][]; count: number };
			statements: { id: string; version: string; hash: string }[];
		};
		const variant = async (change: (bundle: Bundle) => Promise<void> | void) => {
			const bundle = JSON.parse(text) as Bundle;
			await change(bundle);
			return JSON.stringify(bundle, null, '\t');
		};
		const reraw = (entry: Entry) => {
			entry.raw = JSON.stringify(entry.record);
		};
		const cases: [string, string, string | RegExp][] = [
			['as downloaded', text, 'All 5 records verified'],
			[
				'a changed label',
				await variant((b) => {
					(b.records[1]!.record.presentation as { label: string }).label = 'I agree to nothing';
					reraw(b.records[1]!);
				}),
				'Record #2 (seq 2): digest does not match: the record was changed after it was made.'
			],
			[
				'a receipt from another key',
				await variant((b) => {
					const other = loadSigningKey({});
					const e = b.records[0]!;
					e.receipt = signReceipt({
						key: other,
						id: e.record.id,
						digest: e.record.digest,
						receivedAt: e.receivedAt,
						subject: 'unverified'
					}) as unknown as Record<string, unknown>;
				}),
				/^Record #1 \(seq 1\): the receipt was signed with key [\w-]+, not with the bundle’s key [\w-]+\.$/
			],
			[
				'a statement hash never published',
				// A version 2.1 that was never published, bundled with its own made-up copy, and the
				// receipt signed again with the receiver's key: only the site's index can tell.
				await variant(async (b) => {
					const e = b.records[4]!;
					const hash = `sha256:${'0'.repeat(64)}`;
					const { digest: _, ...unsigned } = e.record;
					void _;
					e.record = {
						...unsigned,
						statement: { ...e.record.statement, version: '2.1', hash }
					} as Entry['record'];
					const copy = b.statements.find(
						(x) => x.id === 'partner-association' && x.version === '2.0'
					)!;
					b.statements.push({ ...copy, version: '2.1', hash });
					e.record.digest = await recordDigest(e.record);
					reraw(e);
					e.receipt = signReceipt({
						key,
						id: e.record.id,
						digest: e.record.digest,
						receivedAt: e.receivedAt,
						subject: 'unverified'
					}) as unknown as Record<string, unknown>;
				}),
				`Record #5 (seq 5): this site never published partner-association 2.1 (en) with hash sha256:${'0'.repeat(64)}.`
			]
		];
		const verify = watch(await context.newPage());
		await verify.goto(`${site.url}/verify/`);
		for (const [name, file, verdict] of cases) {
			await verify.getByRole('textbox').fill(file);
			await verify.getByRole('button', { name: 'Verify the pasted JSON' }).click();
			await expect
				.poll(() => verify.getByTestId('verdict').textContent(), { timeout: 15_000, message: name })
				[typeof verdict === 'string' ? 'toBe' : 'toMatch'](verdict as never);
		}
		// A record taken out of a bundle: the receiver's signed manifest still names it. (The
		// chain alone cannot tell: a bundle may lack records of a browser's chain that belong to
		// another subject of a shared browser.)
		const original = JSON.parse(text) as Bundle;
		const taken = original.records[1]!.record;
		await verify.getByRole('textbox').fill(await variant((b) => void b.records.splice(1, 1)));
		await verify.getByRole('button', { name: 'Verify the pasted JSON' }).click();
		await expect
			.poll(() => verify.getByTestId('verdict').textContent(), { timeout: 15_000 })
			.toBe(
				`The bundle is not complete as the receiver signed it: record ${taken.id} (number 2 in the receiver’s signed manifest, digest ${taken.digest}) is not in the file: it was removed.`
			);
		const second = verify.locator('table.checks tbody tr').nth(1);
		await expect(second.locator('td[data-check=chain]').textContent()).resolves.toContain(
			'the records before seq 3 of this browser are not in the file, so its link to them cannot be checked.'
		);
		// Taken out of the manifest too: the receiver's signature no longer holds.
		await verify.getByRole('textbox').fill(
			await variant((b) => {
				b.records.splice(1, 1);
				b.manifest.records.splice(1, 1);
				b.manifest.count -= 1;
			})
		);
		await verify.getByRole('button', { name: 'Verify the pasted JSON' }).click();
		await expect
			.poll(() => verify.getByTestId('verdict').textContent(), { timeout: 15_000 })
			.toBe(
				`The bundle is not complete as the receiver signed it: its manifest’s signature does not verify with the bundle’s key ${key.kid}: the list of records was changed after the receiver signed it.`
			);
		// Signed again, with another key.
		const other = loadSigningKey({});
		await verify.getByRole('textbox').fill(
			await variant((b) => {
				const { signature: _, ...fields } = b.manifest;
				void _;
				b.manifest = signDocument({
					key: other,
					fields: { ...fields, kid: other.kid }
				}) as Bundle['manifest'];
			})
		);
		await verify.getByRole('button', { name: 'Verify the pasted JSON' }).click();
		await expect
			.poll(() => verify.getByTestId('verdict').textContent(), { timeout: 15_000 })
			.toBe(
				`The bundle is not complete as the receiver signed it: its manifest was signed with key ${other.kid}, not with the bundle’s key ${key.kid}.`
			);
		// As downloaded, the page says the bundle is complete.
		await verify.getByRole('textbox').fill(text);
		await verify.getByRole('button', { name: 'Verify the pasted JSON' }).click();
		await expect
			.poll(() => verify.getByTestId('completeness').textContent(), { timeout: 15_000 })
			.toContain('Complete: the receiver’s signed manifest lists exactly these records');
		await verify.close();
	});

	it('lists webhook deliveries a page at a time, all or of one state, and delivers a failed one again', async () => {
		// An endpoint on this machine that fails, until the test says otherwise.
		let answer = 500;
		const received: string[] = [];
		const hook = await listen((req, res) => {
			received.push(String(req.headers['webhook-id']));
			req.resume();
			req.on('end', () => res.writeHead(answer).end());
		});
		const location = await backend.database();
		const hooked = await openDatabase({ database: location.url, log: () => {} });
		const sender = operatorReceiver(hooked, {
			webhooks: {
				urls: [`${hook.url}/hooks`],
				secret: `whsec_${randomBytes(32).toString('base64')}`,
				retryMs: 50,
				pollMs: 50,
				maxAttempts: 2
			}
		});
		const server = await serve(sender);
		const hookBase = `${server.url}/acceptances`;
		try {
			await sender.ready;
			// Fifteen subjects accept: each is a record stored and a change of standing, 30 events.
			const records: AcceptanceRecord[] = [];
			for (let i = 0; i < 15; i++) {
				records.push(
					...(await chain([
						{
							act: act({
								action: 'accept',
								subject: `hook-${pad(i)}`,
								id: 'customer-data-sharing',
								version: '1.0'
							}),
							at: day(3, i)
						}
					]))
				);
			}
			const posted = await fetch(hookBase, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ records })
			});
			expect(posted.status).toBe(200);
			type Row = { event: string; type: string; subject: string; status: string };
			const log = async () =>
				(
					(await (
						await fetch(`${hookBase}/webhooks/deliveries?limit=100`, {
							headers: { authorization: `Bearer ${TOKEN}` }
						})
					).json()) as { deliveries: Row[] }
				).deliveries;
			await expect
				.poll(async () => (await log()).filter((d) => d.status === 'failed').length, {
					timeout: 20_000
				})
				.toBe(30);
			const failed = (await log()).find(
				(d) => d.type === 'record.stored' && d.subject === 'hook-007'
			)!;

			const page = watch(await context.newPage());
			await page.goto(`${site.url}/console/`);
			await connect(page, { url: hookBase, token: TOKEN });
			await page.getByTestId('connected').waitFor({ timeout: 20_000 });
			await page.getByRole('button', { name: 'Show the deliveries' }).click();
			const rows = page.locator('table.delivery-log tbody tr');
			await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(25);
			await expect(page.getByTestId('delivery-count').textContent()).resolves.toContain(
				'Showing the newest 25 deliveries; older ones follow.'
			);
			await page.getByRole('button', { name: 'Show older deliveries' }).click();
			await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(30);
			await expect(page.getByTestId('delivery-count').textContent()).resolves.toContain(
				'Showing all 30 deliveries.'
			);
			const row = page.locator(`table.delivery-log tr[data-event="${failed.event}"]`);
			const cells = async () =>
				(await row.locator('th, td').allTextContents()).map((c) => c.replace(/\s+/g, ' ').trim());
			const before = await cells();
			expect(before[0]).toMatch(new RegExp(`^Record stored .+ UTC ${failed.event}$`));
			expect(before[1]).toMatch(/^hook-007 customer-data-sharing record [0-9a-f-]{36}$/);
			expect(before.slice(2)).toEqual([
				`${hook.url}/hooks`,
				'Failed',
				'2',
				'HTTP 500',
				'none: given up',
				'Deliver again'
			]);
			expect(await axeFindings(page)).toEqual([]);

			// The endpoint is fixed: this one delivery goes again, and only it.
			answer = 200;
			const [request] = await Promise.all([
				page.waitForRequest((r) => r.url().startsWith(`${hookBase}/webhooks/deliveries/redeliver`)),
				row
					.getByRole('button', {
						name: `Deliver again: Record stored of hook-007 to ${hook.url}/hooks`
					})
					.click()
			]);
			expect(request.method()).toBe('POST');
			await expect
				.poll(() => page.getByTestId('delivery-notice').textContent(), { timeout: 15_000 })
				.toContain(`Record stored of hook-007 to ${hook.url}/hooks will be delivered again`);
			await expect.poll(() => received.includes(failed.event), { timeout: 15_000 }).toBe(true);
			await page.getByRole('button', { name: 'Read the log again' }).click();
			await expect.poll(async () => (await cells())[3], { timeout: 15_000 }).toBe('Delivered');
			await expect(row.getByRole('button').count()).resolves.toBe(0);
			expect(received.filter((id) => id === failed.event)).toHaveLength(3);
			expect((await log()).filter((d) => d.status === 'failed')).toHaveLength(29);

			// The log of one state: the receiver is asked for it, a page at a time.
			const filter = page.getByLabel('Deliveries to show');
			const caption = page.locator('table.delivery-log caption');
			const [delivered] = await Promise.all([
				page.waitForRequest((r) => r.url().includes('/webhooks/deliveries?status=delivered')),
				filter.selectOption({ label: 'Delivered' })
			]);
			expect(delivered.method()).toBe('GET');
			await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
			await expect(rows.first().getAttribute('data-event')).resolves.toBe(failed.event);
			await expect(caption.textContent()).resolves.toContain(
				'Webhook deliveries (Delivered), newest event first'
			);
			await expect(page.getByTestId('delivery-count').textContent()).resolves.toContain(
				'Showing all 1 deliveries.'
			);
			await filter.selectOption({ label: 'Failed (given up)' });
			await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(25);
			await page.getByRole('button', { name: 'Show older deliveries' }).click();
			await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(29);
			const states = await page
				.locator('table.delivery-log tbody tr')
				.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
			expect(new Set(states)).toEqual(new Set(['failed']));
			await expect(row.count()).resolves.toBe(0);
			await filter.selectOption({ label: 'Pending' });
			await expect
				.poll(() => page.locator('.deliveries').textContent(), { timeout: 15_000 })
				.toContain('No delivery is pending: none is waiting for an attempt.');
			await expect(rows.count()).resolves.toBe(0);
			await filter.selectOption({ label: 'All' });
			await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(25);
			await expect(page.getByTestId('delivery-count').textContent()).resolves.toContain(
				'Showing the newest 25 deliveries; older ones follow.'
			);
			expect(await axeFindings(page)).toEqual([]);
			await page.close();
		} finally {
			await server.close();
			await sender.close();
			await hooked.close();
			await location.drop();
			await hook.close();
		}
	});

	it('works on a 390 px phone, in Chinese, with no serious or critical axe-core findings', async () => {
		const phone = await browser.newContext({
			viewport: { width: 390, height: 844 },
			locale: 'zh-CN',
			isMobile: true,
			hasTouch: true
		});
		const page = watch(await phone.newPage());
		await page.goto(`${site.url}/console/`);
		await expect.poll(() => page.locator('h1').textContent()).toBe('运营控制台');
		await expect(page.locator('nav[aria-label] a[href="/console/"]').textContent()).resolves.toBe(
			'控制台'
		);
		await page.getByLabel('接收端网址').fill(base);
		await page.getByLabel('运营令牌').fill(TOKEN);
		await page.getByRole('button', { name: '连接', exact: true }).click();
		await page.getByTestId('connected').waitFor({ timeout: 20_000 });
		// Statements by their Chinese titles, where they are written in Chinese.
		await expect(
			page.locator('article[data-statement="partner-association"] h3').textContent()
		).resolves.toBe('与合作伙伴关联账户的声明 partner-association');
		await expect(
			page.locator('article[data-statement="partner-association"] .must').textContent()
		).resolves.toBe('120 个主体中有 80 个必须重新接受。');
		await page.getByRole('button', { name: '显示列表' }).click();
		await expect
			.poll(() => page.locator('table.must-accept tbody tr').count(), { timeout: 15_000 })
			.toBe(50);
		// A subject picked from the list opens its timeline.
		await page.locator('table.must-accept tbody tr').first().getByRole('button').click();
		await expect
			.poll(() => page.getByTestId('verdict').textContent(), { timeout: 20_000 })
			.toBe('该记录已验证');
		await expect(page.getByLabel('主体', { exact: true }).inputValue()).resolves.toBe('cust-040');
		const width = await page.evaluate(() => document.documentElement.scrollWidth);
		expect(width).toBeLessThanOrEqual(390);
		expect(await axeFindings(page)).toEqual([]);
		await phone.close();
		expect(errors).toEqual([]);
	});
});
