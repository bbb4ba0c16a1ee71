/**
 * `npm start` on ports other than the defaults: the site, the sync receiver and the demo partner
 * page come up where PORT, ASSENT_RECEIVER_PORT and ASSENT_DEMO_PORT say, and the demo records
 * an association in Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
		expect(frame.url()).toContain(`http://127.0.0.1:${ports.site}/embed/`);
		await frame.getByRole('checkbox').check();
		await frame.getByRole('button', { name: 'Associate with Harbor Books' }).click();
		await frame.getByText('Saved in this browser.').waitFor();
		expect(await page.getByText('widget/origin').count()).toBe(0);
		await page.close();
	}, 120_000);
});
