import { describe, expect, it } from 'vitest';
import { AssentError } from '../../core/errors';
import { readSite } from './site';
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
