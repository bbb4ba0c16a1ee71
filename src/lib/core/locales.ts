/**
 * The locales Assent's interface speaks and the locale-aware helpers that need none of its words
 * (filling, plurals, dates, lists, locale names). The widget's frame loads these with its own
 * words only (`src/lib/i18n/widget.ts`); the site's pages get them through `./i18n`.
 */

/** The locales Assent's interface speaks, English first; each has a catalogue in `src/lib/i18n`. */
export const UI_LOCALES = ['en', 'zh-CN'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

const spoken = (locale: string): locale is UiLocale =>
	(UI_LOCALES as readonly string[]).includes(locale);

/** The language Assent speaks for a locale: an exact match, then the language alone, then English. */
export function uiLocale(locale: string | undefined): UiLocale {
	if (!locale) return 'en';
	if (spoken(locale)) return locale;
	const language = locale.split('-')[0]!.toLowerCase();
	if (language === 'zh') return 'zh-CN';
	return spoken(language) ? language : 'en';
}

/** Puts `values` into a message's `{name}` slots; a slot without a value stays as it is. */
export function fillMessage(template: string, values?: Record<string, string | number>): string {
	return template.replace(/\{(\w+)\}/g, (_, name: string) =>
		values?.[name] !== undefined ? String(values[name]) : `{${name}}`
	);
}

/**
 * The `.one` or `.other` form of a counted message, by the plural rules of `locale`
 * (`Intl.PluralRules`: English says "1 version", Chinese has one form for every count).
 * @default locale 'en'
 */
export function countKey<K extends string>(
	base: K,
	count: number,
	locale = 'en'
): `${K}.one` | `${K}.other` {
	return new Intl.PluralRules(uiLocale(locale)).select(count) === 'one'
		? `${base}.one`
		: `${base}.other`;
}

/** Human names of locales, written in their own language, for language switchers. */
export function localeName(locale: string): string {
	try {
		return new Intl.DisplayNames([locale], { type: 'language' }).of(locale) ?? locale;
	} catch {
		return locale;
	}
}

/** The name of a locale in the reader's language (`中文（中国）` read by an English reader is "Chinese (China)"). */
export function localeNameIn(options: { locale: string; in: string }): string {
	try {
		return (
			new Intl.DisplayNames([uiLocale(options.in)], { type: 'language' }).of(options.locale) ??
			options.locale
		);
	} catch {
		return options.locale;
	}
}

/**
 * A day (`YYYY-MM-DD`, or a full timestamp) as readers of `locale` write it: "March 17, 2025",
 * "2025年3月17日". The site and the widget both call this, so a date reads the same in both.
 * Days are UTC days, as the content's dates are (SPEC section 2).
 */
export function formatDate(options: { date: string; locale: string | undefined }): string {
	const value = new Date(options.date);
	if (Number.isNaN(value.getTime())) return options.date;
	return new Intl.DateTimeFormat(uiLocale(options.locale), {
		dateStyle: 'long',
		timeZone: 'UTC'
	}).format(value);
}

/** The parts of a list joined the way `locale` joins them ("English and 中文", "English和中文"). */
export function listParts(options: {
	items: string[];
	locale: string | undefined;
}): { type: 'element' | 'literal'; value: string; index: number }[] {
	let index = -1;
	return new Intl.ListFormat(uiLocale(options.locale), { type: 'conjunction' })
		.formatToParts(options.items)
		.map((part) => ({
			type: part.type,
			value: part.value,
			index: part.type === 'element' ? ++index : index
		}));
}

/**
 * The locale a reader wants among `available`: their explicit choice when it is available,
 * else the first of the browser's languages (`navigator.languages`) that matches one, by exact
 * tag then by language; undefined when none does.
 */
export function preferredLocale(options: {
	available: string[];
	choice?: string | null;
	languages: readonly string[];
}): string | undefined {
	if (options.choice && options.available.includes(options.choice)) return options.choice;
	for (const tag of options.languages) {
		const exact = options.available.find((l) => l.toLowerCase() === tag.toLowerCase());
		if (exact) return exact;
		const language = tag.split('-')[0]!.toLowerCase();
		const close = options.available.find((l) => l.split('-')[0]!.toLowerCase() === language);
		if (close) return close;
	}
	return undefined;
}

/**
 * A message cut at its `{slots}`, for templates that put markup (a link, a `<time>`) in a
 * slot: `'{n} comes into force on {date}'` → text, slot `n`, text, slot `date`.
 */
export function messageParts(template: string): ({ text: string } | { slot: string })[] {
	return template
		.split(/(\{\w+\})/)
		.filter((piece) => piece !== '')
		.map((piece) => {
			const slot = /^\{(\w+)\}$/.exec(piece)?.[1];
			return slot ? { slot } : { text: piece };
		});
}
