import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { AssentError } from '../core/errors';
import { CHANGE_KINDS, type ChangeKind } from '../core/statement';
import { compareVersions, isVersion } from '../core/version';
import { isCalendarDate } from '../core/dates';
import { parseFrontMatter } from './front-matter';
import { normalizeNewlines, statementHash } from './hash';
import { lockKey, readLock, LOCK_FILE } from './lock';
import { renderStatement } from './render';
import { canonicalLocale, readPartners, readSite } from './site';
import type { Content, LocalizedVersion, Statement, StatementVersion } from './types';

const STATEMENT_ID = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const FILE_NAME = /^(\d+(?:\.\d+)*)\.([A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)\.md$/;
const FIELDS = ['title', 'version', 'issued', 'effective', 'change', 'summary'] as const;

/** The content folder: `ASSENT_CONTENT` when set, else `src/content` of the working directory. */
export function contentDir(): string {
	return resolve(process.env.ASSENT_CONTENT || 'src/content');
}

/** A path as messages show it: relative to the working directory when inside it. */
export function displayPath(path: string): string {
	const rel = relative(process.cwd(), path);
	return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

interface ParsedFile {
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
}

/**
 * Reads, validates, hashes and renders every statement of a content folder. Every problem is
 * collected, so one failed build lists all of them; the thrown error's `problems` holds each one.
 */
export function loadContent(options: { dir?: string } = {}): Content {
	const dir = resolve(options.dir ?? contentDir());
	if (!existsSync(dir) || !statSync(dir).isDirectory()) {
		throw new AssentError(
			'content/not-found',
			`The content folder ${displayPath(dir)} does not exist. Create it with a statements/ folder, or point ASSENT_CONTENT at your content folder.`,
			{ file: displayPath(dir) }
		);
	}
	const problems: AssentError[] = [];
	const attempt = <T>(run: () => T): T | undefined => {
		try {
			return run();
		} catch (error) {
			if (error instanceof AssentError) {
				problems.push(...(error.problems.length > 0 ? error.problems : [error]));
				return undefined;
			}
			throw error;
		}
	};

	const files: ParsedFile[] = [];
	const statementsDir = join(dir, 'statements');
	const statementIds = existsSync(statementsDir)
		? readdirSync(statementsDir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'))
		: [];
	for (const entry of statementIds.sort((a, b) => a.name.localeCompare(b.name))) {
		const shownDir = displayPath(join(statementsDir, entry.name));
		if (!entry.isDirectory()) {
			problems.push(
				new AssentError(
					'content/file-name',
					`${shownDir}: statements/ holds one folder per statement, named by its id; move this file into statements/<id>/.`,
					{ file: shownDir }
				)
			);
			continue;
		}
		if (!STATEMENT_ID.test(entry.name)) {
			problems.push(
				new AssentError(
					'content/file-name',
					`${shownDir}: "${entry.name}" is not a statement id. Use lowercase letters a-z, digits and hyphens, e.g. partner-association.`,
					{ file: shownDir }
				)
			);
			continue;
		}
		const names = readdirSync(join(statementsDir, entry.name)).filter((n) => !n.startsWith('.'));
		for (const name of names.sort()) {
			const parsed = attempt(() =>
				parseFile({ id: entry.name, name, path: join(statementsDir, entry.name, name) })
			);
			if (parsed) files.push(parsed);
		}
	}

	const readableSite = attempt(() =>
		readSite({ dir, discoveredLocales: files.map((f) => f.locale) })
	);
	const site = readableSite ?? {
		name: 'Assent',
		locales: [...new Set(files.map((f) => f.locale))]
	};
	const partners = attempt(() => readPartners({ dir })) ?? [];

	for (const file of files) {
		if (readableSite && !site.locales.includes(file.locale)) {
			problems.push(
				new AssentError(
					'content/locale',
					`${file.shown}: locale "${file.locale}" is not one of the site's locales (${site.locales.join(', ')}). Rename the file to one of them, or add "${file.locale}" to locales in site.yaml.`,
					{ file: file.shown, field: 'locale' }
				)
			);
		}
	}

	const statements: Statement[] = [];
	const byStatement = groupBy(files, (f) => f.id);
	for (const [id, statementFiles] of byStatement) {
		const statement = attempt(() =>
			assembleStatement({ id, files: statementFiles, siteLocales: site.locales })
		);
		if (statement) statements.push(statement);
	}

	const lock = attempt(() => readLock({ dir })) ?? {};
	const hashes: Record<string, string> = {};
	for (const file of files) hashes[lockKey(file)] = file.hash;
	const byKey = new Map(files.map((f) => [lockKey(f), f]));
	for (const [key, locked] of Object.entries(lock)) {
		const file = byKey.get(key);
		const [statementId, rest] = key.split('/');
		const expectedFile = `statements/${statementId}/${rest}.md`;
		if (!file) {
			problems.push(
				new AssentError(
					'content/lock-removed',
					`${displayPath(join(dir, expectedFile))}: this published version was removed, but ${LOCK_FILE} records it (${locked}). Published versions are permanent: restore the file from version control.`,
					{ file: displayPath(join(dir, expectedFile)), field: key }
				)
			);
		} else if (file.hash !== locked) {
			problems.push(
				new AssentError(
					'content/lock-changed',
					`${file.shown}: this published version was changed after publishing (${LOCK_FILE} has ${locked}, the file is now ${file.hash}). Restore the published text from version control and publish the change as a new version instead.`,
					{ file: file.shown, field: key }
				)
			);
		}
	}
	const unlocked = Object.keys(hashes)
		.filter((key) => !(key in lock))
		.sort();
	for (const statement of statements) {
		for (const version of statement.versions) {
			version.locked = Object.keys(version.locales).every((locale) =>
				Boolean(lock[lockKey({ id: statement.id, version: version.version, locale })])
			);
		}
	}

	if (problems.length > 0) {
		const list = problems.map((p) => `  - ${p.message}`).join('\n');
		throw new AssentError(
			'content/invalid',
			`${problems.length === 1 ? 'A problem' : `${problems.length} problems`} in the content at ${displayPath(dir)}; nothing was built:\n${list}`,
			{ problems }
		);
	}
	return { dir, site, partners, statements, unlocked, hashes };
}

function parseFile(options: { id: string; name: string; path: string }): ParsedFile {
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
	const { data, body } = parseFrontMatter({ text, file: shown });
	const field = (name: string, expected: string): AssentError =>
		new AssentError('content/field', `${shown}: field "${name}": ${expected}`, {
			file: shown,
			field: name
		});

	for (const key of Object.keys(data)) {
		if ((FIELDS as readonly string[]).includes(key)) continue;
		const near = FIELDS.find((known) => editDistance(known, key.toLowerCase()) <= 2);
		if (near) throw field(key, `unknown field; did you mean "${near}"?`);
	}
	const title = data.title;
	if (typeof title !== 'string' || !title.trim()) {
		throw field(
			'title',
			'required: the statement title as text, e.g. title: Statement for Account Association with a Partner.'
		);
	}
	let declared = data.version;
	if (typeof declared === 'number' && String(declared) === version) declared = version;
	if (declared === undefined) {
		throw field('version', `required: add version: "${version}" (quoted), matching the file name.`);
	}
	if (typeof declared !== 'string') {
		throw field(
			'version',
			`write the version in quotes, version: "${version}", so YAML keeps it as written (it read ${JSON.stringify(declared)}).`
		);
	}
	if (!isVersion(declared)) {
		throw field(
			'version',
			`"${declared}" is not a version: use dotted numbers such as "1.0" or "2.1".`
		);
	}
	if (declared !== version) {
		throw field(
			'version',
			`"${declared}" does not match the file name's version "${version}". Rename the file or correct the field.`
		);
	}
	const issued = dateField({ data, name: 'issued', field });
	if (issued === undefined) {
		throw field('issued', 'required: the date it was published, as YYYY-MM-DD, e.g. 2025-03-01.');
	}
	const effective = dateField({ data, name: 'effective', field }) ?? issued;
	if (effective < issued) {
		throw field(
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
			throw field(
				'change',
				`"${String(data.change)}" is not a change kind: use initial (first version), minor or material.`
			);
		}
		change = data.change as ChangeKind;
	}
	let summary: string | null = null;
	if (data.summary !== undefined && data.summary !== null) {
		if (typeof data.summary !== 'string' || !data.summary.trim()) {
			throw field('summary', 'expected one sentence, as text, saying what changed.');
		}
		summary = data.summary.trim();
	}
	if (!body.trim()) {
		throw new AssentError(
			'content/field',
			`${shown}: the statement has no text after the front matter.`,
			{
				file: shown,
				field: 'body'
			}
		);
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
		body
	};
}

function dateField(options: {
	data: Record<string, unknown>;
	name: string;
	field: (name: string, expected: string) => AssentError;
}): string | undefined {
	const value = options.data[options.name];
	if (value === undefined || value === null) return undefined;
	const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
	if (!isCalendarDate(text)) {
		throw options.field(
			options.name,
			`"${text}" is not a date: write it as YYYY-MM-DD, e.g. 2025-03-01.`
		);
	}
	return text;
}

function assembleStatement(options: {
	id: string;
	files: ParsedFile[];
	siteLocales: string[];
}): Statement {
	const { id } = options;
	const problems: AssentError[] = [];
	const byVersion = new Map<string, ParsedFile[]>();
	for (const file of options.files) {
		const key =
			[...byVersion.keys()].find((v) => compareVersions(v, file.version) === 0) ?? file.version;
		const group = byVersion.get(key) ?? [];
		const twin = group.find(
			(other) => other.locale === file.locale || other.version !== file.version
		);
		if (twin) {
			problems.push(
				new AssentError(
					'content/duplicate',
					`${file.shown}: version ${file.version} in ${file.locale} is the same version as ${twin.shown}. Keep one file per version and locale, with one spelling of the version.`,
					{ file: file.shown, field: 'version' }
				)
			);
			continue;
		}
		group.push(file);
		byVersion.set(key, group);
	}
	const versions: StatementVersion[] = [];
	const ordered = [...byVersion.entries()].sort(([a], [b]) => compareVersions(a, b));
	ordered.forEach(([version, group], index) => {
		const first = group[0]!;
		for (const other of group.slice(1)) {
			for (const name of ['issued', 'effective', 'change'] as const) {
				if ((other[name] ?? '') !== (first[name] ?? '')) {
					problems.push(
						new AssentError(
							'content/consistency',
							`${other.shown}: field "${name}" is ${other[name] ?? '(missing)'}, but ${first.shown} says ${first[name] ?? '(missing)'}. Every locale of version ${version} must give the same ${name}.`,
							{ file: other.shown, field: name }
						)
					);
				}
			}
		}
		for (const file of group) {
			if (index === 0 && file.change !== undefined && file.change !== 'initial') {
				problems.push(
					new AssentError(
						'content/field',
						`${file.shown}: field "change": the first version of a statement is "initial", not "${file.change}".`,
						{ file: file.shown, field: 'change' }
					)
				);
			}
			if (index > 0 && file.change === undefined) {
				problems.push(
					new AssentError(
						'content/field',
						`${file.shown}: field "change": required after the first version: "material" when everyone who accepted an earlier version must accept again, otherwise "minor".`,
						{ file: file.shown, field: 'change' }
					)
				);
			}
			if (index > 0 && file.change === 'initial') {
				const previous = ordered[index - 1]![0];
				problems.push(
					new AssentError(
						'content/field',
						`${file.shown}: field "change": only the first version is "initial", and this statement already has version ${previous}. Use "minor" or "material".`,
						{ file: file.shown, field: 'change' }
					)
				);
			}
			if (index > 0 && file.summary === null) {
				problems.push(
					new AssentError(
						'content/field',
						`${file.shown}: field "summary": required for a ${file.change ?? 'new'} version: one sentence saying what changed since ${ordered[index - 1]![0]}.`,
						{ file: file.shown, field: 'summary' }
					)
				);
			}
		}
		const previous = versions[versions.length - 1];
		if (previous) {
			if (first.issued < previous.issued) {
				problems.push(
					new AssentError(
						'content/order',
						`${first.shown}: field "issued": version ${version} is dated ${first.issued}, before version ${previous.version} (${previous.issued}). Versions must be issued in order: check the dates or the version numbers.`,
						{ file: first.shown, field: 'issued' }
					)
				);
			}
			if (first.effective < previous.effective) {
				problems.push(
					new AssentError(
						'content/order',
						`${first.shown}: field "effective": version ${version} comes into force on ${first.effective}, before version ${previous.version} (${previous.effective}). Later versions must come into force on or after earlier ones.`,
						{ file: first.shown, field: 'effective' }
					)
				);
			}
		}
		const locales: Record<string, LocalizedVersion> = {};
		const sortedGroup = [...group].sort(
			(a, b) =>
				localeRank(options.siteLocales, a.locale) - localeRank(options.siteLocales, b.locale)
		);
		for (const file of sortedGroup) {
			const { html, blocks } = renderStatement(file.body);
			locales[file.locale] = {
				locale: file.locale,
				title: file.title,
				summary: file.summary,
				hash: file.hash,
				file: relative(join(file.path, '../../..'), file.path).split('\\').join('/'),
				html,
				blocks
			};
		}
		versions.push({
			version,
			issued: first.issued,
			effective: first.effective,
			change: first.change ?? (index === 0 ? 'initial' : 'minor'),
			locales,
			locked: false
		});
	});
	if (problems.length > 0) {
		throw new AssentError('content/invalid', `${problems.length} problems in statement ${id}`, {
			problems
		});
	}
	const present = new Set(options.files.map((f) => f.locale));
	const locales = [...present].sort(
		(a, b) => localeRank(options.siteLocales, a) - localeRank(options.siteLocales, b)
	);
	const defaultLocale = options.siteLocales.find((l) => present.has(l)) ?? locales[0]!;
	return { id, defaultLocale, locales, versions };
}

function localeRank(siteLocales: string[], locale: string): number {
	const rank = siteLocales.indexOf(locale);
	return rank === -1 ? siteLocales.length : rank;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
	const map = new Map<string, T[]>();
	for (const item of items) {
		const k = key(item);
		map.set(k, [...(map.get(k) ?? []), item]);
	}
	return map;
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
