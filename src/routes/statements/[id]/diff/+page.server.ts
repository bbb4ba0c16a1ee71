import { content } from '$lib/content';
import { comparePage } from '$lib/content/statement-pages';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = () => content().statements.map((s) => ({ id: s.id }));

export const load: PageServerLoad = ({ params }) => comparePage({ id: params.id });
