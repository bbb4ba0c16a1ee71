import { historyPage, otherLocaleEntries } from '$lib/server/content/statement-pages';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = () => otherLocaleEntries();

export const load: PageServerLoad = ({ params }) =>
	historyPage({ id: params.id, locale: params.locale });
