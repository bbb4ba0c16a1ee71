/** The consent widget's words: the `widget` section of each locale's catalogue (`src/lib/i18n`). */
import { fillMessage, listParts, uiLocale } from '../core/locales';
import { widgetWords, type WidgetWords } from '../i18n/widget';

export type WidgetMessageKey = keyof WidgetWords;

/** A translator for the widget bound to one locale: `t('confirm')`. */
export function widgetTranslator(locale: string | undefined) {
	const words = widgetWords(locale);
	return (key: WidgetMessageKey, values?: Record<string, string>) =>
		fillMessage(words[key], values);
}

/** Joins titles the way each language lists them. */
export function listTitles(options: { locale: string; titles: string[] }): string {
	const chinese = uiLocale(options.locale) === 'zh-CN';
	return listParts({
		locale: options.locale,
		items: chinese ? options.titles.map((t) => `《${t}》`) : options.titles
	})
		.map((part) => part.value)
		.join('');
}

/**
 * What the customer is told about a widget error in their language, or undefined where the
 * catalogue has no words for that code. The error's own message, written for the partner's
 * developers, is English.
 */
export function customerErrorText(options: { locale: string; code: string }): string | undefined {
	const words = widgetWords(options.locale) as Record<string, string>;
	return words[`error.${options.code}`];
}
