/**
 * A customer's standing follows them across devices (SPEC section 8), in Chromium: the statements
 * site on statements.test, a partner page on partner.test whose server mints subject tokens with
 * the partner's key, the reference receiver checking them. Two browser profiles (two user data
 * folders) are the customer's two devices. A tiny fake backend serves a standing with a tampered
 * record and a forged receipt, which the widget must ignore and report.
 */
import { generateKeyPairSync, sign, type KeyPairKeyObjectResult } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
	chromium,
	type Browser,
	type BrowserContext,
	type Frame,
	type Page
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createReceiver, openDatabase } from '../../receiver/index.js';
import { mintSubjectToken } from '../../receiver/mint.js';
import type { Database } from '../../receiver/types.js';
import { DEMO_KEY } from '../../server/demo.js';
import { canonicalJson } from '../../src/lib/core/jcs';
import { jwkThumbprint } from '../../src/lib/core/signature';
import { chromeArgs, chromePath, launchBrowser, widgetFrame } from './browser';
import { listen, serveSite, type RunningServer } from './server';

const SUBJECT = 'reader-7001';
/** Before the material version 2.0 of the association statement comes into force (June 1). */
const MAY = new Date('2026-05-20T12:00:00.000Z');
const JUNE = new Date('2026-06-02T09:00:00.000Z');

let browser: Browser;
let site: RunningServer;
let partner: RunningServer;
let receiverServer: RunningServer;
let fake: RunningServer;
let database: Database;
/** The time of the receiver, the tokens and both devices' clocks. */
let now = MAY;
/** What the fake backend's standing answers. */
let fakeStanding: unknown = { records: [] };
let fakeKey: { kid: string; jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string } };
/** The fake backend's signing key pair. */
let ownKey: KeyPairKeyObjectResult;
const devices: { context: BrowserContext; dir: string }[] = [];
const partnerKey = JSON.parse(readFileSync(DEMO_KEY, 'utf8'));

const siteUrl = () => `http://statements.test:${site.port}`;
const partnerUrl = () => `http://partner.test:${partner.port}`;

