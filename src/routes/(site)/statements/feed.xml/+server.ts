import { buildNow, content } from '$lib/server/content';
import { atomFeed } from '$lib/server/content/feed';
import type { RequestHandler } from './$types';

export const prerender = true;

export const GET: RequestHandler = () =>
	new Response(atomFeed({ content: content(), now: buildNow() }), {
		headers: { 'content-type': 'application/atom+xml; charset=utf-8' }
	});
