/** The console's words: the `console` section of each locale's catalogue (`src/lib/i18n`). */
import { catalogue, fillMessage, type Catalogue } from '../core/i18n';
import type { Failure } from './console.svelte';

export type ConsoleMessageKey = keyof Catalogue['console'];

/** A translator for the console bound to one locale: `t('console.title')`. */
export function consoleTranslator(locale: string | undefined) {
	const words = catalogue(locale).console;
	return (key: ConsoleMessageKey, values?: Record<string, string | number>) =>
		fillMessage(words[key], values);
}

/** What went wrong with a call to the receiver, in the reader's words; unknown values read empty. */
export function failureText(t: ReturnType<typeof consoleTranslator>, failure: Failure): string {
	return t(`console.error.${failure.kind}`, {
		status: '',
		error: '',
		message: '',
		type: '',
		...failure.values
	});
}

/** An instant to the second, in UTC, in the reader's words: "30 Nov 2026, 10:00:00 UTC". */
export function formatInstant(iso: string, locale: string): string {
	return (
		new Intl.DateTimeFormat(locale, {
			dateStyle: 'medium',
			timeStyle: 'medium',
			timeZone: 'UTC'
		}).format(new Date(iso)) + ' UTC'
	);
}
