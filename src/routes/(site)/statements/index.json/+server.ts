import { json } from '@sveltejs/kit';
import { buildNow, content } from '$lib/server/content';
import { statementIndex } from '$lib/server/content/catalogue';
import type { RequestHandler } from './$types';

export const prerender = true;

export const GET: RequestHandler = () => {
	const index = statementIndex({ content: content(), now: buildNow() });
	const { baseUrl } = index.site;
	// The site's origin is the `aud` every subject token names (SPEC section 8).
	return json(
		baseUrl ? { ...index, site: { ...index.site, origin: new URL(baseUrl).origin } } : index
	);
};
