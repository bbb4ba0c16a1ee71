import { content } from '$lib/server/content';
import { versionPage } from '$lib/server/content/pages';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = () =>
	content().statements.flatMap((s) => s.versions.map((v) => ({ id: s.id, version: v.version })));

export const load: PageServerLoad = ({ params }) =>
	versionPage({ id: params.id, version: params.version });
