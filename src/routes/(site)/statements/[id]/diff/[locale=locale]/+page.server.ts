import { comparePage, otherLocaleEntries } from '$lib/server/content/statement-pages';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = () => otherLocaleEntries();

export const load: PageServerLoad = ({ params }) =>
	comparePage({ id: params.id, locale: params.locale });
