/** What the records page does with the records of this browser: filter, order, export. */
import { calendarDate } from '../../core/dates';
import { RECORD_ACTIONS, type AcceptanceRecord, type RecordAction } from '../../core/record';
import type { OutboxEntry } from '../../store/db';

/** The `partner` filter value for records made without a partner. Never a partner id. */
export const NO_PARTNER = '-';

/** The filters of the records table; an empty string lets everything through. */
export interface RecordFilter {
	subject: string;
	/** A statement id. */
	statement: string;
	/** A partner id, or `NO_PARTNER`. */
	partner: string;
	action: '' | RecordAction;
}

export const NO_FILTER: Readonly<RecordFilter> = {
	subject: '',
	statement: '',
	partner: '',
	action: ''
};

/** The records that pass `filter`, newest first (highest `seq` first). */
export function selectRecords(options: {
	records: readonly AcceptanceRecord[];
	filter: RecordFilter;
}): AcceptanceRecord[] {
	const { filter } = options;
	return options.records
		.filter(
			(r) =>
				(!filter.subject || r.subject === filter.subject) &&
				(!filter.statement || r.statement.id === filter.statement) &&
				(!filter.partner || (r.partner ?? NO_PARTNER) === filter.partner) &&
				(!filter.action || r.action === filter.action)
		)
		.sort((a, b) => b.seq - a.seq);
}

/** The values each filter can take: the ones present in the records, sorted. */
export function filterChoices(records: readonly AcceptanceRecord[]): {
	subjects: string[];
	statements: string[];
	partners: string[];
	actions: RecordAction[];
	/** Whether some record was made without a partner. */
	withoutPartner: boolean;
} {
	const distinct = (values: Iterable<string>) => [...new Set(values)].sort();
	return {
		subjects: distinct(records.map((r) => r.subject)),
		statements: distinct(records.map((r) => r.statement.id)),
		partners: distinct(records.flatMap((r) => (r.partner === null ? [] : [r.partner]))),
		actions: RECORD_ACTIONS.filter((a) => records.some((r) => r.action === a)),
		withoutPartner: records.some((r) => r.partner === null)
	};
}

/** The sync state of one record as exported: its outbox entry without the id it is filed under. */
export type ExportedSyncState = Omit<OutboxEntry, 'id'>;

/**
 * The export file of the records page. `records` are the browser's records oldest first, exactly
 * as stored, so the file verifies as a chain and each record validates against
 * `/schemas/record.json`. Sync state is bookkeeping about a record, not part of it: it sits
 * beside the records, keyed by record id.
 */
export interface RecordsExport {
	format: 'assent.records-export/1';
	/** When the file was made, ISO 8601 UTC. */
	exportedAt: string;
	/** The site whose browser storage held the records, e.g. `https://statements.example.com`. */
	origin: string;
	records: AcceptanceRecord[];
	sync: Record<string, ExportedSyncState>;
}

export function buildRecordsExport(options: {
	records: readonly AcceptanceRecord[];
	entries: readonly OutboxEntry[];
	origin: string;
	now: Date;
}): RecordsExport {
	const records = [...options.records].sort((a, b) => a.seq - b.seq);
	const held = new Set(records.map((r) => r.id));
	const sync: Record<string, ExportedSyncState> = {};
	for (const { id, ...state } of options.entries) {
		if (held.has(id)) sync[id] = state;
	}
	return {
		format: 'assent.records-export/1',
		exportedAt: options.now.toISOString(),
		origin: options.origin,
		records,
		sync
	};
}

/** `assent-records-<UTC date>.json`, the name the export is saved under. */
export function exportFileName(now: Date): string {
	return `assent-records-${calendarDate(now)}.json`;
}

/**
 * The export file (`RecordsExport`, the very text `JSON.stringify(file, null, 2)` gives, and a
 * newline) written a chunk at a time: each chunk of records or sync states becomes a Blob part
 * as it is read, so a long chain is never all in memory as objects at once. `records` come
 * oldest first; `entries` is read after them, and only the entries of exported records are
 * written.
 */
export async function exportBlob(options: {
	records: AsyncIterable<readonly AcceptanceRecord[]>;
	entries: () => AsyncIterable<readonly OutboxEntry[]>;
	origin: string;
	now: Date;
}): Promise<Blob> {
	const nested = (value: unknown) => JSON.stringify(value, null, 2).replaceAll('\n', '\n    ');
	const head = JSON.stringify(
		{
			format: 'assent.records-export/1',
			exportedAt: options.now.toISOString(),
			origin: options.origin
		},
		null,
		2
	);
	const parts: BlobPart[] = [head.slice(0, -2), ',\n  "records": ['];
	const held = new Set<string>();
	let first = true;
	for await (const chunk of options.records) {
		if (chunk.length === 0) continue;
		const text = chunk.map((record) => `    ${nested(record)}`).join(',\n');
		parts.push(new Blob([`${first ? '\n' : ',\n'}${text}`]));
		for (const record of chunk) held.add(record.id);
		first = false;
	}
	parts.push(first ? '],\n  "sync": {' : '\n  ],\n  "sync": {');
	first = true;
	for await (const chunk of options.entries()) {
		const lines: string[] = [];
		for (const { id, ...state } of chunk) {
			if (held.has(id)) lines.push(`    ${JSON.stringify(id)}: ${nested(state)}`);
		}
		if (lines.length === 0) continue;
		parts.push(new Blob([`${first ? '\n' : ',\n'}${lines.join(',\n')}`]));
		first = false;
	}
	parts.push(first ? '}\n}\n' : '\n  }\n}\n');
	return new Blob(parts, { type: 'application/json' });
}
