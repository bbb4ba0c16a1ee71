/**
 * Assembling a statement from its parsed files: versions in order, the locales of each version
 * agreeing on dates and change kind, change kinds and summaries where they are required.
 */
import { join, relative } from 'node:path';
import { AssentError } from '../../core/errors';
import { compareVersions } from '../../core/version';
import type { ParsedFile } from './parse';
import { count } from './text';
import type { LocalizedVersion, Statement, StatementVersion } from './types';

/** The statement `id` made of its files; throws every problem found in them at once. */
export function assembleStatement(options: {
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

function localeRank(siteLocales: string[], locale: string): number {
	const rank = siteLocales.indexOf(locale);
	return rank === -1 ? siteLocales.length : rank;
}
