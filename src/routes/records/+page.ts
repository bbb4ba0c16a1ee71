import { browser } from '$app/environment';
import { NO_FILTER } from '$lib/components/records/records';
import { readPage } from '$lib/components/records/records-query';
import { RecordLog } from '$lib/store/log';
import type { PageLoad } from './$types';

// The page is static; the records are read from the browser's storage after it loads.
export const prerender = true;

export const load: PageLoad = () => {
	// Storage is read in the browser only, never while the page is prerendered. It is opened here,
	// before the page is built, so the newest records are read while the page's code starts.
	if (!browser) return {};
	const log = new RecordLog();
	const first = readPage(log.db, { filter: { ...NO_FILTER }, page: 0 });
	// A refusal shows through the page's own reads, which say what to do.
	first.catch(() => undefined);
	return { log, first };
};
