import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { diffBlocks } from '../../src/lib/server/content/diff';
import { renderMarkdown } from '../../src/lib/server/content/render';
import { xssPayloads } from '../fixtures/xss-payloads';
import { launchBrowser } from './browser';
import { listen, type RunningServer } from './server';

/**
 * Every payload of the corpus goes through the real renderer, then into a page with no
 * Content-Security-Policy, so only the sanitizer stands between the payload and the reader.
 * `window.__xss` is the trap every payload calls when it manages to run.
 */
let browser: Browser;
let server: RunningServer;
let page = '';

beforeAll(async () => {
	const sections = xssPayloads
		.map((p, i) => `<section data-payload="${i}">${renderMarkdown(p.markdown)}</section>`)
		.join('\n');
	// The same payloads as the comparison of two versions shows them: added, and reworded.
	const around = (markdown: string) => `Ordinary words.\n\n${markdown}\n\nMore words.\n`;
	const compared = xssPayloads
		.map((p, i) => {
			const shown = [
				diffBlocks({
					from: renderMarkdown('Ordinary words.'),
					to: renderMarkdown(around(p.markdown)),
					locale: 'en'
				}),
				diffBlocks({
					from: renderMarkdown(around(p.markdown)),
					to: renderMarkdown(around(`${p.markdown} changed`)),
					locale: 'en'
				})
			]
				.flat()
				.flatMap((b) => [b.parts, ...(b.rows ?? []).flatMap((r) => r.cells.map((c) => c.parts))])
				.map((parts) => `<p>${parts.map((part) => `<ins>${part.html}</ins>`).join('')}</p>`)
				.join('');
			return `<section data-diff="${i}">${shown}</section>`;
		})
		.join('\n');
	page = `<!doctype html><html><head><meta charset="utf-8"><title>corpus</title>
<script>window.__hits = []; window.__xss = function (n) { window.__hits.push(String(n)); };
window.alert = window.prompt = window.confirm = function (m) { window.__hits.push('dialog:' + m); };</script>
</head><body>${sections}${compared}</body></html>`;
	server = await listen((req, res) => {
		if (req.url === '/') {
			res.setHeader('Content-Type', 'text/html; charset=utf-8');
			res.end(page);
		} else {
			res.statusCode = 404;
			res.end();
		}
	});
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await server?.close();
});

describe('sanitized statements in Chromium', () => {
	it('run none of the corpus payloads, even when readers hover, focus and animate', async () => {
		const context = await browser.newContext();
		const tab = await context.newPage();
		const requests: string[] = [];
		// Nothing leaves the page: a payload that fetches or navigates is recorded and stopped.
		await tab.route('**/*', (route) => {
			const url = route.request().url();
			if (url === `${server.url}/`) return route.continue();
			requests.push(url);
			return route.abort();
		});
		const dialogs: string[] = [];
		tab.on('dialog', (dialog) => {
			dialogs.push(dialog.message());
			void dialog.dismiss();
		});
		await tab.goto(server.url + '/', { waitUntil: 'load' });
		await tab.evaluate(async () => {
			const events = [
				'mouseover',
				'mouseenter',
				'mousemove',
				'focus',
				'focusin',
				'blur',
				'animationstart',
				'transitionend',
				'toggle',
				'pointerover'
			];
			for (const element of Array.from(document.querySelectorAll('body *'))) {
				for (const type of events) element.dispatchEvent(new Event(type, { bubbles: true }));
				if (element instanceof HTMLElement) element.focus();
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		});
		const hits = await tab.evaluate(() => (window as unknown as { __hits: string[] }).__hits);
		const scripts = await tab.evaluate(() => document.querySelectorAll('body script').length);
		expect(hits).toEqual([]);
		expect(dialogs).toEqual([]);
		expect(scripts).toBe(0);
		expect(requests.filter((url) => /^(javascript|data):/i.test(url))).toEqual([]);
		await context.close();
	});
});
