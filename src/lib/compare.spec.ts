import { describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import { browserEnvironment, compareInBrowser } from './compare';
import { paths } from './core/paths';
import { diffPairs, statementDiff, versionDocument } from './server/content/catalogue';
import { loadContent } from './server/content/load';
import { statementFile, writeContent } from './server/content/test-content';

const body = (v: number) =>
	`## 1. Scope\n\nThese terms apply from version **${v}**, see [the privacy centre](https://example.com/privacy).\n\n` +
	(v >= 2
		? `## 2. Sharing\n\nWe share the order number${v >= 3 ? ' and the region' : ''}.\n\n`
		: '') +
	`| data | purpose |\n|---|---|\n| order | ${v >= 4 ? 'delivery and returns' : 'delivery'} |\n`;

/** `value` with every `html` member's attributes in name order. */
function canonical(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(canonical);
	if (!value || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value).map(([key, inner]) => [
			key,
			key === 'html' && typeof inner === 'string' ? sortedAttributes(inner) : canonical(inner)
		])
	);
}

function sortedAttributes(html: string): string {
	const { document } = new JSDOM('').window;
	const root = document.createElement('div');
	root.innerHTML = html;
	for (const element of Array.from(root.querySelectorAll('*'))) {
		const attributes = Array.from(element.attributes).map((a) => [a.name, a.value] as const);
		for (const [name] of attributes) element.removeAttribute(name);
		for (const [name, value] of attributes.sort(([a], [b]) => a.localeCompare(b))) {
			element.setAttribute(name, value);
		}
	}
	return root.innerHTML;
}

describe('compareInBrowser', () => {
	it('makes, from two versions’ published documents, the diff document the build would publish', async () => {
		const files: Record<string, string> = {};
		for (let v = 1; v <= 5; v++) {
			files[`statements/terms/${v}.0.en.md`] = statementFile(
				{
					title: 'Terms',
					version: `"${v}.0"`,
					issued: `2025-01-0${v}`,
					change: v === 1 ? 'initial' : 'minor',
					summary: v === 1 ? undefined : `Change ${v}.`
				},
				body(v)
			);
		}
		const now = new Date('2025-02-01T00:00:00Z');
		const [terms] = loadContent({ dir: writeContent(files) }).statements;
		const version = (v: string) => terms!.versions.find((x) => x.version === v)!;
		// 1.0 → 3.0 is neither neighbours nor to the version in force (5.0): not published.
		expect(diffPairs(terms!, { now }).some((p) => p.from === '1.0' && p.to === '3.0')).toBe(false);

		const requested: string[] = [];
		const load = async (url: string) => {
			requested.push(url);
			const [, v] = /\/terms\/([^/]+)\/en\.json$/.exec(url)!;
			// What the browser receives: the document as published, through JSON.
			return JSON.parse(
				JSON.stringify(
					versionDocument({ statement: terms!, version: version(v!), locale: 'en', now })
				)
			) as unknown;
		};
		// A document of its own, as in a browser, and no second sanitizer.
		const environment = browserEnvironment(new JSDOM('').window.document);
		const computed = await compareInBrowser({
			id: 'terms',
			from: '1.0',
			to: '3.0',
			locale: 'en',
			load,
			environment
		});
		expect(requested).toEqual([
			paths.versionJson({ id: 'terms', version: '1.0', locale: 'en' }),
			paths.versionJson({ id: 'terms', version: '3.0', locale: 'en' })
		]);
		const built = statementDiff({
			statement: terms!,
			from: version('1.0'),
			to: version('3.0'),
			locale: 'en'
		});
		// The same document; the build's second sanitizer pass only puts a link's attributes in
		// another order.
		expect(canonical(computed)).toEqual(canonical(built));
		expect(JSON.stringify(computed)).toContain('target=\\"_blank\\"');
		expect(computed.added).toBeGreaterThan(0);
		expect(computed.blocks.some((b) => b.kind === 'heading' && b.change === 'added')).toBe(true);
	});
});