async function partnerPage(options: { syncUrl: string; embed: string }): Promise<string> {
	// The partner's backend vouches for its signed-in customer, as of the devices' day.
	const token = await mintSubjectToken({
		key: partnerKey,
		partner: 'harbor-books',
		subject: SUBJECT,
		audience: siteUrl(),
		ttl: 86_400,
		now
	});
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbor Books</title>
<script>
  window.events = [];
  for (const name of ['assent:associate', 'assent:sync', 'assent:error']) {
    document.addEventListener(name, (e) => window.events.push({ name, detail: e.detail }));
  }
</script>
<script type="module" src="${siteUrl()}/widget/assent.js"></script></head><body>
<h1>Harbor Books</h1>
<assent-consent statement="partner-association" partner="harbor-books" mode="associate"
  subject="${SUBJECT}" subject-token="${token}" sync-url="${options.syncUrl}" embed="${options.embed}"></assent-consent>
</body></html>`;
}

const events = (page: Page) =>
	page.evaluate(
		() =>
			(window as unknown as { events: { name: string; detail: Record<string, unknown> }[] }).events
	);

interface Status {
	associated?: boolean;
	statements: { needed: boolean; reason: string; decidedBy?: { id: string; source: string } }[];
	decidedBy: { id: string; source: string }[];
	backend: { checked: boolean; reason?: string; records?: number; ignored?: number };
}
const status = (page: Page) =>
	page.evaluate(
		() => document.querySelector('assent-consent')!.status() as unknown as Promise<Status>
	);
const records = (page: Page) =>
	page.evaluate(() => document.querySelector('assent-consent')!.records());

const frameOf = (page: Page): Promise<Frame> => widgetFrame(page, { settled: true });

async function stored(): Promise<{ id: string; subject: string }[]> {
	return (await database.query('select id::text as id, subject from assent_records')).rows as {
		id: string;
		subject: string;
	}[];
}

/** A fresh browser profile: its own user data folder, as another device would have. */
async function device(): Promise<BrowserContext> {
	const dir = mkdtempSync(join(tmpdir(), 'assent-device-'));
	const context = await chromium.launchPersistentContext(dir, {
		executablePath: chromePath,
		headless: true,
		args: [
			...chromeArgs,
			'--host-resolver-rules=MAP *.test 127.0.0.1',
			`--unsafely-treat-insecure-origin-as-secure=${siteUrl()},${partnerUrl()}`
		]
	});
	await context.clock.setFixedTime(now);
	devices.push({ context, dir });
	return context;
}

function cors(req: IncomingMessage, res: ServerResponse): boolean {
	res.setHeader('Access-Control-Allow-Origin', siteUrl());
	res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, idempotency-key');
	if (req.method === 'OPTIONS') {
		res.writeHead(204).end();
		return true;
	}
	return false;
}

beforeAll(async () => {
	site = await serveSite(inject('siteDir'));
	database = await openDatabase({ log: () => {} });
	// The reference receiver in its default configuration: records need a valid subject token.
	const receiver = createReceiver({
		database,
		site: inject('siteDir'),
		// The frame reads from the site's origin; an inline widget from the partner page's.
		origins: [
			`http://statements.test:${site.port}`,
			`http://partner.test:${inject('partnerPort')}`
		],
		audience: `http://statements.test:${site.port}`,
		now: () => now,
		log: () => {}
	});
	await receiver.ready;
	receiverServer = await listen((req, res) => void receiver.handle(req, res));

	// The fake backend's own receipt key, and a stranger's that forges receipts in its name.
	const own = generateKeyPairSync('ed25519');
	ownKey = own;
	const jwk = own.publicKey.export({ format: 'jwk' }) as { kty: 'OKP'; crv: 'Ed25519'; x: string };
	fakeKey = { kid: await jwkThumbprint(jwk), jwk };
	fake = await listen((req, res) => {
		if (cors(req, res)) return;
		const path = new URL(req.url ?? '/', 'http://fake').pathname;
		res.setHeader('Content-Type', 'application/json');
		if (path === '/acceptances/key') return res.end(JSON.stringify({ alg: 'Ed25519', ...fakeKey }));
		if (path === '/acceptances/standing') return res.end(JSON.stringify(fakeStanding));
		res.writeHead(204).end();
	});

	partner = await listen(
		(req, res) => {
			const query = new URL(req.url ?? '/', 'http://partner').searchParams;
			void partnerPage({
				syncUrl: query.get('sync') ?? `${receiverServer.url}/acceptances`,
				embed: query.get('embed') ?? 'iframe'
			}).then((body) => {
				res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
				res.end(body);
			});
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
	for (const { context, dir } of devices) {
		await context.close().catch(() => {});
		rmSync(dir, { recursive: true, force: true });
	}
	await browser?.close();
	await Promise.all([site?.close(), partner?.close(), receiverServer?.close(), fake?.close()]);
	await database?.close();
});

