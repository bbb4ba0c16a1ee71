/**
 * Loading a content folder: every statement file parsed (`parse.ts`), assembled into statements
 * (`assemble.ts`), compared with the lock (`lock.ts`) and its links checked (`links.ts`), with
 * the site and partners files (`site.ts`).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AssentError } from '../../core/errors';
import { assembleStatement } from './assemble';
import { contentDir, displayPath } from './folder';
import { checkLinks } from './links';
import { compareWithLock, lockKey, readLock } from './lock';
import { parseFile, type ParsedFile } from './parse';
import { readPartners, readSite } from './site';
import type { Content, Statement } from './types';
import { contentWarnings } from './warnings';

export { contentDir, displayPath } from './folder';

const STATEMENT_ID = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

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
	const { hashes, unlocked, problems: lockProblems } = compareWithLock({ dir, lock, files });
	problems.push(...lockProblems);
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

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
	const map = new Map<string, T[]>();
	for (const item of items) {
		const k = key(item);
		map.set(k, [...(map.get(k) ?? []), item]);
	}
	return map;
}
