import { content } from '$lib/server/content';
import { comparePage } from '$lib/server/content/statement-pages';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = () => content().statements.map((s) => ({ id: s.id }));

export const load: PageServerLoad = ({ params }) => comparePage({ id: params.id });
