import { browser } from '$app/environment';
import { readNewest, type EarlyRead } from '$lib/components/records/early-read';
import type { PageLoad } from './$types';

// The page is static; the records are read from the browser's storage after it loads.
export const prerender = true;

export const load: PageLoad = (): Partial<EarlyRead> => {
	// Storage is read in the browser only, never while the page is prerendered. It is opened here,
	// before the page is built, so the newest records are read while the page's code starts.
	return browser ? readNewest() : {};
};
