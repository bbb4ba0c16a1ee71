/**
 * `npm start` on ports other than the defaults: the site, the sync receiver and the demo partner
 * page come up where PORT, ASSENT_RECEIVER_PORT and ASSENT_DEMO_PORT say, and the demo records
 * an association in Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintSubjectToken } from '../../receiver/mint.js';
import { DEMO_KEY } from '../../server/demo.js';
import { launchBrowser } from './browser';
import { freePort } from './server';

let start: ChildProcess;
let browser: Browser;
let output = '';
const data = mkdtempSync(join(tmpdir(), 'assent-demo-'));
const ports = { site: 0, demo: 0, receiver: 0 };

beforeAll(async () => {
	ports.site = await freePort();
	ports.demo = await freePort();
	ports.receiver = await freePort();
	start = spawn('npm', ['start'], {
		cwd: resolve('.'),
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {
			...process.env,
			NODE_ENV: 'production',
			PORT: String(ports.site),
			ASSENT_DEMO_PORT: String(ports.demo),
			ASSENT_RECEIVER_PORT: String(ports.receiver),
			ASSENT_RECEIVER_DATA: data,
			ASSENT_OUT: resolve(process.env.ASSENT_TEST_OUT ?? '.assent-test/site') + '-demo',
			ASSENT_KIT_DIR: resolve(process.env.ASSENT_TEST_OUT ?? '.assent-test/site') + '-demo-kit'
		}
	});
	await new Promise<void>((ready, fail) => {
		const seen = (chunk: Buffer) => {
			output += chunk.toString();
			if (
				output.includes(`demo partner page is at http://localhost:${ports.demo}/`) &&
				output.includes(`accepts records at http://127.0.0.1:${ports.receiver}/`)
			)
				ready();
		};
		start.stdout!.on('data', seen);
		start.stderr!.on('data', seen);
		start.once('exit', (code) => fail(new Error(`npm start ended (${code}):\n${output}`)));
	});
	browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
	await browser?.close();
	if (start?.pid) {
		try {
			process.kill(-start.pid, 'SIGTERM');
		} catch {
			// already gone
		}
		await new Promise((done) => setTimeout(done, 1000));
	}
	rmSync(data, { recursive: true, force: true });
});

describe('npm start on other ports', () => {
	it('serves a demo that records an association on those ports', async () => {
		const page = await browser.newPage();
		await page.goto(`http://localhost:${ports.demo}/`);
		const host = page.locator('assent-consent#associate');
		await host.locator('iframe').waitFor();
		const frame = (await (await host.locator('iframe').elementHandle())!.contentFrame())!;
		// The iframe element is there before its first navigation; its address follows.
		await expect
			.poll(() => frame.url(), { timeout: 20_000 })
			.toContain(`http://127.0.0.1:${ports.site}/embed/`);
		// The partner page's server minted a subject token for its signed-in customer.
		expect(await host.getAttribute('subject-token')).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
		const synced = page.evaluate(
			() =>
				new Promise((resolve) =>
					document.addEventListener('assent:sync', (e) => resolve((e as CustomEvent).detail), {
						once: true
					})
				)
		);
		await frame.getByRole('checkbox').check();
		await frame.getByRole('button', { name: 'Associate with Harbor Books' }).click();
		await frame.getByText('Saved in this browser.').waitFor();
		expect(await page.getByText('widget/origin').count()).toBe(0);
		await synced;
		// The receiver (verified subjects, its default) stored the record as verified: its
		// receipt does not say "unverified", and the customer's standing holds it.
		const receiver = /accepts records at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output)![1]!;
		const token = await mintSubjectToken({
			key: JSON.parse(readFileSync(DEMO_KEY, 'utf8')),
			partner: 'harbor-books',
			subject: 'reader-1042',
			audience: `http://127.0.0.1:${ports.site}`
		});
		const response = await fetch(`${receiver.replace(/\/$/, '')}/standing?subject=reader-1042`, {
			headers: { Authorization: `Bearer ${token}` }
		});
		expect(response.status).toBe(200);
		const standing = (await response.json()) as {
			records: {
				record: { action: string; subjectToken?: string };
				receipt: { subject?: string };
			}[];
		};
		expect(standing.records).toHaveLength(1);
		expect(standing.records[0]!.record.action).toBe('associate');
		expect(standing.records[0]!.record.subjectToken).toBeDefined();
		expect(standing.records[0]!.receipt.subject).toBeUndefined();
		const status = await page.evaluate(() =>
			(document.querySelector('#associate') as HTMLElementTagNameMap['assent-consent']).status()
		);
		expect(status).toMatchObject({ associated: true, backend: { checked: true } });
		await page.close();
	}, 120_000);
});
