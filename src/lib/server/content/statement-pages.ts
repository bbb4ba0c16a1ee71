import { error } from '@sveltejs/kit';
import { paths } from '../../core/paths';
import { versionStatus } from '../../core/statement';
import { content, buildNow } from './index';
import { diffPairs, localized, standing, statementDiff } from './catalogue';
import { statementLocale } from './catalogue-page';
import { statementOr404 } from './pages';
import type { Statement } from './types';

/** The locale a statement's history or comparison page is in; 404 for one it is not written in. */
function pageLocale(options: { statement: Statement; locale?: string }): string {
	const { statement, locale } = options;
	if (locale === undefined) return statement.defaultLocale;
	if (!statement.locales.includes(locale)) {
		error(
			404,
			`Statement "${statement.id}" is not written in ${locale}; it is in ${statement.locales.join(', ')}.`
		);
	}
	return locale;
}

/** The same page in every locale of the statement. */
function alternates(options: {
	statement: Statement;
	page: (locale: string | undefined) => string;
}) {
	return options.statement.locales.map((l) => ({
		locale: l,
		url: options.page(statementLocale({ statement: options.statement, locale: l }))
	}));
}

/** The locales a statement's history and comparison pages are prerendered in besides the default. */
export function otherLocaleEntries() {
	return content().statements.flatMap((s) =>
		s.locales.filter((l) => l !== s.defaultLocale).map((locale) => ({ id: s.id, locale }))
	);
}

/** `/statements/<id>/history/` and `…/history/<locale>/`. */
export function historyPage(options: { id: string; locale?: string }) {
	const now = buildNow();
	const statement = statementOr404(options.id);
	const locale = pageLocale({ statement, locale: options.locale });
	const suffix = statementLocale({ statement, locale });
	const latest = statement.versions[statement.versions.length - 1]!;
	const text = (v: typeof latest) =>
		localized({ version: v, locale, fallback: statement.defaultLocale });
	return {
		id: statement.id,
		locale,
		alternates: alternates({
			statement,
			page: (l) => paths.history({ id: statement.id, locale: l })
		}),
		title: text(latest).title,
		url: latest.locales[locale]
			? suffix
				? paths.version({ id: statement.id, version: latest.version, locale: suffix })
				: paths.statement({ id: statement.id })
			: paths.statement({ id: statement.id }),
		diff: paths.diff({ id: statement.id, locale: suffix }),
		versions: [...statement.versions].reverse().map((v, i, all) => {
			const previous = all[i + 1];
			return {
				version: v.version,
				issued: v.issued,
				effective: v.effective,
				change: v.change,
				status: versionStatus({ versions: statement.versions, version: v.version, now }),
				summary: text(v).summary,
				url: paths.version({
					id: statement.id,
					version: v.version,
					locale: suffix && v.locales[suffix] ? suffix : undefined
				}),
				locales: Object.values(v.locales).map((x) => ({
					locale: x.locale,
					hash: x.hash,
					url: paths.version({ id: statement.id, version: v.version, locale: x.locale })
				})),
				diff: previous
					? paths.diff({ id: statement.id, from: previous.version, to: v.version, locale: suffix })
					: null
			};
		})
	};
}

/** `/statements/<id>/diff/` and `…/diff/<locale>/`: the latest change, prerendered. */
export function comparePage(options: { id: string; locale?: string }) {
	const now = buildNow();
	const statement = statementOr404(options.id);
	const locale = pageLocale({ statement, locale: options.locale });
	const suffix = statementLocale({ statement, locale });
	const { latest, inForce } = standing({ statement, now });
	const current = inForce ?? latest;
	const previous = statement.versions[statement.versions.length - 2];
	// The page is prerendered once; it shows the latest change, and the browser loads any other pair.
	const initial =
		previous && previous.locales[locale] && latest.locales[locale]
			? statementDiff({ statement, from: previous, to: latest, locale })
			: null;
	return {
		id: statement.id,
		locale,
		alternates: alternates({ statement, page: (l) => paths.diff({ id: statement.id, locale: l }) }),
		title: localized({ version: latest, locale, fallback: statement.defaultLocale }).title,
		url:
			suffix && current.locales[suffix]
				? paths.version({ id: statement.id, version: current.version, locale: suffix })
				: paths.statement({ id: statement.id }),
		history: paths.history({ id: statement.id, locale: suffix }),
		defaultLocale: statement.defaultLocale,
		locales: statement.locales,
		versions: statement.versions.map((v) => ({
			version: v.version,
			effective: v.effective,
			change: v.change,
			locales: Object.keys(v.locales),
			url: paths.version({ id: statement.id, version: v.version })
		})),
		/** The pairs whose diff documents the site publishes in this locale; others are computed. */
		published: diffPairs(statement, { now })
			.filter((p) => p.locale === locale)
			.map(({ from, to }) => ({ from, to })),
		initial
	};
}

export type HistoryPageData = ReturnType<typeof historyPage>;
export type ComparePageData = ReturnType<typeof comparePage>;
