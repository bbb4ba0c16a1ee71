import { describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import { benignCases, xssPayloads } from '../../../../tests/fixtures/xss-payloads';
import { renderMarkdown, sanitizeHtml } from './render';

const DANGEROUS_TAGS =
	'script, iframe, frame, object, embed, form, input, button, textarea, select, style, link, meta, base, svg, math, template, noscript';
const URL_ATTRIBUTES = [
	'href',
	'src',
	'action',
	'formaction',
	'xlink:href',
	'srcdoc',
	'data',
	'poster',
	'background'
];

/** Every way the sanitized HTML could still run script or load active content. */
function findDanger(html: string): string[] {
	const { document } = new JSDOM(`<body>${html}</body>`).window;
	const found: string[] = [];
	for (const element of document.body.querySelectorAll(DANGEROUS_TAGS))
		found.push(`<${element.tagName}>`);
	for (const element of document.body.querySelectorAll('*')) {
		for (const attribute of Array.from(element.attributes)) {
			const name = attribute.name.toLowerCase();
			// eslint-disable-next-line no-control-regex
			const value = attribute.value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
			if (name.startsWith('on')) found.push(`${element.tagName}[${name}]`);
			if (name === 'style') found.push(`${element.tagName}[style]`);
			if (URL_ATTRIBUTES.includes(name) && /^(javascript|vbscript|data|livescript):/.test(value)) {
				found.push(`${element.tagName}[${name}=${attribute.value}]`);
			}
		}
	}
	return found;
}

describe('renderMarkdown sanitizes', () => {
	it('has a real corpus to check', () => {
		expect(xssPayloads.length).toBeGreaterThanOrEqual(100);
		expect(new Set(xssPayloads.map((p) => p.name)).size).toBe(xssPayloads.length);
	});

	it.each(xssPayloads.map((p) => [p.name, p] as const))('%s', (_name, payload) => {
		const html = renderMarkdown(payload.markdown);
		expect(findDanger(html)).toEqual([]);
		// Sanitizing again changes nothing: no markup that only turns dangerous when re-parsed.
		expect(findDanger(sanitizeHtml(html))).toEqual([]);
	});
});

describe('renderMarkdown keeps what authors expect', () => {
	it.each(benignCases.map((c) => [c.name, c] as const))('%s', (_name, benign) => {
		const html = renderMarkdown(benign.markdown);
		for (const fragment of benign.mustContain) expect(html).toContain(fragment);
	});

	it('opens links to other sites safely and leaves local links alone', () => {
		const html = renderMarkdown(
			'[terms](https://example.com/terms) and [history](/statements/x/history/)'
		);
		expect(html).toContain('target="_blank"');
		expect(html).toMatch(
			/<a href="https:\/\/example\.com\/terms"[^>]*rel="noopener noreferrer nofollow"/
		);
		expect(html).toMatch(/<a href="\/statements\/x\/history\/" rel="noopener noreferrer">/);
	});

	it('gives headings stable anchors and drops author-written ids', () => {
		const html = renderMarkdown('## 3. Data we share\n\n<p id="main">x</p>\n\n## 数据共享\n');
		expect(html).toContain('<h2 id="section-3-data-we-share">3. Data we share</h2>');
		expect(html).toContain('<h2 id="section-数据共享">数据共享</h2>');
		expect(html).not.toContain('id="main"');
	});
});

describe('renderStatement across many renders', () => {
	it('renders every statement the same however many renders came before it', async () => {
		const { renderStatement } = await import('./render');
		const documents = Array.from(
			{ length: 60 },
			(_, i) =>
				`# Title ${i}\n\n## ${i}. Clause <b onclick="x()">${i}</b>\n\nSee [more](https://example.com/${i}) and ![](data:image/png;base64,AA==)\n\n- one\n- two\n\n| a | b |\n|---|---|\n| ${i} | <script>y()</script> |\n`
		);
		const first = documents.map((markdown) => renderStatement(markdown, { title: 'Title 0' }));
		// 250 more renders in another order: they cross the sanitizer's fresh windows elsewhere.
		for (let round = 0; round < 4; round++) {
			const order = documents.map((_, i) => (i * 7 + round * 13) % documents.length);
			for (const i of order) {
				expect(renderStatement(documents[i]!, { title: 'Title 0' })).toEqual(first[i]);
			}
		}
		expect(first[0]!.leadingHeading).toEqual({ text: 'Title 0', dropped: true });
		expect(first[5]!.removed).toEqual(expect.arrayContaining(['onclick on <b>', '<script>']));
		expect(first[5]!.html).not.toContain('data:');
	});
});
