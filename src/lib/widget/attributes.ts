/**
 * Checks of the attributes a host page gives the widget, made in the widget (frame or inline
 * session) rather than in the loader, before anything is shown or saved.
 */
import { uiLocale } from '../core/locales';

/** Limits of `static/schemas/record.json`: a record that breaks them could not be stored. */
export const SUBJECT_MAX = 512;
export const ID_MAX = 128;

/**
 * The locale the widget speaks for a requested one: canonicalized (`en_US` is `en-US`), then one
 * the widget has words for (`zh-*` is zh-CN, any other English), so words and dates agree. A
 * value that is no language tag at all is reported in `problem`; the widget still shows, in English.
 */
export function widgetLocale(requested: string | undefined): { locale: string; problem?: string } {
	const tag = (requested ?? '').trim().replace(/_/g, '-');
	if (!tag) return { locale: 'en' };
	let canonical: string | undefined;
	try {
		canonical = Intl.getCanonicalLocales(tag)[0];
	} catch {
		canonical = undefined;
	}
	if (!canonical) {
		return {
			locale: 'en',
			problem: `locale "${requested}" is not a language tag; write e.g. locale="en" or locale="zh-CN" (or fix <html lang>). The widget is shown in English.`
		};
	}
	return { locale: uiLocale(canonical) };
}

/** Why `subject` cannot be stored in a record, or undefined. */
export function subjectProblem(subject: string): string | undefined {
	if (subject.length > SUBJECT_MAX) {
		return `subject is ${subject.length} characters long; records hold at most ${SUBJECT_MAX}. Use a shorter opaque id of the customer. Nothing was recorded.`;
	}
	// Control characters (U+0000 to U+001F, U+007F to U+009F) cannot be stored or shown faithfully.
	// eslint-disable-next-line no-control-regex
	const bad = /[\u0000-\u001f\u007f-\u009f]/.exec(subject);
	if (bad) {
		const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
		return `subject contains the control character U+${code}; use an opaque id of printable characters. Nothing was recorded.`;
	}
	return undefined;
}

/** Why an id (`partner`, a statement id) cannot be stored in a record, or undefined. */
export function idProblem(options: { attribute: string; id: string }): string | undefined {
	if (options.id.length > ID_MAX) {
		return `${options.attribute} "${options.id.slice(0, 40)}…" is ${options.id.length} characters long; records hold ids of at most ${ID_MAX}. Use the id the statements site publishes. Nothing was recorded.`;
	}
	return undefined;
}

/** The first problem of the attributes that go into records, or undefined. */
export function attributeProblem(options: {
	subject?: string;
	partner?: string;
	statementIds: string[];
}): string | undefined {
	if (options.subject !== undefined) {
		const problem = subjectProblem(options.subject);
		if (problem) return problem;
	}
	if (options.partner !== undefined) {
		const problem = idProblem({ attribute: 'partner', id: options.partner });
		if (problem) return problem;
	}
	for (const id of options.statementIds) {
		const problem = idProblem({ attribute: 'statement', id });
		if (problem) return problem;
	}
	return undefined;
}
