/**
 * Which pages of the built site other sites can frame, in Chromium: a statement page refuses
 * every frame (so nobody can overlay it with a page of their own), the widget's page
 * (`/embed/<id>/`) is framed by a partner's page but not by a site that is no partner.
 */
import { createServer } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser';
import { serveSite, type RunningServer } from './server';

let browser: Browser;
let site: RunningServer;
let host: ReturnType<typeof createServer>;

const siteUrl = () => `http://statements.test:${site.port}`;
const partnerUrl = () => `http://partner.test:${inject('partnerPort')}`;
const evilUrl = () => `http://evil.test:${inject('partnerPort')}`;

beforeAll(async () => {
	site = await serveSite(inject('siteDir'));
	// Any page it is asked for frames the statements-site path given in ?frame=.
	host = createServer((req, res) => {
		const frame = new URL(req.url ?? '/', 'http://host').searchParams.get('frame') ?? '/';
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
		res.end(`<!doctype html><title>host</title><iframe src="${siteUrl()}${frame}"></iframe>`);
	});
	await new Promise<void>((resolve) => host.listen(inject('partnerPort'), '127.0.0.1', resolve));
	browser = await launchBrowser({ args: ['--host-resolver-rules=MAP *.test 127.0.0.1'] });
});

afterAll(async () => {
	await browser?.close();
	host?.closeAllConnections();
	await new Promise((resolve) => host?.close(resolve));
	await site?.close();
});

/** Whether the page at `origin` shows `path` of the site in its frame. */
async function framed(origin: string, path: string): Promise<boolean> {
	const page: Page = await browser.newPage();
	try {
		await page.goto(`${origin}/?frame=${encodeURIComponent(path)}`);
		const frame = await (await page.waitForSelector('iframe')).contentFrame();
		await frame!.waitForLoadState();
		// A refused frame shows the browser's error page instead of the document.
		return !frame!.url().startsWith('chrome-error:');
	} finally {
		await page.close();
	}
}

describe('framing the built site', () => {
	it('sends the rules as headers: no frame for pages, partners only for the widget', async () => {
		const page = await fetch(
			`${siteUrl().replace('statements.test', '127.0.0.1')}/statements/partner-association/`
		);
		expect(page.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
		expect(page.headers.get('x-frame-options')).toBe('DENY');
		const embed = await fetch(
			`${siteUrl().replace('statements.test', '127.0.0.1')}/embed/partner-association/`
		);
		expect(embed.headers.get('content-security-policy')).toContain(partnerUrl());
		expect(embed.headers.get('content-security-policy')).not.toContain('evil.test');
		expect(embed.headers.get('x-frame-options')).toBeNull();
	});

	it('lets a partner page frame the widget, and nobody frame a statement or the records', async () => {
		expect(await framed(partnerUrl(), '/embed/partner-association/')).toBe(true);
		expect(await framed(evilUrl(), '/embed/partner-association/')).toBe(false);
		expect(await framed(partnerUrl(), '/statements/partner-association/')).toBe(false);
		expect(await framed(evilUrl(), '/records/')).toBe(false);
	});
});
