import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { serveSite, type RunningServer } from './server';

let browser: Browser;
let server: RunningServer;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
	server = await serveSite(inject('siteDir'));
	browser = await launchBrowser();
	page = await browser.newPage();
	page.on('pageerror', (error) => errors.push(error.message));
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(message.text());
	});
});

afterAll(async () => {
	await browser?.close();
	await server?.close();
});

const fileHash = (path: string) => {
	const text = readFileSync(path, 'utf8').replace(/\r\n?/g, '\n');
	return 'sha256:' + createHash('sha256').update(text).digest('hex');
};

async function open(path: string): Promise<void> {
	errors.length = 0;
	const response = await page.goto(server.url + path, { waitUntil: 'networkidle' });
	expect(response?.status(), path).toBe(200);
}

describe('the catalogue', () => {
	it('lists the statements, the version in force and the announced update', async () => {
		await open('/');
		await expect(page.locator('h1').textContent()).resolves.toBe('Statements');
		const rows = page.locator('table tbody tr');
		expect(await rows.count()).toBe(2);
		const partnerRow = rows.filter({ hasText: 'partner-association' });
		await expect(partnerRow.textContent()).resolves.toMatch(/Version 2\.0, since\s+June 1, 2026/);
		const announced = page.locator('section', { hasText: 'Announced updates' });
		await expect(announced.textContent()).resolves.toMatch(
			/1\.1\s+comes into force on\s+February 1, 2027/
		);
		expect(errors).toEqual([]);
	});
});

describe('a statement page', () => {
	it('shows the version in force with its metadata and the hash of its file', async () => {
		await open('/statements/partner-association/');
		const title = await page.locator('h1').textContent();
		expect(title?.trim().length).toBeGreaterThan(5);
		const meta = (await page.locator('dl.meta').innerText()).replace(/\s+/g, ' ');
		expect(meta).toMatch(/Version 2\.0 In force/i);
		expect(meta).toMatch(/Issued May 4, 2026/i);
		expect(meta).toMatch(/Effective June 1, 2026/i);
		expect(meta).toMatch(/Material change/i);
		const hash = await page.getByTestId('hash').textContent();
		expect(hash).toBe(fileHash('src/content/statements/partner-association/2.0.en.md'));
		await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
		// The statement's own markup reached the page: numbered clauses, bold, a link, a list.
		const text = page.locator('.statement-text');
		expect(await text.locator('h2').count()).toBeGreaterThanOrEqual(6);
		expect(await text.locator('strong').count()).toBeGreaterThan(0);
		expect(await text.locator('ul li, ol li').count()).toBeGreaterThan(0);
		const link = text.locator('a[href^="http"]').first();
		await expect(link.getAttribute('rel')).resolves.toContain('noopener');
		expect(errors).toEqual([]);
	});

	it('links to the other locale, which is marked as Chinese', async () => {
		await open('/statements/partner-association/');
		await page.locator('nav[aria-label="Versions"] a[hreflang="zh-CN"]').click();
		await page.waitForURL('**/statements/partner-association/2.0/zh-CN/');
		await expect(page.locator('article').getAttribute('lang')).resolves.toBe('zh-CN');
		const meta = await page.locator('dl.meta').innerText();
		expect(meta).toContain('生效日期');
		const hash = await page.getByTestId('hash').textContent();
		expect(hash).toBe(fileHash('src/content/statements/partner-association/2.0.zh-CN.md'));
		// Loaded directly, the page says it is Chinese from the first byte.
		await open('/statements/partner-association/2.0/zh-CN/');
		await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
	});

	it('says when a version is superseded and links to the one in force', async () => {
		await open('/statements/partner-association/1.0/');
		const notice = page.locator('.notice').first();
		await expect(notice.textContent()).resolves.toMatch(/superseded by version 2\.0/);
		await notice.locator('a').click();
		await page.waitForURL('**/statements/partner-association/2.0/');
	});

	it('shows an announced version as announced, without replacing the version in force', async () => {
		await open('/statements/customer-data-sharing/');
		const meta = (await page.locator('dl.meta').innerText()).replace(/\s+/g, ' ');
		expect(meta).toMatch(/Version 1\.0 In force/i);
		const notice = page.locator('.notice.announced').first();
		await expect(notice.textContent()).resolves.toMatch(
			/Version 1\.1 is announced and comes into force on February 1, 2027/
		);
		await expect(notice.innerText()).resolves.toMatch(/Read version 1\.1 · What changes$/);
		await open('/statements/customer-data-sharing/1.1/');
		const announcedMeta = (await page.locator('dl.meta').innerText()).replace(/\s+/g, ' ');
		expect(announcedMeta).toMatch(/Version 1\.1 Announced/i);
		await expect(page.locator('.notice.announced').first().textContent()).resolves.toMatch(
			/comes into force on February 1, 2027\. Until then, version 1\.0 applies/
		);
	});

	it('prints without navigation', async () => {
		await open('/statements/partner-association/');
		await page.emulateMedia({ media: 'print' });
		await expect(page.getByRole('navigation', { name: 'Site' }).isVisible()).resolves.toBe(false);
		await expect(page.locator('.language-switch').isVisible()).resolves.toBe(false);
		await expect(page.locator('.statement-nav').isVisible()).resolves.toBe(false);
		await expect(page.getByTestId('hash').isVisible()).resolves.toBe(true);
		const pdf = await page.pdf({ format: 'A4' });
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		await page.emulateMedia({ media: 'screen' });
	});
});

