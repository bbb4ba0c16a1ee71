/**
 * The lookup of interface words. The words themselves live in one catalogue per locale
 * (`src/lib/i18n/<locale>.ts`, composed of one module per section): the site's, the widget's,
 * the records page's and the console's. The widget reads its section through
 * `src/lib/i18n/widget.ts`, so its frame does not load the rest.
 */
import { en, type Catalogue } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import { fillMessage, uiLocale, type UiLocale } from './locales';

export * from './locales';
export type { Catalogue };
export type MessageKey = keyof Catalogue['site'];

const catalogues: Record<UiLocale, Catalogue> = { en, 'zh-CN': zhCN };

/** The whole catalogue of a locale (English where Assent does not speak it). */
export function catalogue(locale: string | undefined): Catalogue {
	return catalogues[uiLocale(locale)];
}

export function translate(options: {
	locale: string | undefined;
	key: MessageKey;
	values?: Record<string, string | number>;
}): string {
	return fillMessage(catalogue(options.locale).site[options.key], options.values);
}

/** A translator bound to one locale, for templates: `t('version')`. */
export function translator(locale: string | undefined) {
	return (key: MessageKey, values?: Record<string, string | number>) =>
		translate({ locale, key, values });
}
