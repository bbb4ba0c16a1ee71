import { content } from '$lib/server/content';
import { versionPage } from '$lib/server/content/pages';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = () => content().statements.map((s) => ({ id: s.id }));

export const load: PageServerLoad = ({ params }) => versionPage({ id: params.id });
