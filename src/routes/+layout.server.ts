import { content } from '$lib/server/content';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = () => {
	const { site } = content();
	return { site: { name: site.name, publisher: site.publisher ?? null, locales: site.locales } };
};