describe('history and diff', () => {
	it('lists every version with date, change kind, summary and hash', async () => {
		await open('/statements/partner-association/history/');
		const items = page.locator('ol.history > li');
		expect(await items.count()).toBe(3);
		const newest = await items.first().innerText();
		expect(newest).toMatch(/Version 2\.0/);
		expect(newest).toMatch(/Material change/);
		expect(newest).toContain(fileHash('src/content/statements/partner-association/2.0.en.md'));
		expect(newest).toContain(fileHash('src/content/statements/partner-association/2.0.zh-CN.md'));
		expect(await items.nth(1).innerText()).toMatch(/Minor change/);
	});

	it('shows the latest change by default, with insertions and deletions marked for every reader', async () => {
		await open('/statements/partner-association/diff/');
		await expect(page.locator('h2').first().textContent()).resolves.toMatch(/Version 1\.1 → 2\.0/);
		const diff = page.getByTestId('diff');
		expect(await diff.locator('ins').count()).toBeGreaterThan(0);
		expect(await diff.locator('del').count()).toBeGreaterThan(0);
		// Screen readers hear what changed, not only sighted readers who see colours.
		await expect(diff.locator('ins').first().textContent()).resolves.toMatch(/^\[added: .+\]$/s);
		await expect(diff.locator('del').first().textContent()).resolves.toMatch(/^\[removed: .+\]$/s);
		expect(errors).toEqual([]);
	});

	it('shows tables as tables, lists as lists, and renumbered clauses as unchanged', async () => {
		await open('/statements/partner-association/diff/?from=1.1&to=2.0');
		const diff = page.getByTestId('diff');
		await diff.locator('table').waitFor();
		const text = await diff.innerText();
		// No markdown source, no bullet characters standing in for list items.
		expect(text).not.toContain('|');
		expect(await diff.locator('p', { hasText: '•' }).count()).toBe(0);
		const changedRow = diff.locator('tbody tr', { hasText: 'Order details' });
		await expect(changedRow.locator('td').nth(2).locator('del').innerText()).resolves.toContain(
			'24'
		);
		await expect(
			changedRow.locator('td').nth(2).locator('ins').first().innerText()
		).resolves.toContain('18');
		expect(await changedRow.locator('td').first().locator('ins, del').count()).toBe(0);
		const newRow = diff.locator('tbody tr', { hasText: 'Delivery region of an order' });
		expect(await newRow.locator('td ins').count()).toBe(3);
		expect(await diff.locator('ul > li', { hasText: 'the order status' }).count()).toBe(1);
		// The inserted clause is marked; the clauses after it, renumbered, are not.
		await expect(
			diff
				.getByRole('heading', { name: /Delivery region/ })
				.locator('ins')
				.count()
		).resolves.toBe(1);
		const renumbered = diff.getByRole('heading', { name: '5. What the partner cannot see' });
		expect(await renumbered.count()).toBe(1);
		expect(await renumbered.locator('ins, del').count()).toBe(0);
		// Links keep working inside the comparison.
		await expect(
			diff.locator('a[href="https://example.com/privacy"]').first().getAttribute('rel')
		).resolves.toContain('noopener');
		expect(errors).toEqual([]);
	});

	it('compares any two versions chosen in the form or in the address', async () => {
		await open('/statements/partner-association/diff/?from=1.0&to=1.1');
		await expect(page.locator('h2').first().textContent()).resolves.toMatch(/Version 1\.0 → 1\.1/);
		await page.locator('select[name="from"]').selectOption('1.0');
		await page.locator('select[name="to"]').selectOption('2.0');
		await page.locator('select[name="locale"]').selectOption('zh-CN');
		await page.getByRole('button', { name: 'Compare' }).click();
		// The comparison of the Chinese text is the Chinese page: every word around it is Chinese.
		await page.waitForURL(/\/diff\/zh-CN\/\?from=1\.0&to=2\.0$/);
		await expect(page.locator('h2').first().textContent()).resolves.toMatch(/版本 1\.0 → 2\.0/);
		await expect(page.getByTestId('diff').getAttribute('lang')).resolves.toBe('zh-CN');
		expect(await page.getByTestId('diff').locator('ins').count()).toBeGreaterThan(0);

		await open('/statements/partner-association/diff/?from=2.0&to=1.0');
		await expect(page.locator('h2').first().textContent()).resolves.toMatch(/Version 1\.0 → 2\.0/);
		await open('/statements/partner-association/diff/?from=1.0&to=9.9');
		await expect(page.getByRole('alert').textContent()).resolves.toContain(
			'There is no version 9.9'
		);
		expect(errors).toEqual([]);
	});
});

