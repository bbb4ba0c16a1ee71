/**
 * The reader's language on the site: the one they chose with the language switch (kept in
 * localStorage), else the first of the browser's languages the site speaks. Static pages are
 * each in one language; this decides where `/` leads and which language pages offer.
 */
import { preferredLocale } from '$lib/core/i18n';

const KEY = 'assent.locale';

class LocaleChoice {
	/** The explicit choice, once read in the browser. */
	chosen = $state<string | null>(null);
	/** The browser's languages, once read in the browser. */
	languages = $state<readonly string[]>([]);
	ready = $state(false);

	/** Reads the stored choice and the browser's languages; call from `onMount`. */
	read(): void {
		try {
			this.chosen = localStorage.getItem(KEY);
		} catch {
			this.chosen = null;
		}
		this.languages = navigator.languages?.length ? navigator.languages : [navigator.language];
		this.ready = true;
	}

	/** Remembers an explicit choice made with the language switch. */
	choose(locale: string): void {
		this.chosen = locale;
		try {
			localStorage.setItem(KEY, locale);
		} catch {
			// Storage refused (private mode, blocked): the choice holds for this page only.
		}
	}

	/** The locale this reader wants among `available`, or undefined when none fits. */
	preferred(available: string[]): string | undefined {
		return preferredLocale({ available, choice: this.chosen, languages: this.languages });
	}

	/**
	 * The language of a page that belongs to its reader (records, verify, console): the reader's
	 * among the site's `locales`; the site's default until the browser has been read.
	 */
	pageLocale(locales: string[]): string {
		return (this.ready ? this.preferred(locales) : undefined) ?? locales[0] ?? 'en';
	}
}

export const localeChoice = new LocaleChoice();
