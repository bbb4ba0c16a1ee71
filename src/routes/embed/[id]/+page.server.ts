import { content } from '$lib/server/content';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = () => content().statements.map((s) => ({ id: s.id }));

/**
 * What the frame needs before it can check its embedder: the partners and their origins, and the
 * site's own origins that may embed accept mode without a partner.
 */
export const load: PageServerLoad = () => {
	const { site, partners } = content();
	return {
		provider: site.publisher?.name ?? site.name,
		origins: site.origins ?? [],
		partners: partners.map((p) => ({ id: p.id, name: p.name, url: p.url, origins: p.origins }))
	};
};
