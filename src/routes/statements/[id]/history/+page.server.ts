import { content } from '$lib/content';
import { historyPage } from '$lib/content/statement-pages';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = () => content().statements.map((s) => ({ id: s.id }));

export const load: PageServerLoad = ({ params }) => historyPage({ id: params.id });
