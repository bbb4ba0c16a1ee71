import { json } from '@sveltejs/kit';
import { buildNow, content } from '$lib/server/content';
import { statementIndex } from '$lib/server/content/catalogue';
import type { RequestHandler } from './$types';

export const prerender = true;

export const GET: RequestHandler = () =>
	json(statementIndex({ content: content(), now: buildNow() }));
