import { syncOpenApiText } from '$lib/schemas/sync-openapi';
import type { RequestHandler } from './$types';

export const prerender = true;

export const GET: RequestHandler = () =>
	new Response(syncOpenApiText(), {
		headers: { 'content-type': 'application/json; charset=utf-8' }
	});
