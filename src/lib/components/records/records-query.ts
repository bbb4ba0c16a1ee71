/**
 * What the records page reads from storage: one page of records at a time through the `seq`
 * index (newest first), counts and filter choices from the indexes, never every record.
 */
import { RECORD_ACTIONS, type AcceptanceRecord, type RecordAction } from '../../core/record';
import type { AssentDatabase, OutboxEntry } from '../../store/db';
import { toStoreError } from '../../store/errors';
import { NO_PARTNER, type RecordFilter } from './records';

/** Records on one page of the table. */
export const PAGE_SIZE = 50;

export interface RecordsPage {
	/** The page's records, newest first. */
	records: AcceptanceRecord[];
	/** Their sync state, by record id. */
	sync: Map<string, OutboxEntry>;
	/** Records in the browser. */
	total: number;
	/** Records that pass the filter (`total` without one). */
	matching: number;
	/** The page shown, from 0 (newest); a page past the end is read as the last one. */
	page: number;
}

export interface FilterChoices {
	subjects: string[];
	statements: string[];
	partners: string[];
	actions: RecordAction[];
	/** Whether some record was made without a partner. */
	withoutPartner: boolean;
}

function passes(filter: RecordFilter) {
	return (r: AcceptanceRecord) =>
		(!filter.subject || r.subject === filter.subject) &&
		(!filter.statement || r.statement.id === filter.statement) &&
		(!filter.partner || (r.partner ?? NO_PARTNER) === filter.partner) &&
		(!filter.action || r.action === filter.action);
}

/** One page of records that pass `filter`, newest first, with their sync state and the counts. */
export async function readPage(
	db: AssentDatabase,
	options: { filter: RecordFilter; page: number; size?: number }
): Promise<RecordsPage> {
	const size = options.size ?? PAGE_SIZE;
	const { filter } = options;
	try {
		// The count is read beside the page, not before it.
		const counting = db.records.count();
		let total = 0;
		let matching: number;
		let records: AcceptanceRecord[];
		let page: number;
		const lastPage = (n: number) => Math.max(0, Math.ceil(n / size) - 1);
		if (!Object.values(filter).some(Boolean)) {
			// Pages past the end (records vanished with the site data) are read again as the last.
			const read = (at: number) =>
				db.records
					.orderBy('seq')
					.reverse()
					.offset(at * size)
					.limit(size)
					.toArray();
			[total, records] = await Promise.all([counting, read(options.page)]);
			matching = total;
			page = Math.min(options.page, lastPage(matching));
			if (page !== options.page) records = await read(page);
		} else if (filter.subject) {
			// One subject's records are few: read them through the subject index.
			total = await counting;
			const all = (await db.records.where('subject').equals(filter.subject).toArray())
				.filter(passes(filter))
				.sort((a, b) => b.seq - a.seq);
			matching = all.length;
			page = Math.min(options.page, lastPage(matching));
			records = all.slice(page * size, (page + 1) * size);
		} else {
			total = await counting;
			const selected = () => db.records.orderBy('seq').reverse().filter(passes(filter));
			matching = await selected().count();
			page = Math.min(options.page, lastPage(matching));
			records = await selected()
				.offset(page * size)
				.limit(size)
				.toArray();
		}
		const entries = await db.outbox.bulkGet(records.map((r) => r.id));
		const sync = new Map<string, OutboxEntry>();
		for (const entry of entries) if (entry) sync.set(entry.id, entry);
		return { records, sync, total, matching, page };
	} catch (error) {
		throw toStoreError(error);
	}
}

/**
 * How many records there are and the values each filter can take (the ones present, sorted),
 * from the indexes. A new object every time, so whoever watches it sees every change of the
 * records, even one that leaves the count as it was.
 */
export async function readOverview(
	db: AssentDatabase
): Promise<{ records: number; choices: FilterChoices }> {
	try {
		const [subjects, statements, partners, actions, total, withPartner] = await Promise.all([
			db.records.orderBy('subject').uniqueKeys(),
			db.records.orderBy('statement.id').uniqueKeys(),
			// Records without a partner (null) are not in the partner index.
			db.records.orderBy('partner').uniqueKeys(),
			db.records.orderBy('action').uniqueKeys(),
			db.records.count(),
			db.records.orderBy('partner').count()
		]);
		const present = new Set(actions.map(String));
		return {
			records: total,
			choices: {
				subjects: subjects.map(String),
				statements: statements.map(String),
				partners: partners.map(String),
				actions: RECORD_ACTIONS.filter((a) => present.has(a)),
				withoutPartner: total > withPartner
			}
		};
	} catch (error) {
		throw toStoreError(error);
	}
}
