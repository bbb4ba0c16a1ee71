import type { Handle } from '@sveltejs/kit';
import { content } from '$lib/content';

/** Pages say which language they are in: the statement's locale, else the site's default. */
export const handle: Handle = async ({ event, resolve }) => {
	const lang = event.params.locale ?? content().site.locales[0] ?? 'en';
	return resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', lang)
	});
};
