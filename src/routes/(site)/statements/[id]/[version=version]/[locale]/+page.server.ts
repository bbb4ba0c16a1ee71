import { content } from '$lib/server/content';
import { versionPage } from '$lib/server/content/pages';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = () =>
	content().statements.flatMap((s) =>
		s.versions.flatMap((v) =>
			Object.keys(v.locales).map((locale) => ({ id: s.id, version: v.version, locale }))
		)
	);

export const load: PageServerLoad = ({ params }) =>
	versionPage({ id: params.id, version: params.version, locale: params.locale });
