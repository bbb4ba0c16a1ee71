import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AssentError } from '../../core/errors';
import { CHANGE_KINDS, type ChangeKind } from '../../core/statement';
import { compareVersions, isVersion } from '../../core/version';
import { isCalendarDate } from '../../core/dates';
import { parseFrontMatter } from './front-matter';
import { normalizeNewlines, statementHash } from './hash';
import { lockKey, readLock, LOCK_FILE } from './lock';
import { renderStatement, type RenderedStatement } from './render';
import { canonicalLocale, readPartners, readSite } from './site';
import { count, forbiddenCharacter, forbiddenCharacterAdvice, lineAt } from './text';
import type {
	Content,
	ContentWarning,
	LocalizedVersion,
	Statement,
	StatementVersion
} from './types';

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
	/** 1-based line of the body's first line in the file. */
	bodyLine: number;
	rendered: RenderedStatement;
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

	// Every version is written in the site's default locale: the pages without a locale in
	// their address, the feed and the diffs show that one.
	const defaultLocale = readableSite ? site.locales[0] : undefined;
	if (defaultLocale) {
		const versions = groupBy(files, (f) => `${f.id}/${f.version}`);
		for (const group of versions.values()) {
			if (group.some((f) => f.locale === defaultLocale)) continue;
			const first = group[0]!;
			const expected = displayPath(
				join(statementsDir, first.id, `${first.version}.${defaultLocale}.md`)
			);
			problems.push(
				new AssentError(
					'content/locale',
					`${first.shown}: version ${first.version} of "${first.id}" has no text in the default locale ${defaultLocale}. Every version must be written in the default locale (the first of locales in site.yaml): add ${expected}, or keep this translation out of the content folder until it is written.`,
					{ file: first.shown, field: 'locale' }
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

	problems.push(...checkLinks({ files, statements }));

	if (problems.length > 0) {
		const list = problems.map((p) => `  - ${p.message}`).join('\n');
		throw new AssentError(
			'content/invalid',
			`${problems.length === 1 ? 'A problem' : `${problems.length} problems`} in the content at ${displayPath(dir)}; nothing was built:\n${list}`,
			{ problems }
		);
	}
	const warnings = contentWarnings({
		files: files.filter((f) => !(lockKey(f) in lock)),
		all: files
	});
	return { dir, site, partners, statements, unlocked, hashes, warnings };
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
export function dateProblem(text: string): string | undefined {
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
			const { html, blocks } = file.rendered;
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
		throw new AssentError('content/invalid', `${count(problems.length, 'problem')} in ${id}`, {
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

/** The 1-based line in the file where `url` is written, or undefined when it cannot be found. */
function lineOf(file: ParsedFile, url: string): number | undefined {
	const spellings = [url, url.replace(/&/g, '&amp;')];
	try {
		spellings.push(decodeURI(url));
	} catch {
		// not percent-encoded text; the other spellings are searched
	}
	// Where a markdown link, a reference definition or an HTML attribute writes the address,
	// before the bare text (an address like "x" is also a letter of the text).
	const forms = spellings.flatMap((u) => [
		`](${u}`,
		`](<${u}>`,
		`]: ${u}`,
		`="${u}"`,
		`='${u}'`,
		`=${u}`,
		`<${u}>`,
		u
	]);
	for (const form of forms) {
		const index = file.body.indexOf(form);
		if (index !== -1) return file.bodyLine + lineAt(file.body, index) - 1;
	}
	return undefined;
}

/**
 * Links and images in statements must lead somewhere on every page that shows them. A statement
 * is shown at several addresses (`/statements/terms/`, `/statements/terms/1.0/`,
 * `/statements/terms/1.0/en/`), so a relative link cannot; the build's crawler would stop on it.
 * Allowed: absolute URLs, `#anchors` of the statement's own headings, and site paths of pages
 * the content produces.
 */
function checkLinks(options: { files: ParsedFile[]; statements: Statement[] }): AssentError[] {
	/** Site path → the ids a `#fragment` may name on it (undefined: a page without anchors). */
	const pages = new Map<string, Set<string> | undefined>();
	const mainPages = new Set<string>();
	for (const path of [
		'/',
		'/records/',
		'/statements/index.json',
		'/statements/feed.xml',
		'/partners.json'
	])
		pages.set(path, undefined);
	for (const statement of options.statements) {
		const base = `/statements/${statement.id}/`;
		pages.set(`${base}history/`, undefined);
		pages.set(`${base}diff/`, undefined);
		// The statement's own page shows whichever version is in force on the day of the build, so
		// only anchors every version has are safe there.
		let common: Set<string> | undefined;
		for (const version of statement.versions) {
			const main = version.locales[statement.defaultLocale] ?? Object.values(version.locales)[0]!;
			const mainIds = anchors(main.html);
			common = common ? new Set([...common].filter((id) => mainIds.has(id))) : mainIds;
			pages.set(`${base}${version.version}/`, mainIds);
			for (const [locale, text] of Object.entries(version.locales)) {
				pages.set(`${base}${version.version}/${locale}/`, anchors(text.html));
				pages.set(`${base}${version.version}/${locale}.json`, undefined);
			}
		}
		pages.set(base, common ?? new Set());
		mainPages.add(base);
	}
	const examples = options.statements
		.slice(0, 3)
		.map((s) => `/statements/${s.id}/`)
		.join(', ');
	const problems: AssentError[] = [];
	for (const file of options.files) {
		for (const link of file.rendered.links) {
			const url = link.url.trim();
			const line = lineOf(file, url);
			const at = `${file.shown}${line ? `:${line}` : ''}`;
			const what = link.tag === 'img' ? `image "${url}"` : `link "${url}"`;
			const refuse = (reason: string): void => {
				problems.push(
					new AssentError('content/link', `${at}: ${what} ${reason}`, {
						file: file.shown,
						field: link.attribute
					})
				);
			};
			const absolute = /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//');
			if (link.tag === 'img') {
				if (!/^(https?:)?\/\//i.test(url) && !staticFile(url)) {
					refuse(
						"is neither an absolute web address nor a file of the site's static/ folder, so it would show on none of the statement's pages. Use the image's https URL, e.g. https://example.com/logo.png."
					);
				}
				continue;
			}
			if (absolute) continue;
			if (url === '' || url === '#') continue;
			if (url.startsWith('#')) {
				const id = safeDecode(url.slice(1));
				if (!file.rendered.ids.includes(id)) {
					const known = file.rendered.ids.slice(0, 5).map((i) => `#${i}`);
					refuse(
						`points to no heading of this statement. Heading anchors are "section-" and the heading's words, e.g. #section-1-scope${known.length ? `; this file has ${known.join(', ')}` : '; this file has no headings'}.`
					);
				}
				continue;
			}
			if (!url.startsWith('/')) {
				refuse(
					`is relative, and a statement is shown at several addresses, so it would lead nowhere. Use an absolute https URL (e.g. https://example.com/annex.pdf), or the path of a statement page that exists${examples ? ` (e.g. ${examples.split(', ')[0]})` : ''}.`
				);
				continue;
			}
			const [beforeHash, fragment] = splitOnce(url, '#');
			const [path] = splitOnce(beforeHash, '?');
			if (!pages.has(path) && !staticFile(path)) {
				const slash = path.endsWith('/') ? undefined : `${path}/`;
				refuse(
					slash && pages.has(slash)
						? `leads to no page: page addresses end with a slash, write "${slash}".`
						: `leads to no page of this site. Link to a statement page that exists${examples ? ` (${examples})` : ''}, or use an absolute https URL.`
				);
				continue;
			}
			if (fragment) {
				const ids = pages.get(path);
				const id = safeDecode(fragment);
				if (!ids) {
					refuse(
						`names an anchor "#${id}" on a page without heading anchors; link to the page without "#${fragment}".`
					);
				} else if (!ids.has(id)) {
					// On a statement's own page, point to a version that has the heading.
					const version = mainPages.has(path)
						? [...pages.keys()].find(
								(other) =>
									other.startsWith(path) &&
									other.split('/').length === 5 &&
									pages.get(other)?.has(id)
							)
						: undefined;
					refuse(
						version
							? `names an anchor "#${id}" that not every version of ${path} has, and that page shows the version in force. Link to the version, e.g. ${version}#${id}.`
							: `names an anchor "#${id}" that ${path} does not have.`
					);
				}
			}
		}
	}
	return problems;
}

/**
 * True when a site path names a file the site serves from the project's `static/` folder
 * (`/schemas/record.json`), beside the pages the content produces. A folder (`/demo/`) is not
 * a page the build knows, so it does not count.
 */
function staticFile(path: string): boolean {
	if (!path.startsWith('/') || path.startsWith('//')) return false;
	const root = resolve('static');
	const target = resolve(root, `.${safeDecode(path.split(/[?#]/)[0]!)}`);
	if (!target.startsWith(root + sep)) return false;
	return existsSync(target) && statSync(target).isFile();
}

function anchors(html: string): Set<string> {
	return new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!));
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

function splitOnce(text: string, separator: string): [string, string] {
	const index = text.indexOf(separator);
	return index === -1 ? [text, ''] : [text.slice(0, index), text.slice(index + 1)];
}

/**
 * What an author should look at before publishing, though it does not stop the build: markup
 * the sanitizer removed, a leading heading that differs from the title, and a "material" version
 * whose text did not change. Only files not yet published are reported: published ones are
 * final, so repeating their warnings on every build would only hide new ones.
 */
function contentWarnings(options: { files: ParsedFile[]; all: ParsedFile[] }): ContentWarning[] {
	const warnings: ContentWarning[] = [];
	const warn = (code: ContentWarning['code'], file: ParsedFile, message: string): void => {
		warnings.push({ code, file: file.shown, message: `${file.shown}: ${message}` });
	};
	for (const file of options.files) {
		const { removed, leadingHeading } = file.rendered;
		if (removed.length > 0) {
			warn(
				'content/sanitized',
				file,
				`removed from the page, as statements may not contain them: ${removed.join(', ')}. Readers see the text without them; delete them from the file (see "Markdown" in the README).`
			);
		}
		if (leadingHeading && !leadingHeading.dropped) {
			warn(
				'content/title',
				file,
				`the text starts with the heading "${leadingHeading.text}", which differs from the title "${file.title}", so the page shows both. Delete the heading, or make it the title.`
			);
		}
		if (file.change === 'material') {
			const previous = options.all
				.filter(
					(other) =>
						other.id === file.id &&
						other.locale === file.locale &&
						compareVersions(other.version, file.version) < 0
				)
				.sort((a, b) => compareVersions(b.version, a.version))[0];
			if (previous && sameText(previous.body, file.body)) {
				warn(
					'content/unchanged',
					file,
					`marked "material", but its text is the same as version ${previous.version} (${previous.shown}), so readers would be asked to accept again for no change. Check that the new text was saved, or use "minor".`
				);
			}
		}
	}
	return warnings;
}

/** The same text, apart from trailing spaces and blank lines. */
function sameText(a: string, b: string): boolean {
	const key = (text: string) =>
		text
			.split('\n')
			.map((line) => line.trimEnd())
			.join('\n')
			.trim();
	return key(a) === key(b);
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
