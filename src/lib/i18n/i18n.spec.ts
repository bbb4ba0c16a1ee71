import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';
import {
	catalogue,
	countKey,
	formatDate,
	listParts,
	preferredLocale,
	translate,
	translator,
	UI_LOCALES
} from '../core/i18n';
import { diffTranslator } from './diff';
import { widgetWords } from './widget';
import { widgetTranslator, listTitles } from '../widget/messages';
import { recordsTranslator } from '../components/records/messages';

describe('one catalogue per locale', () => {
	it('has every English key in Chinese, with the same {slots}', () => {
		for (const section of ['site', 'widget', 'records', 'console'] as const) {
			const english = en[section] as Record<string, string>;
			const chinese = zhCN[section] as Record<string, string>;
			expect(Object.keys(chinese).sort(), section).toEqual(Object.keys(english).sort());
			for (const key of Object.keys(english)) {
				const slots = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
				expect(slots(chinese[key]!), `${section}.${key}`).toEqual(slots(english[key]!));
			}
		}
	});

	it('gives the widget and its change notice the same words as the catalogue, in every locale', () => {
		for (const locale of [...UI_LOCALES, 'zh-Hant-TW', 'fr', undefined]) {
			expect(widgetWords(locale), String(locale)).toBe(catalogue(locale).widget);
			const diffWord = diffTranslator(locale);
			for (const key of ['diff.same', 'kind.quote', 'diff.newBlock'] as const) {
				expect(diffWord(key, { kind: 'x' }), `${locale}: ${key}`).toBe(
					translate({ locale, key, values: { kind: 'x' } })
				);
			}
		}
		expect(catalogue('zh-CN')).toBe(zhCN);
		expect(UI_LOCALES).toEqual(['en', 'zh-CN']);
	});

	it('serves the site, the widget and the records page from the same catalogue', () => {
		expect(translator('zh-CN')('compare.onlyChanges')).toBe(zhCN.site['compare.onlyChanges']);
		expect(widgetTranslator('zh-CN')('confirm')).toBe('确认');
		expect(recordsTranslator('zh-CN')('records.title')).toBe('我的记录');
		expect(translate({ locale: 'zh-Hans-CN', key: 'history' })).toBe('版本历史');
		expect(translate({ locale: 'fr', key: 'history' })).toBe('History');
	});
});

describe('counts, dates and lists', () => {
	it('says "1 version" and "3 versions" in English, one form in Chinese', () => {
		const t = translator('en');
		expect(t(countKey('catalogue.count', 1, 'en'), { count: 1 })).toBe('1 version');
		expect(t(countKey('catalogue.count', 3, 'en'), { count: 3 })).toBe('3 versions');
		expect(countKey('catalogue.count', 1, 'zh-CN')).toBe('catalogue.count.other');
		expect(translator('zh-CN')(countKey('catalogue.count', 1, 'zh-CN'), { count: 1 })).toBe(
			'1 个版本'
		);
	});

	it('writes a day the way each locale does, on the UTC day of the content', () => {
		expect(formatDate({ date: '2025-03-17', locale: 'en' })).toBe('March 17, 2025');
		expect(formatDate({ date: '2025-03-17', locale: 'zh-CN' })).toBe('2025年3月17日');
		expect(formatDate({ date: '2026-06-01T23:30:00.000Z', locale: 'en' })).toBe('June 1, 2026');
		expect(formatDate({ date: 'not a date', locale: 'en' })).toBe('not a date');
	});

	it('joins lists with the words and marks of each language', () => {
		const join = (locale: string) =>
			listParts({ items: ['English', '中文（中国）'], locale })
				.map((p) => p.value)
				.join('');
		expect(join('en')).toBe('English and 中文（中国）');
		expect(join('zh-CN')).toBe('English和中文（中国）');
		expect(listTitles({ locale: 'zh-CN', titles: ['甲', '乙', '丙'] })).toBe(
			'《甲》、《乙》和《丙》'
		);
		expect(listTitles({ locale: 'en', titles: ['Terms', 'Privacy'] })).toBe('Terms and Privacy');
	});
});

describe('preferredLocale', () => {
	const available = ['en', 'zh-CN'];
	it('takes an explicit choice first, then the browser languages in order', () => {
		expect(preferredLocale({ available, choice: 'en', languages: ['zh-CN'] })).toBe('en');
		expect(preferredLocale({ available, languages: ['zh-TW', 'en'] })).toBe('zh-CN');
		expect(preferredLocale({ available, languages: ['de', 'en-GB'] })).toBe('en');
		expect(preferredLocale({ available, choice: 'fr', languages: ['de'] })).toBeUndefined();
	});
});
