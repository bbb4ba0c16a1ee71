/**
 * The newest records, read as soon as the records page starts loading in the browser, before the
 * page is built: the page shows them while its live queries start. In the page's own HTML, its
 * head script (`records-head.js`) has read and drawn them before any module loaded; the page
 * takes over what it read. Without it (a page reached by a link inside the site, whose HTML was
 * not loaded), the page's `load` reads them through the log. The log they were read with is the
 * page's to take; one never taken (a link hovered, which loads the page ahead, and not followed)
 * is closed after a while rather than left open.
 */
import { catalogue } from '../../core/i18n';
import type { RecordsMessageKey } from './messages';
import { RecordLog } from '../../store/log';
import { NO_FILTER } from './records';
import { readPage, type RecordsPage } from './records-query';

/** How long a log read ahead waits for its page before it is closed. */
export const UNCLAIMED_MS = 30_000;

const unclaimed = new Set<RecordLog>();

/** What the head script leaves on `window.assentRecordsEarly`. */
export interface HeadRead {
	/** Set by the page when it takes over: the script no longer draws. */
	taken: boolean;
	/** The newest page once read; null when there was nothing to read (no database, an error). */
	page: RecordsPage | null | undefined;
	read: Promise<RecordsPage | null>;
}

export interface EarlyRead {
	log: RecordLog;
	/** The newest page of records; rejects as `readPage` does (the page's own reads say why). */
	first: Promise<RecordsPage>;
	/** The head script's read, when the page's HTML ran it. */
	head?: HeadRead;
}

/** The head script's read in this page, if its HTML ran it and no page has taken it yet. */
function headRead(): HeadRead | undefined {
	const head = (globalThis as { assentRecordsEarly?: HeadRead }).assentRecordsEarly;
	return head && !head.taken ? head : undefined;
}

/** Opens the log of this browser and starts reading its newest records. */
export function readNewest(options: { log?: RecordLog; head?: HeadRead } = {}): EarlyRead {
	const log = options.log ?? new RecordLog();
	const head = options.head ?? headRead();
	const ownRead = () => readPage(log.db, { filter: { ...NO_FILTER }, page: 0 });
	// What the head script read, else (no database yet, a failed read) the log's own read, which
	// makes the database or says why it cannot.
	const first = head ? head.read.then((page) => page ?? ownRead()) : ownRead();
	first.catch(() => undefined);
	unclaimed.add(log);
	setTimeout(() => {
		if (unclaimed.delete(log)) log.close();
	}, UNCLAIMED_MS);
	return { log, first, head };
}

/** Takes a log read ahead for the page that shows it: it is no longer closed for want of one. */
export function claim(log: RecordLog): RecordLog {
	unclaimed.delete(log);
	return log;
}

/**
 * Takes over the head script's read for the page that shows it: the script draws no more, and
 * the rows it drew (if any) come back, to be drawn by the page at once in their place.
 */
export function takeOver(read: Partial<EarlyRead>): RecordsPage | undefined {
	if (!read.head) return undefined;
	read.head.taken = true;
	return read.head.page ?? undefined;
}

/** The words the head script draws the rows with, all of the records page's. */
export const HEAD_WORDS = [
	'persistence.checking',
	'records.empty',
	'records.count.one',
	'records.count.other',
	'records.caption',
	'export.button',
	'export.note',
	'page.label',
	'page.range',
	'page.newest',
	'page.newer',
	'page.older',
	'page.oldest',
	'column.seq',
	'column.time',
	'column.action',
	'column.subject',
	'column.partner',
	'column.statement',
	'column.sync',
	'column.details',
	'action.accept',
	'action.decline',
	'action.associate',
	'action.disassociate',
	'filter.noPartner',
	'sync.pending',
	'sync.synced',
	'sync.rejected',
	'sync.unknown',
	'sync.received',
	'sync.attempts.one',
	'sync.attempts.other',
	'sync.lastError',
	'sync.localOnly',
	'sync.localOnlyWhy',
	'details.show'
] as const satisfies readonly RecordsMessageKey[];

/** The head script's words for each of the site's locales, as JSON for its HTML. */
export function headWords(locales: readonly string[]): string {
	const words: Record<string, Record<string, string>> = {};
	for (const locale of locales) {
		const records = catalogue(locale).records;
		words[locale] = Object.fromEntries(HEAD_WORDS.map((key) => [key, records[key]]));
	}
	return JSON.stringify(words);
}
