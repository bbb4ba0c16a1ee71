import { content } from '$lib/content';
import { versionPage } from '$lib/content/pages';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = () => content().statements.map((s) => ({ id: s.id }));

export const load: PageServerLoad = ({ params }) => versionPage({ id: params.id });