describe('comparing a pair the site does not publish', () => {
	it('computes it in the browser from the two versions’ documents, as the published diff shows it', async () => {
		const path = '/statements/partner-association/diff/?from=1.0&to=1.1';
		await open(path);
		const diff = page.getByTestId('diff');
		await diff.locator('ins').first().waitFor();
		const published = {
			text: await diff.innerText(),
			marks: await diff.locator('ins, del').count(),
			links: await diff.locator('a[rel~="noopener"]').count()
		};

		// The same page, told that no diff document is published: the sites of large content
		// publish neighbours and the versions in force and latest only.
		await page.route(
			(url) => url.pathname === '/statements/partner-association/diff/',
			async (route) => {
				const response = await route.fetch();
				const html = (await response.text())
					.replace(/published:\[[^\]]*\]/, 'published:[]')
					// The page's policy allows its inline script by hash: the edited one needs none.
					.replace(/<meta http-equiv="content-security-policy"[^>]*>/i, '');
				const headers = { ...response.headers() };
				delete headers['content-security-policy'];
				await route.fulfill({ response, headers, body: html });
			}
		);
		const requested: string[] = [];
		const track = (request: { url(): string }) => requested.push(new URL(request.url()).pathname);
		page.on('request', track);
		try {
			await open(path);
			await diff.locator('ins').first().waitFor();
			expect(requested).toContain('/statements/partner-association/1.0/en.json');
			expect(requested).toContain('/statements/partner-association/1.1/en.json');
			expect(requested.filter((p) => p.includes('/diff/1.0/'))).toEqual([]);
			expect({
				text: await diff.innerText(),
				marks: await diff.locator('ins, del').count(),
				links: await diff.locator('a[rel~="noopener"]').count()
			}).toEqual(published);
			expect(errors).toEqual([]);
		} finally {
			page.off('request', track);
			await page.unrouteAll();
		}
	});
});

