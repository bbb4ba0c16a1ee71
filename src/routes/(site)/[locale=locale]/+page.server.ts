import { content } from '$lib/server/content';
import { cataloguePage } from '$lib/server/content/catalogue-page';
import type { EntryGenerator, PageServerLoad } from './$types';

/** The catalogue in every locale but the default, which `/` serves. */
export const entries: EntryGenerator = () =>
	content()
		.site.locales.slice(1)
		.map((locale) => ({ locale }));

export const load: PageServerLoad = ({ params }) => cataloguePage({ locale: params.locale });
