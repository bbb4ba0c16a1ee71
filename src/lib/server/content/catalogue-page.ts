import { error } from '@sveltejs/kit';
import { paths } from '../../core/paths';
import { content, buildNow } from './index';
import { localized, standing } from './catalogue';
import type { Statement } from './types';

/** The path suffix of a statement's pages in `locale`: none for its default locale. */
export function statementLocale(options: {
	statement: Statement;
	locale: string;
}): string | undefined {
	const { statement, locale } = options;
	return locale !== statement.defaultLocale && statement.locales.includes(locale)
		? locale
		: undefined;
}

/** The catalogue (`/`, `/<locale>/`): every statement, titled and linked in `locale`. */
export function cataloguePage(options: { locale?: string }) {
	const now = buildNow();
	const { site, statements } = content();
	const defaultLocale = site.locales[0] ?? 'en';
	const locale = options.locale ?? defaultLocale;
	if (!site.locales.includes(locale)) {
		error(404, `The catalogue is not written in ${locale}; it is in ${site.locales.join(', ')}.`);
	}
	return {
		locale,
		alternates: site.locales.map((l) => ({
			locale: l,
			url: paths.home({ locale: l === defaultLocale ? undefined : l })
		})),
		statements: statements.map((statement) => {
			const { inForce, announced, latest } = standing({ statement, now });
			const suffix = statementLocale({ statement, locale });
			const text = (v: typeof latest) =>
				localized({ version: v, locale, fallback: statement.defaultLocale });
			const shown = inForce ?? latest;
			return {
				id: statement.id,
				title: text(shown).title,
				titleLocale: text(shown).locale,
				url:
					suffix && shown.locales[suffix]
						? paths.version({ id: statement.id, version: shown.version, locale: suffix })
						: paths.statement({ id: statement.id }),
				history: paths.history({ id: statement.id, locale: suffix }),
				locales: statement.locales,
				inForce: inForce
					? {
							version: inForce.version,
							effective: inForce.effective,
							change: inForce.change,
							hash: text(inForce).hash
						}
					: null,
				announced: announced.map((v) => ({
					version: v.version,
					effective: v.effective,
					change: v.change,
					summary: text(v).summary,
					url: paths.version({
						id: statement.id,
						version: v.version,
						locale: suffix && v.locales[suffix] ? suffix : undefined
					}),
					diff: inForce
						? paths.diff({
								id: statement.id,
								from: inForce.version,
								to: v.version,
								locale: suffix
							})
						: null
				})),
				versions: statement.versions.length
			};
		})
	};
}

export type CataloguePageData = ReturnType<typeof cataloguePage>;
