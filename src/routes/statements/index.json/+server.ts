import { json } from '@sveltejs/kit';
import { buildNow, content } from '$lib/content';
import { statementIndex } from '$lib/content/catalogue';
import type { RequestHandler } from './$types';

export const prerender = true;

export const GET: RequestHandler = () =>
	json(statementIndex({ content: content(), now: buildNow() }));
