import { buildNow, content } from '$lib/server/content';
import { localized, standing } from '$lib/server/content/catalogue';
import { paths } from '$lib/core/paths';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	const now = buildNow();
	return {
		statements: content().statements.map((statement) => {
			const { inForce, announced, latest } = standing({ statement, now });
			const title = (v: typeof latest) =>
				localized({
					version: v,
					locale: statement.defaultLocale,
					fallback: statement.defaultLocale
				});
			return {
				id: statement.id,
				title: title(inForce ?? latest).title,
				url: paths.statement({ id: statement.id }),
				history: paths.history({ id: statement.id }),
				locales: statement.locales,
				inForce: inForce
					? {
							version: inForce.version,
							effective: inForce.effective,
							change: inForce.change,
							hash: title(inForce).hash
						}
					: null,
				announced: announced.map((v) => ({
					version: v.version,
					effective: v.effective,
					change: v.change,
					summary: title(v).summary,
					url: paths.version({ id: statement.id, version: v.version }),
					diff: inForce
						? paths.diff({ id: statement.id, from: inForce.version, to: v.version })
						: null
				})),
				versions: statement.versions.length
			};
		})
	};
};
