/**
 * The re-acceptance list as CSV (RFC 4180), fetched and written a page at a time: each page
 * becomes one piece of the file as it arrives, so a list of any length is never held as objects,
 * and the operator sees how far it has got.
 */
import type { OperatorStanding, SubjectList } from './client';

export const CSV_COLUMNS = [
	'subject',
	'statement',
	'in_force',
	'accepted',
	'accepted_at',
	'must_accept',
	'reason',
	'changed_since',
	'acceptance_record'
] as const;

/**
 * One CSV field: quoted when it holds a comma, quote or line break; a text that a spreadsheet
 * would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) is prefixed with `'`, so a subject
 * id cannot become a formula in the operator's spreadsheet.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
	if (value === null || value === undefined) return '';
	let text = String(value);
	if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(fields: (string | number | boolean | null | undefined)[]): string {
	return `${fields.map(csvField).join(',')}\r\n`;
}

export function standingLine(s: OperatorStanding): string {
	return csvLine([
		s.subject,
		s.statement,
		s.inForce,
		s.accepted,
		s.acceptedAt,
		s.mustAccept,
		s.reason,
		s.changedSince.map((v) => `${v.version} (${v.change})`).join('; '),
		s.records.acceptance ?? null
	]);
}

export interface CsvProgress {
	/** Subjects written so far. */
	rows: number;
	/** Pages fetched so far. */
	pages: number;
}

/**
 * Every page of a list, from the first, as the pieces of a CSV file (header first). Stops with
 * the signal's reason when aborted; a failed page fails the whole export (a partial list would
 * read as complete).
 */
export async function csvExport(options: {
	page: (cursor: string | undefined, signal: AbortSignal | undefined) => Promise<SubjectList>;
	onProgress?: (progress: CsvProgress) => void;
	signal?: AbortSignal;
}): Promise<string[]> {
	const pieces = [csvLine([...CSV_COLUMNS])];
	const progress: CsvProgress = { rows: 0, pages: 0 };
	let cursor: string | undefined;
	do {
		options.signal?.throwIfAborted();
		const list = await options.page(cursor, options.signal);
		pieces.push(list.subjects.map(standingLine).join(''));
		progress.rows += list.subjects.length;
		progress.pages += 1;
		options.onProgress?.({ ...progress });
		cursor = list.next;
	} while (cursor !== undefined);
	return pieces;
}