describe('languages', () => {
	/** Proper names and technical names a Chinese page may write in Latin letters. */
	const PROPER_NAMES = ['Example', 'Cloud', 'Ltd', 'SHA', 'JSON', 'index', 'json', 'Atom'];

	const zhPages = [
		'/zh-CN/',
		'/statements/partner-association/2.0/zh-CN/',
		'/statements/partner-association/1.0/zh-CN/',
		'/statements/customer-data-sharing/1.1/zh-CN/',
		'/statements/partner-association/history/zh-CN/',
		'/statements/partner-association/diff/zh-CN/',
		'/statements/partner-association/diff/zh-CN/?from=1.0&to=1.1',
		'/records/'
	];

	it('writes no English word on the Chinese pages outside statement text and proper names', async () => {
		const context = await browser.newContext({ locale: 'zh-CN' });
		const zh = await context.newPage();
		const pageErrors: string[] = [];
		zh.on('pageerror', (error) => pageErrors.push(error.message));
		try {
			for (const path of zhPages) {
				await zh.goto(server.url + path, { waitUntil: 'networkidle' });
				await expect(zh.locator('html').getAttribute('lang'), path).resolves.toBe('zh-CN');
				const words = await zh.evaluate(latinWords);
				const english = words.filter((w) => !PROPER_NAMES.includes(w.word));
				expect(english, path).toEqual([]);
			}
			expect(pageErrors).toEqual([]);
		} finally {
			await context.close();
		}
	});

	it('leads / to the browser language, switches language and remembers the choice', async () => {
		const context = await browser.newContext({ locale: 'zh-CN' });
		const reader = await context.newPage();
		try {
			await reader.goto(server.url + '/', { waitUntil: 'networkidle' });
			await reader.waitForURL('**/zh-CN/');
			await expect(reader.locator('h1').textContent()).resolves.toBe('声明');
			await expect(reader.locator('.brand').textContent()).resolves.toBe('Example Cloud 声明中心');
			// The switch names each language in that language and takes the reader to the same page.
			const switcher = reader.getByRole('navigation', { name: '语言' });
			await switcher.getByRole('link', { name: 'English' }).click();
			await reader.waitForURL(server.url + '/');
			await expect(reader.locator('h1').textContent()).resolves.toBe('Statements');
			// Chosen explicitly, English stays, over the browser's Chinese, on the next visit.
			await reader.goto(server.url + '/', { waitUntil: 'networkidle' });
			await expect(reader.locator('h1').textContent()).resolves.toBe('Statements');
			expect(new URL(reader.url()).pathname).toBe('/');
			// The records page, in no language of its own, follows the choice too.
			await reader.goto(server.url + '/records/', { waitUntil: 'networkidle' });
			await expect(reader.locator('h1').textContent()).resolves.toBe('My records');
			await reader.getByRole('button', { name: '中文（中国）' }).click();
			await expect(reader.locator('h1').textContent()).resolves.toBe('我的记录');
			await expect(reader.locator('.site-header nav a').first().textContent()).resolves.toBe(
				'声明'
			);
			// A page in English offers the Chinese page to a reader who chose Chinese.
			await reader.goto(server.url + '/statements/partner-association/history/', {
				waitUntil: 'networkidle'
			});
			const offer = reader.locator('.language-offer');
			await expect(offer.getAttribute('lang')).resolves.toBe('zh-CN');
			await offer.getByRole('link').click();
			await reader.waitForURL('**/history/zh-CN/');
			await expect(reader.locator('h1').textContent()).resolves.toMatch(/^版本历史：/);
		} finally {
			await context.close();
		}
	});

	it('lists languages, counts versions and credits the publisher as each language writes them', async () => {
		await open('/');
		const row = page.locator('table tbody tr', { hasText: 'partner-association' });
		await expect(row.locator('td').nth(1).innerText()).resolves.toBe('English and 中文（中国）');
		await expect(row.locator('td').nth(2).innerText()).resolves.toMatch(/^3 versions · History$/);
		const single = page.locator('table tbody tr', { hasText: 'customer-data-sharing' });
		await expect(single.locator('td').nth(2).innerText()).resolves.toMatch(/^2 versions/);
		await expect(page.locator('.site-footer p').first().innerText()).resolves.toBe(
			'Published by Example Cloud Ltd. · legal@example.com'
		);
		await open('/zh-CN/');
		const zhRow = page.locator('table tbody tr', { hasText: 'partner-association' });
		await expect(zhRow.locator('td').nth(1).innerText()).resolves.toBe('English和中文（中国）');
		await expect(zhRow.locator('td').nth(2).innerText()).resolves.toBe('3 个版本 · 版本历史');
		await expect(page.locator('.site-footer p').first().innerText()).resolves.toBe(
			'发布者：Example Cloud Ltd. · legal@example.com'
		);
	});

	it('writes dates the same way as the widget, in a <time> with the ISO date', async () => {
		await open('/statements/customer-data-sharing/1.0/');
		const effective = page.locator('dl.meta time').nth(1);
		await expect(effective.getAttribute('datetime')).resolves.toBe('2025-03-17');
		// The widget says "Version 1.0, in force since March 17, 2025" (widget.e2e.ts).
		await expect(effective.textContent()).resolves.toBe('March 17, 2025');
		await open('/statements/customer-data-sharing/1.0/zh-CN/');
		await expect(page.locator('dl.meta time').nth(1).textContent()).resolves.toBe('2025年3月17日');
	});
});

