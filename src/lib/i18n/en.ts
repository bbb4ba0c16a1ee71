/**
 * Every word of the site, the widget and the records page in English, one module per section
 * (`en/<section>.ts`) so that the widget's frame loads its own words only. This object is the key
 * set: every other locale's catalogue must have each of its keys (a missing one is a type error).
 * Counted messages come as `.one` / `.other` pairs, chosen with `Intl.PluralRules` (`countKey`).
 */
import { enConsole } from './en/console';
import { enRecords } from './en/records';
import { enSite } from './en/site';
import { enWidget } from './en/widget';

export const en = {
	site: enSite,
	widget: enWidget,
	records: enRecords,
	console: enConsole
} as const;

/** A catalogue: the same sections and keys as English, each in another language. */
export type Catalogue = { [S in keyof typeof en]: Record<keyof (typeof en)[S], string> };
