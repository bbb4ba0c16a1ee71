import { describe, expect, it } from 'vitest';
import { AssentError } from '../../core/errors';
import { readPartners, readSite } from './site';
import { writeContent } from './test-content';

const read = (yaml: string) =>
	readSite({ dir: writeContent({ 'site.yaml': yaml }), discoveredLocales: ['en'] });

describe('site names per locale', () => {
	it('keeps a plain name working', () => {
		const site = read('name: Example\npublisher:\n  name: Example Ltd\nlocales: [en, zh-CN]\n');
		expect(site.name).toBe('Example');
		expect(site.names).toBeUndefined();
		expect(site.publisher).toEqual({ name: 'Example Ltd' });
	});

	it('reads a name and a publisher name per locale; the default locale names the site', () => {
		const site = read(
			'name:\n  zh-CN: 示例声明\n  en: Example Statements\npublisher:\n  name: { en: Example Ltd, zh-CN: 示例有限公司 }\n  contact: legal@example.com\nlocales: [en, zh-CN]\n'
		);
		expect(site.name).toBe('Example Statements');
		expect(site.names).toEqual({ en: 'Example Statements', 'zh-CN': '示例声明' });
		expect(site.publisher).toEqual({
			name: 'Example Ltd',
			names: { en: 'Example Ltd', 'zh-CN': '示例有限公司' },
			contact: 'legal@example.com'
		});
	});

	it('names the field and the fix for a locale the site does not list or an empty name', () => {
		expect(() => read('name: { en: Example, fr: Exemple }\nlocales: [en, zh-CN]\n')).toThrow(
			/site\.yaml: field "name": "fr" is not one of the site's locales \(en, zh-CN\)/
		);
		expect(() => read('name: { en: "" }\nlocales: [en]\n')).toThrow(AssentError);
		expect(() => read('name: { en: "" }\nlocales: [en]\n')).toThrow(/field "name\.en"/);
		expect(() => read('name: [a, b]\n')).toThrow(/one per locale/);
	});
});

describe('addresses in site.yaml and partners.yaml', () => {
	const partners = (entry: string) =>
		readPartners({
			dir: writeContent({
				'partners.yaml': `partners:\n  - id: harbor-books\n    name: Harbor Books\n${entry}`
			})
		});

	it('accepts https, http on localhost, and e-mail or mailto: for the contact', () => {
		expect(read('publisher:\n  name: X\n  contact: mailto:legal@example.com\n').publisher).toEqual({
			name: 'X',
			contact: 'legal@example.com'
		});
		expect(
			read('publisher:\n  name: X\n  contact: https://example.com/contact\n').publisher
		).toMatchObject({ contact: 'https://example.com/contact' });
		expect(read('baseUrl: http://localhost:4173\n').baseUrl).toBe('http://localhost:4173');
		expect(
			partners('    url: https://harbor-books.example\n    origins: [http://127.0.0.1:5173]\n')[0]
		).toMatchObject({ url: 'https://harbor-books.example', origins: ['http://127.0.0.1:5173'] });
	});

	it.each([
		['javascript:alert(1)', 'javascript: addresses are refused'],
		['data:text/html,hi', 'data: addresses are refused'],
		['javascript:alert(1)//@example.com', 'javascript: addresses are refused'],
		['mailto:javascript:alert(1)', 'is not a mailto: link with one e-mail address']
	])('refuses the contact %s, naming the field and the fix', (contact, expected) => {
		expect(() => read(`publisher:\n  name: X\n  contact: "${contact}"\n`)).toThrow(
			new RegExp(
				`site\\.yaml: field "publisher\\.contact": .*${expected.replace(/[().]/g, '\\$&')}.*write e\\.g\\. legal@example\\.com`
			)
		);
	});

	it('refuses plain http on a public host and other schemes for baseUrl', () => {
		expect(() => read('baseUrl: http://statements.example.com\n')).toThrow(
			/field "baseUrl": "http:\/\/statements\.example\.com" uses http:, which only localhost and 127\.0\.0\.1 may; write https:\/\/statements\.example\.com\./
		);
		expect(() => read('baseUrl: "javascript:alert(1)"\n')).toThrow(
			/field "baseUrl": .*javascript: addresses are refused/
		);
	});

	it('refuses a partner url or origin that is not https', () => {
		expect(() =>
			partners('    url: "javascript:alert(1)"\n    origins: [https://harbor-books.example]\n')
		).toThrow(/partners\.yaml: partners\[0\]\.url: .*javascript: addresses are refused/);
		expect(() =>
			partners(
				'    url: http://harbor-books.example\n    origins: [https://harbor-books.example]\n'
			)
		).toThrow(/partners\[0\]\.url: .*uses http:, which only localhost/);
		expect(() =>
			partners(
				'    url: https://harbor-books.example\n    origins: [http://harbor-books.example]\n'
			)
		).toThrow(/partners\[0\]\.origins: .*uses http:, which only localhost/);
	});
});

describe('origins that may embed accept mode', () => {
	it('reads site origins as origins, without duplicates', () => {
		expect(
			read('origins: [https://shop.example, "https://shop.example/", http://localhost:5173]\n')
				.origins
		).toEqual(['https://shop.example', 'http://localhost:5173']);
		expect(read('name: Example\n').origins).toBeUndefined();
	});

	it('refuses what is not an https origin, naming the field and the fix', () => {
		expect(() => read('origins: https://shop.example\n')).toThrow(
			/site\.yaml: field "origins": expected a list of web origins, e\.g\. \[https:\/\/shop\.example\]/
		);
		expect(() => read('origins: [https://shop.example/cart]\n')).toThrow(
			/field "origins": "https:\/\/shop\.example\/cart" is not a web origin: write scheme, host and port only/
		);
		expect(() => read('origins: ["javascript:alert(1)"]\n')).toThrow(
			/field "origins": .*javascript: addresses are refused/
		);
		expect(() => read('origins: [http://shop.example]\n')).toThrow(
			/field "origins": .*uses http:, which only localhost/
		);
	});
});
