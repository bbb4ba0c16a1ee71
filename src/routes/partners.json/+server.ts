import { json } from '@sveltejs/kit';
import { content } from '$lib/server/content';
import type { RequestHandler } from './$types';

export const prerender = true;

/**
 * The partner registry (SPEC section 4), for the widget and partners' developers, with the
 * public keys that sign subject tokens (SPEC section 8): each partner's `keys`, and the
 * operator's (`iss: operator`) under `operator.keys`. Backends verify tokens with these.
 * `origins` are the site's own origins (site.yaml) that may embed the widget in accept mode
 * besides the partners' origins.
 */
export const GET: RequestHandler = () => {
	const { partners, site } = content();
	return json({
		schema: 'assent.partners/1',
		origins: site.origins ?? [],
		partners,
		operator: { keys: site.operator?.keys ?? [] }
	});
};
