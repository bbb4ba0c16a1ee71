import { error } from '@sveltejs/kit';
import { paths } from '../../core/paths';
import { versionStatus } from '../../core/statement';
import { localeName } from '../../core/i18n';
import { content, buildNow } from './index';
import { findStatement, findVersion, localized, standing } from './catalogue';
import type { Statement } from './types';

/** Looks a statement up for a page, or answers 404 with the ids that exist. */
export function statementOr404(id: string): Statement {
	const statement = findStatement({ content: content(), id });
	if (!statement) error(404, `No statement "${id}".`);
	return statement;
}

/** Everything a version page shows, serializable for the page. */
export function versionPage(options: { id: string; version?: string; locale?: string }) {
	const now = buildNow();
	const statement = statementOr404(options.id);
	const { inForce, announced, latest } = standing({ statement, now });
	const shown = options.version
		? findVersion({ statement, version: options.version })
		: (inForce ?? statement.versions[0]!);
	if (!shown) error(404, `Statement "${options.id}" has no version ${options.version}.`);
	const locale =
		options.locale ??
		(shown.locales[statement.defaultLocale]
			? statement.defaultLocale
			: Object.keys(shown.locales)[0]!);
	const text = shown.locales[locale];
	if (!text) error(404, `Version ${shown.version} of "${options.id}" is not written in ${locale}.`);
	const suffix = locale === statement.defaultLocale ? undefined : locale;
	const link = (version: string, l: string) =>
		options.locale || l !== statement.defaultLocale
			? paths.version({ id: statement.id, version, locale: l })
			: paths.version({ id: statement.id, version });
	const localeLinks = Object.keys(shown.locales).map((l) => ({
		locale: l,
		name: localeName(l),
		url: link(shown.version, l),
		current: l === locale
	}));
	return {
		id: statement.id,
		/** The page's language, for the site's header and footer. */
		locale,
		/** This page in each language it is written in, for the language switch. */
		alternates: localeLinks.map(({ locale, url }) => ({ locale, url })),
		isCurrentPage: options.version === undefined,
		version: {
			version: shown.version,
			issued: shown.issued,
			effective: shown.effective,
			change: shown.change,
			status: versionStatus({ versions: statement.versions, version: shown.version, now }),
			locale,
			title: text.title,
			summary: text.summary,
			hash: text.hash,
			html: text.html,
			json: paths.versionJson({ id: statement.id, version: shown.version, locale })
		},
		localeLinks,
		versions: statement.versions.map((v) => ({
			version: v.version,
			effective: v.effective,
			change: v.change,
			status: versionStatus({ versions: statement.versions, version: v.version, now }),
			url: link(v.version, v.locales[locale] ? locale : statement.defaultLocale),
			current: v.version === shown.version
		})),
		inForce: inForce
			? {
					version: inForce.version,
					effective: inForce.effective,
					url: link(inForce.version, inForce.locales[locale] ? locale : statement.defaultLocale)
				}
			: null,
		announced: announced.map((v) => ({
			version: v.version,
			effective: v.effective,
			change: v.change,
			summary: localized({ version: v, locale, fallback: statement.defaultLocale }).summary,
			url: link(v.version, v.locales[locale] ? locale : statement.defaultLocale),
			diff: inForce
				? paths.diff({ id: statement.id, from: inForce.version, to: v.version, locale: suffix })
				: null
		})),
		latest: latest.version,
		history: paths.history({ id: statement.id, locale: suffix }),
		diff: paths.diff({ id: statement.id, locale: suffix }),
		builtAt: now.toISOString()
	};
}

export type VersionPageData = ReturnType<typeof versionPage>;
