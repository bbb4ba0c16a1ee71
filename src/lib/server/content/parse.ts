/**
 * Parsing one statement file: its name, front matter and text, each field checked, the file
 * hashed and rendered. Every problem of the file is reported at once.
 */
import { readFileSync } from 'node:fs';
import { AssentError } from '../../core/errors';
import { CHANGE_KINDS, type ChangeKind } from '../../core/statement';
import { isVersion } from '../../core/version';
import { isCalendarDate } from '../../core/dates';
import { displayPath } from './folder';
import { parseFrontMatter } from './front-matter';
import { normalizeNewlines, statementHash } from './hash';
import { renderStatement, type RenderedStatement } from './render';
import { canonicalLocale } from './site';
import { count, forbiddenCharacter, forbiddenCharacterAdvice, lineAt } from './text';

const FILE_NAME = /^(\d+(?:\.\d+)*)\.([A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)\.md$/;
const FIELDS = ['title', 'version', 'issued', 'effective', 'change', 'summary'] as const;

/** One statement file, read, checked and rendered. */
export interface ParsedFile {
	id: string;
	version: string;
	locale: string;
	path: string;
	shown: string;
	title: string;
	issued: string;
	effective: string;
	change: ChangeKind | undefined;
	summary: string | null;
	hash: string;
	body: string;
	/** 1-based line of the body's first line in the file. */
	bodyLine: number;
	rendered: RenderedStatement;
}

/** Reads and checks the statement file at `path`; throws every problem of the file at once. */
export function parseFile(options: { id: string; name: string; path: string }): ParsedFile {
	const shown = displayPath(options.path);
	const match = FILE_NAME.exec(options.name);
	if (!match) {
		throw new AssentError(
			'content/file-name',
			`${shown}: a statement file is named <version>.<locale>.md, e.g. 1.0.en.md or 2.1.zh-CN.md.`,
			{ file: shown }
		);
	}
	const version = match[1]!;
	const locale = match[2]!;
	const canonical = canonicalLocale(locale);
	if (!canonical) {
		throw new AssentError(
			'content/locale',
			`${shown}: "${locale}" is not a BCP 47 language tag. Name the file with a tag such as en or zh-CN.`,
			{ file: shown, field: 'locale' }
		);
	}
	if (canonical !== locale) {
		throw new AssentError(
			'content/locale',
			`${shown}: write the locale "${locale}" as "${canonical}" in the file name.`,
			{ file: shown, field: 'locale' }
		);
	}
	const bytes = readFileSync(options.path);
	const hash = statementHash(bytes);
	const text = normalizeNewlines(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
	const { data, body, bodyLine } = parseFrontMatter({ text, file: shown });
	// Every problem of the file is reported, not only the first.
	const problems: AssentError[] = [];
	const field = (name: string, expected: string): void => {
		problems.push(
			new AssentError('content/field', `${shown}: field "${name}": ${expected}`, {
				file: shown,
				field: name
			})
		);
	};
	const checkText = (name: string, value: string): void => {
		const bad = forbiddenCharacter(value);
		if (bad) field(name, forbiddenCharacterAdvice(bad.codePoint));
	};

	for (const key of Object.keys(data)) {
		if ((FIELDS as readonly string[]).includes(key)) continue;
		const near = FIELDS.find((known) => editDistance(known, key.toLowerCase()) <= 2);
		if (near) field(key, `unknown field; did you mean "${near}"?`);
	}
	const title = data.title;
	if (typeof title !== 'string' || !title.trim()) {
		field(
			'title',
			'required: the statement title as text, e.g. title: Statement for Account Association with a Partner.'
		);
	} else {
		checkText('title', title);
	}
	let declared = data.version;
	if (typeof declared === 'number' && String(declared) === version) declared = version;
	if (declared === undefined) {
		field('version', `required: add version: "${version}" (quoted), matching the file name.`);
	} else if (typeof declared !== 'string') {
		field(
			'version',
			`write the version in quotes, version: "${version}", so YAML keeps it as written (it read ${JSON.stringify(declared)}).`
		);
	} else if (!isVersion(declared)) {
		field('version', `"${declared}" is not a version: use dotted numbers such as "1.0" or "2.1".`);
	} else if (declared !== version) {
		field(
			'version',
			`"${declared}" does not match the file name's version "${version}". Rename the file or correct the field.`
		);
	}
	const issued = dateField({ data, name: 'issued', field });
	if (issued === undefined && (data.issued === undefined || data.issued === null)) {
		field('issued', 'required: the date it was published, as YYYY-MM-DD, e.g. 2025-03-01.');
	}
	const effectiveField = dateField({ data, name: 'effective', field });
	const effective = effectiveField ?? issued;
	if (issued && effective && effective < issued) {
		field(
			'effective',
			`${effective} is before issued (${issued}); a version cannot come into force before it is published.`
		);
	}
	let change: ChangeKind | undefined;
	if (data.change !== undefined && data.change !== null) {
		if (
			typeof data.change !== 'string' ||
			!(CHANGE_KINDS as readonly string[]).includes(data.change)
		) {
			field(
				'change',
				`"${String(data.change)}" is not a change kind: use initial (first version), minor or material.`
			);
		} else {
			change = data.change as ChangeKind;
		}
	}
	let summary: string | null = null;
	if (data.summary !== undefined && data.summary !== null) {
		if (typeof data.summary !== 'string' || !data.summary.trim()) {
			field('summary', 'expected one sentence, as text, saying what changed.');
		} else {
			summary = data.summary.trim();
			checkText('summary', summary);
		}
	}
	if (!body.trim()) {
		problems.push(
			new AssentError(
				'content/field',
				`${shown}: the statement has no text after the front matter.`,
				{ file: shown, field: 'body' }
			)
		);
	} else {
		const bad = forbiddenCharacter(body);
		if (bad) {
			const line = bodyLine + lineAt(body, bad.index) - 1;
			problems.push(
				new AssentError(
					'content/field',
					`${shown}:${line}: the text ${forbiddenCharacterAdvice(bad.codePoint)}`,
					{ file: shown, field: 'body' }
				)
			);
		}
	}
	if (problems.length > 0 || typeof title !== 'string' || !issued || !effective) {
		throw new AssentError('content/invalid', `${count(problems.length, 'problem')} in ${shown}`, {
			problems
		});
	}
	return {
		id: options.id,
		version,
		locale,
		path: options.path,
		shown,
		title: title.trim(),
		issued,
		effective,
		change,
		summary,
		hash,
		body,
		bodyLine,
		rendered: renderStatement(body, { title: title.trim() })
	};
}

const MONTHS = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December'
];

/** Why `text` is not a calendar date, or undefined when it is one. */
function dateProblem(text: string): string | undefined {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (!match) return `"${text}" is not a date: write it as YYYY-MM-DD, e.g. 2025-03-01.`;
	if (isCalendarDate(text)) return undefined;
	const year = Number(match[1]);
	const month = Number(match[2]);
	if (month < 1 || month > 12) {
		return `"${text}" is not a day in the calendar: the month is ${match[2]}, and months run from 01 to 12.`;
	}
	const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
	return `"${text}" is not a day in the calendar: ${MONTHS[month - 1]} ${year} has ${days} days.`;
}

function dateField(options: {
	data: Record<string, unknown>;
	name: string;
	field: (name: string, expected: string) => void;
}): string | undefined {
	const value = options.data[options.name];
	if (value === undefined || value === null) return undefined;
	const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
	const problem = dateProblem(text);
	if (problem) {
		options.field(options.name, problem);
		return undefined;
	}
	return text;
}

function editDistance(a: string, b: string): number {
	const row = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		let diagonal = row[0]!;
		row[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const above = row[j]!;
			row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
			diagonal = above;
		}
	}
	return row[b.length]!;
}
