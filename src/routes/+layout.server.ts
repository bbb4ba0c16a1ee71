import { localeName } from '$lib/core/i18n';
import { content } from '$lib/server/content';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = () => {
	const { site } = content();
	return {
		site: {
			name: site.name,
			names: site.names ?? {},
			publisher: site.publisher
				? {
						name: site.publisher.name,
						names: site.publisher.names ?? {},
						contact: site.publisher.contact ?? null
					}
				: null,
			locales: site.locales,
			// Named once at build: a browser's first Intl.DisplayNames costs tens of milliseconds.
			localeNames: Object.fromEntries(site.locales.map((l) => [l, localeName(l)]))
		}
	};
};
