import { describe, expect, it } from 'vitest';
import { attributeProblem, widgetLocale } from './attributes';

describe('widgetLocale', () => {
	it('canonicalizes underscores and case, and speaks a locale it has words for', () => {
		expect(widgetLocale('en_US')).toEqual({ locale: 'en' });
		expect(widgetLocale('zh_cn')).toEqual({ locale: 'zh-CN' });
		expect(widgetLocale('zh-Hant-TW')).toEqual({ locale: 'zh-CN' });
		expect(widgetLocale('zh-CN')).toEqual({ locale: 'zh-CN' });
		// German words are not there: English words AND English dates, never a mixture.
		expect(widgetLocale('de')).toEqual({ locale: 'en' });
		expect(widgetLocale(undefined)).toEqual({ locale: 'en' });
	});

	it('reports a value that is no language tag, and falls back to English', () => {
		const result = widgetLocale('not a locale!');
		expect(result.locale).toBe('en');
		expect(result.problem).toContain('locale "not a locale!" is not a language tag');
	});
});

describe('attributeProblem', () => {
	it('refuses subjects records cannot hold', () => {
		expect(attributeProblem({ subject: 'c-1', statementIds: ['terms'] })).toBeUndefined();
		expect(attributeProblem({ subject: 'x'.repeat(512), statementIds: [] })).toBeUndefined();
		expect(attributeProblem({ subject: 'x'.repeat(513), statementIds: [] })).toContain(
			'at most 512'
		);
		expect(attributeProblem({ subject: 'a\u0000b', statementIds: [] })).toContain('U+0000');
		expect(attributeProblem({ subject: 'a\nb', statementIds: [] })).toContain('U+000A');
	});

	it('refuses partner and statement ids over 128 characters', () => {
		expect(attributeProblem({ partner: 'p'.repeat(129), statementIds: [] })).toContain('partner');
		expect(attributeProblem({ statementIds: ['ok', 's'.repeat(129)] })).toContain('statement');
		expect(attributeProblem({ partner: 'p'.repeat(128), statementIds: ['s'.repeat(128)] })).toBe(
			undefined
		);
	});
});