describe('on a phone', () => {
	for (const path of ['/', '/zh-CN/']) {
		it(`shows every column of the catalogue at 390 px without sideways scrolling (${path})`, async () => {
			const context = await browser.newContext({
				viewport: { width: 390, height: 844 },
				locale: path === '/' ? 'en-US' : 'zh-CN'
			});
			const phone = await context.newPage();
			try {
				await phone.goto(server.url + path, { waitUntil: 'networkidle' });
				const layout = await phone.evaluate(() => ({
					overflow: document.documentElement.scrollWidth - window.innerWidth,
					cells: [...document.querySelectorAll('table tbody td, table tbody th')].map((cell) => {
						const box = cell.getBoundingClientRect();
						return { text: (cell as HTMLElement).innerText, left: box.left, right: box.right };
					}),
					// A date broken across lines has more than one line box.
					brokenDates: [...document.querySelectorAll('time')]
						.filter((time) => time.getClientRects().length > 1)
						.map((time) => time.textContent)
				}));
				const shot = await phone.screenshot({ fullPage: true });
				expect(shot.length).toBeGreaterThan(0);
				expect(layout.overflow).toBeLessThanOrEqual(0);
				expect(layout.cells.length).toBeGreaterThanOrEqual(8);
				for (const cell of layout.cells) {
					expect(cell.left, cell.text).toBeGreaterThanOrEqual(0);
					expect(cell.right, cell.text).toBeLessThanOrEqual(390);
				}
				const versions = layout.cells.filter((c) => /versions|个版本/.test(c.text));
				expect(versions).toHaveLength(2);
				expect(layout.brokenDates).toEqual([]);
			} finally {
				await context.close();
			}
		});
	}

	it('puts the languages and versions of a statement above its text, and a table of contents', async () => {
		const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
		const phone = await context.newPage();
		try {
			await phone.goto(server.url + '/statements/partner-association/', {
				waitUntil: 'networkidle'
			});
			const bar = phone.getByRole('navigation', { name: 'Languages and versions' });
			const bottom = (await bar.boundingBox())!.y + (await bar.boundingBox())!.height;
			expect(bottom).toBeLessThan(844);
			await expect(
				bar.getByRole('link', { name: '中文（中国）' }).getAttribute('href')
			).resolves.toBe('/statements/partner-association/2.0/zh-CN/');
			await expect(bar.getByRole('link', { name: '1.0' }).getAttribute('href')).resolves.toBe(
				'/statements/partner-association/1.0/'
			);
			const toc = phone.getByRole('navigation', { name: 'Contents' });
			const clauses = await phone.locator('.statement-text h2').allTextContents();
			expect(await toc.locator('a').allTextContents()).toEqual(clauses);
			await toc.locator('a').nth(4).click();
			const target = await phone.locator('.statement-text h2').nth(4).getAttribute('id');
			expect(new URL(phone.url()).hash).toBe(`#${target}`);
			const top = (await phone.locator('.statement-text h2').nth(4).boundingBox())!.y;
			expect(Math.abs(top)).toBeLessThan(50);
		} finally {
			await context.close();
		}
	});
});

/** Runs in the page: the Latin-letter words of its visible interface text, attributes and title. */
function latinWords(): { word: string; where: string }[] {
	const found: { word: string; where: string }[] = [];
	const outside = (el: Element | null): boolean => {
		if (!el) return true;
		// Statement text (and its comparison), code, hashes and e-mail addresses are not interface words.
		if (
			el.closest(
				'.statement-text, [data-testid="diff"], code, .hash, script, style, a[href^="mailto:"]'
			)
		)
			return false;
		// Words marked as another language (a language's own name in a switch) are that language.
		const lang = el.closest('[lang]')?.getAttribute('lang');
		return lang === 'zh-CN';
	};
	const add = (text: string | null | undefined, where: string) => {
		// An e-mail address an author wrote in a summary is an address, not a word.
		const words = text?.replace(/\S+@\S+/g, '').match(/[A-Za-z]+/g) ?? [];
		for (const word of words) found.push({ word, where });
	};
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let node = walker.nextNode(); node; node = walker.nextNode()) {
		const parent = node.parentElement;
		if (parent && outside(parent) && parent.closest('[hidden]') === null) {
			add(node.textContent, parent.tagName.toLowerCase() + '.' + parent.className);
		}
	}
	for (const el of document.body.querySelectorAll('[aria-label], [title], [alt], [placeholder]')) {
		if (!outside(el)) continue;
		for (const name of ['aria-label', 'title', 'alt', 'placeholder'])
			add(el.getAttribute(name), `${el.tagName.toLowerCase()}[${name}]`);
	}
	add(document.title, 'title');
	return found;
}

