import { json } from '@sveltejs/kit';
import { content } from '$lib/server/content';
import type { RequestHandler } from './$types';

export const prerender = true;

/** The partner registry (SPEC section 4), for the widget and partners' developers. */
export const GET: RequestHandler = () =>
	json({ schema: 'assent.partners/1', partners: content().partners });
