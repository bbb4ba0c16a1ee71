/** The records page's words: the `records` section of each locale's catalogue (`src/lib/i18n`). */
import { catalogue, fillMessage, type Catalogue } from '../../core/i18n';

export { countKey } from '../../core/i18n';

export type RecordsMessageKey = keyof Catalogue['records'];

/** A translator for the records page bound to one locale: `t('records.title')`. */
export function recordsTranslator(locale: string | undefined) {
	const words = catalogue(locale).records;
	return (key: RecordsMessageKey, values?: Record<string, string | number>) =>
		fillMessage(words[key], values);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * How the records page writes a time in `locale`: one formatter per locale, kept. A browser's
 * first date formatter of a page takes tens of milliseconds to make, so the page makes it while
 * the records are still being read rather than when it draws them.
 */
export function timeFormat(locale: string): Intl.DateTimeFormat {
	let format = timeFormats.get(locale);
	if (!format) {
		format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
		timeFormats.set(locale, format);
	}
	return format;
}