describe('standing across devices', () => {
	it('associated on one device is associated on another, until a material version asks both', async () => {
		const laptop = await device();
		const a = await laptop.newPage();
		await a.goto(`${partnerUrl()}/`);
		let frame = await frameOf(a);
		await frame.getByRole('checkbox').check();
		await frame.getByRole('button', { name: 'Associate with Harbor Books' }).click();
		await frame.getByText('Saved in this browser.').waitFor();
		await expect
			.poll(async () => (await events(a)).some((e) => e.name === 'assent:sync'), {
				timeout: 20_000
			})
			.toBe(true);
		const made = await stored();
		expect(made).toEqual([{ id: expect.any(String), subject: SUBJECT }]);

		// The phone: another profile, nothing in its storage.
		const phone = await device();
		const b = await phone.newPage();
		await b.goto(`${partnerUrl()}/`);
		frame = await frameOf(b);
		await frame
			.getByText(/Your account is associated with Harbor Books since May 20, 2026/)
			.waitFor();
		expect(await frame.getByRole('checkbox').count()).toBe(0);
		const onPhone = await status(b);
		expect(onPhone).toMatchObject({
			associated: true,
			statements: [
				{ needed: false, reason: 'up-to-date', decidedBy: { id: made[0]!.id, source: 'remote' } }
			],
			decidedBy: [{ id: made[0]!.id, source: 'remote' }],
			backend: { checked: true, records: 1, ignored: 0 }
		});
		// Nothing was made on the phone, and the receiver still holds the one record.
		expect(await records(b)).toEqual([]);
		expect(await stored()).toHaveLength(1);
		// Inline on the partner page, the phone reads the standing from the page's origin.
		const inline = await phone.newPage();
		await inline.goto(`${partnerUrl()}/?embed=inline`);
		await inline
			.locator('assent-consent')
			.getByText(/Your account is associated with Harbor Books since May 20, 2026/)
			.waitFor();
		expect(await status(inline)).toMatchObject({
			associated: true,
			decidedBy: [{ id: made[0]!.id, source: 'remote' }],
			backend: { checked: true }
		});
		await inline.close();
		// The laptop's own record decides there.
		expect((await status(a)).decidedBy).toEqual([{ id: made[0]!.id, source: 'local' }]);

		// Version 2.0 (material) comes into force: both devices ask again.
		now = JUNE;
		for (const [context, page] of [
			[laptop, a],
			[phone, b]
		] as const) {
			await context.clock.setFixedTime(JUNE);
			await page.reload();
			frame = await frameOf(page);
			// What changed since the version the customer agreed to, on either device.
			await frame
				.locator('[part=changes]')
				.getByText('You agreed to version 1.1. Version 2.0 is now in force with a material change:')
				.waitFor();
			expect(await status(page)).toMatchObject({
				associated: true,
				statements: [{ needed: true, reason: 'material-change' }],
				backend: { checked: true }
			});
		}
		expect(await stored()).toHaveLength(1);
		expect((await events(b)).filter((e) => e.name === 'assent:error')).toEqual([]);
	}, 120_000);

	it('ignores and reports a standing record with a broken digest or a forged receipt', async () => {
		now = MAY;
		const [record] = (
			await database.query(`select raw from assent_records where subject = $1`, [SUBJECT])
		).rows.map((row) => JSON.parse(String(row.raw)) as Record<string, unknown>);
		const receipt = (
			fields: Record<string, unknown>,
			key: KeyPairKeyObjectResult = generateKeyPairSync('ed25519')
		) => ({
			...fields,
			signature: sign(null, Buffer.from(canonicalJson(fields)), key.privateKey).toString(
				'base64url'
			)
		});
		const fieldsOf = (r: Record<string, unknown>) => ({
			schema: 'assent.receipt/1',
			alg: 'Ed25519',
			kid: fakeKey.kid,
			id: r.id,
			digest: r.digest,
			receivedAt: '2026-05-20T12:00:01.000Z'
		});
		// Changed after it was made: another partner page named, the digest kept.
		const tampered = {
			...record!,
			presentation: { ...(record!.presentation as object), origin: 'https://elsewhere.example' }
		};
		fakeStanding = {
			subject: SUBJECT,
			records: [
				// The receipt is the fake's real signature, but the record's digest is broken.
				{
					record: tampered,
					receivedAt: '2026-05-20T12:00:01.000Z',
					receipt: receiptBy(fieldsOf(tampered))
				},
				// The record is intact, the receipt claims the fake's kid but a stranger signed it.
				{ record, receivedAt: '2026-05-20T12:00:01.000Z', receipt: receipt(fieldsOf(record!)) }
			]
		};
		function receiptBy(fields: Record<string, unknown>) {
			return receipt(fields, ownKey);
		}
		const context = await browser.newContext();
		await context.clock.setFixedTime(MAY);
		const page = await context.newPage();
		await page.goto(`${partnerUrl()}/?sync=${encodeURIComponent(`${fake.url}/acceptances`)}`);
		const frame = await frameOf(page);
		// Nothing trusted: the widget asks, as on a first visit.
		await frame.getByRole('checkbox').waitFor();
		await expect
			.poll(async () => (await events(page)).filter((e) => e.name === 'assent:error').length)
			.toBe(2);
		const errors = (await events(page)).filter((e) => e.name === 'assent:error');
		expect(errors.map((e) => e.detail.code)).toEqual(['standing/record', 'standing/record']);
		expect(errors[0]!.detail.message).toMatch(/was changed after it was made/);
		expect(errors[1]!.detail.message).toMatch(/signature does not verify against key/);
		expect(await status(page)).toMatchObject({
			associated: false,
			statements: [{ needed: true, reason: 'never-accepted' }],
			decidedBy: [],
			backend: { checked: true, records: 0, ignored: 2 }
		});
		await frame
			.getByText(
				'A record of your answers from another device could not be confirmed and was not used.',
				{
					exact: false
				}
			)
			.waitFor();
		await context.close();
	}, 60_000);
});
