import { buildNow, content } from '$lib/server/content';
import { localized } from '$lib/server/content/catalogue';
import { statementOr404 } from '$lib/server/content/pages';
import { paths } from '$lib/core/paths';
import { versionStatus } from '$lib/core/statement';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = () => content().statements.map((s) => ({ id: s.id }));

export const load: PageServerLoad = ({ params }) => {
	const now = buildNow();
	const statement = statementOr404(params.id);
	const latest = statement.versions[statement.versions.length - 1]!;
	const main = localized({
		version: latest,
		locale: statement.defaultLocale,
		fallback: statement.defaultLocale
	});
	return {
		id: statement.id,
		title: main.title,
		url: paths.statement({ id: statement.id }),
		diff: paths.diff({ id: statement.id }),
		versions: [...statement.versions].reverse().map((v, i, all) => {
			const l = localized({
				version: v,
				locale: statement.defaultLocale,
				fallback: statement.defaultLocale
			});
			const previous = all[i + 1];
			return {
				version: v.version,
				issued: v.issued,
				effective: v.effective,
				change: v.change,
				status: versionStatus({ versions: statement.versions, version: v.version, now }),
				summary: l.summary,
				url: paths.version({ id: statement.id, version: v.version }),
				locales: Object.values(v.locales).map((x) => ({
					locale: x.locale,
					hash: x.hash,
					url: paths.version({ id: statement.id, version: v.version, locale: x.locale })
				})),
				diff: previous
					? paths.diff({ id: statement.id, from: previous.version, to: v.version })
					: null
			};
		})
	};
};
