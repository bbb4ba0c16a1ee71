/**
 * The widget's words in every locale Assent speaks, without the rest of the catalogues: the
 * widget's frame loads this module, the site's pages load `src/lib/core/i18n.ts`.
 */
import { uiLocale, type UiLocale } from '../core/locales';
import type { Catalogue } from './en';
import { enWidget } from './en/widget';
import { zhCNWidget } from './zh-CN/widget';

export type WidgetWords = Catalogue['widget'];

const widgetCatalogues: Record<UiLocale, WidgetWords> = { en: enWidget, 'zh-CN': zhCNWidget };

/** The widget's section of a locale's catalogue (English where Assent does not speak it). */
export function widgetWords(locale: string | undefined): WidgetWords {
	return widgetCatalogues[uiLocale(locale)];
}
