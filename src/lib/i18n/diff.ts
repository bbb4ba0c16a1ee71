/**
 * The words of a comparison of two versions in every locale Assent speaks, without the rest of
 * the site's words: the widget's change notice shows a comparison too (`DiffView.svelte`).
 */
import { fillMessage, uiLocale, type UiLocale } from '../core/locales';
import { enDiff, type DiffWords } from './en/diff';
import { zhCNDiff } from './zh-CN/diff';

export type DiffKey = keyof DiffWords;

const diffCatalogues: Record<UiLocale, DiffWords> = { en: enDiff, 'zh-CN': zhCNDiff };

/** A translator for comparisons bound to one locale: `t('diff.same')`. */
export function diffTranslator(locale: string | undefined) {
	const words = diffCatalogues[uiLocale(locale)];
	return (key: DiffKey, values?: Record<string, string | number>) =>
		fillMessage(words[key], values);
}
