/**
 * The newest records, read as soon as the records page starts loading in the browser (its
 * `load`), before the page is built: the page shows them while its live queries start. The log
 * they were read with is the page's to take; one never taken (a link hovered, which loads the
 * page ahead, and not followed) is closed after a while rather than left open.
 */
import { RecordLog } from '../../store/log';
import { NO_FILTER } from './records';
import { readPage, type RecordsPage } from './records-query';

/** How long a log read ahead waits for its page before it is closed. */
export const UNCLAIMED_MS = 30_000;

const unclaimed = new Set<RecordLog>();

export interface EarlyRead {
	log: RecordLog;
	/** The newest page of records; rejects as `readPage` does (the page's own reads say why). */
	first: Promise<RecordsPage>;
}

/** Opens the log of this browser and starts reading its newest records. */
export function readNewest(options: { log?: RecordLog } = {}): EarlyRead {
	const log = options.log ?? new RecordLog();
	const first = readPage(log.db, { filter: { ...NO_FILTER }, page: 0 });
	first.catch(() => undefined);
	unclaimed.add(log);
	setTimeout(() => {
		if (unclaimed.delete(log)) log.close();
	}, UNCLAIMED_MS);
	return { log, first };
}

/** Takes a log read ahead for the page that shows it: it is no longer closed for want of one. */
export function claim(log: RecordLog): RecordLog {
	unclaimed.delete(log);
	return log;
}
