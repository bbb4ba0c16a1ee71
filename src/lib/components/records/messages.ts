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
