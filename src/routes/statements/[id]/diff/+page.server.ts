import { buildNow, content } from '$lib/server/content';
import { localized, standing, statementDiff } from '$lib/server/content/catalogue';
import { statementOr404 } from '$lib/server/content/pages';
import { paths } from '$lib/core/paths';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = () => content().statements.map((s) => ({ id: s.id }));

export const load: PageServerLoad = ({ params }) => {
	const now = buildNow();
	const statement = statementOr404(params.id);
	const { latest } = standing({ statement, now });
	const main = localized({
		version: latest,
		locale: statement.defaultLocale,
		fallback: statement.defaultLocale
	});
	const previous = statement.versions[statement.versions.length - 2];
	const locale = statement.defaultLocale;
	// The page is prerendered once; it shows the latest change, and the browser loads any other pair.
	const initial =
		previous && previous.locales[locale] && latest.locales[locale]
			? statementDiff({ statement, from: previous, to: latest, locale })
			: null;
	return {
		id: statement.id,
		title: main.title,
		url: paths.statement({ id: statement.id }),
		history: paths.history({ id: statement.id }),
		defaultLocale: locale,
		locales: statement.locales,
		versions: statement.versions.map((v) => ({
			version: v.version,
			effective: v.effective,
			change: v.change,
			locales: Object.keys(v.locales),
			url: paths.version({ id: statement.id, version: v.version })
		})),
		initial
	};
};