describe('machine-readable documents', () => {
	it('publishes index.json, version JSON and the Atom feed with hashes', async () => {
		const index = await (await fetch(`${server.url}/statements/index.json`)).json();
		const partner = index.statements.find((s: { id: string }) => s.id === 'partner-association');
		expect(partner.inForce).toBe('2.0');
		expect(partner.versions.map((v: { version: string }) => v.version)).toEqual([
			'1.0',
			'1.1',
			'2.0'
		]);
		const json = await (
			await fetch(`${server.url}/statements/partner-association/2.0/zh-CN.json`)
		).json();
		expect(json.hash).toBe(fileHash('src/content/statements/partner-association/2.0.zh-CN.md'));
		expect(json.html).toContain('<h2');
		const feed = await fetch(`${server.url}/statements/feed.xml`);
		expect(feed.headers.get('content-type')).toContain('application/atom+xml');
		const xml = await feed.text();
		expect(xml).toContain('<assent:effective>2027-02-01</assent:effective>');
		expect(xml.match(/<entry /g)).toHaveLength(10);
	});

	it('ships no markdown renderer or sanitizer to readers', () => {
		const dir = join(inject('siteDir'), '_app');
		const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
			f.endsWith('.js')
		);
		expect(files.length).toBeGreaterThan(0);
		for (const file of files) {
			const code = readFileSync(join(dir, file), 'utf8');
			// Strings only the markdown renderer and the sanitizer carry, whatever the minifier does.
			expect(code, file).not.toMatch(/marked\(\)|DOMPurify|\bLexer\b|"marked"|`marked`/);
		}
	});
});

describe('accessibility', () => {
	it('has landmarks, one main heading and a working skip link', async () => {
		await open('/statements/partner-association/');
		expect(await page.locator('header.site-header').count()).toBe(1);
		expect(await page.locator('main').count()).toBe(1);
		expect(await page.locator('footer').count()).toBe(1);
		expect(await page.locator('h1').count()).toBe(1);
		await page.keyboard.press('Tab');
		await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
			'Skip to content'
		);
		await page.keyboard.press('Enter');
		await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
	});

	for (const scheme of ['light', 'dark'] as const) {
		it(`keeps text contrast at 4.5:1 or more in the ${scheme} scheme`, async () => {
			await page.emulateMedia({ colorScheme: scheme });
			for (const path of [
				'/',
				'/statements/partner-association/',
				'/statements/partner-association/diff/'
			]) {
				await open(path);
				const low = await page.evaluate(lowContrastTexts);
				expect(low, `${scheme} ${path}`).toEqual([]);
			}
			await page.emulateMedia({ colorScheme: 'light' });
		});
	}
});

/** Runs in the page: every text element whose colour against its background is under 4.5:1. */
function lowContrastTexts(): string[] {
	const parse = (color: string): [number, number, number, number] => {
		const m = color.match(/[\d.]+/g)!.map(Number);
		return [m[0]!, m[1]!, m[2]!, m[3] ?? 1];
	};
	const luminance = ([r, g, b]: number[]) => {
		const c = [r!, g!, b!].map((v) => {
			const s = v / 255;
			return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
		});
		return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
	};
	const background = (el: Element | null): number[] => {
		while (el) {
			const bg = parse(getComputedStyle(el).backgroundColor);
			if (bg[3] > 0.5) return bg;
			el = el.parentElement;
		}
		return parse(getComputedStyle(document.documentElement).backgroundColor || 'rgb(255,255,255)');
	};
	const problems: string[] = [];
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	while (walker.nextNode()) {
		const node = walker.currentNode;
		const el = node.parentElement;
		if (!el || !node.textContent?.trim() || el.closest('.visually-hidden, .skip-link')) continue;
		const style = getComputedStyle(el);
		if (style.visibility === 'hidden' || style.display === 'none') continue;
		const fg = parse(style.color);
		const bg = background(el);
		const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
		const ratio = (l1! + 0.05) / (l2! + 0.05);
		if (ratio < 4.5)
			problems.push(`${el.tagName} "${node.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
	}
	return problems;
}
