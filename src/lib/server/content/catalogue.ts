import { announcedVersions, versionInForce, versionStatus } from '../../core/statement';
import type { StatementDiff } from '../../core/diff';
import { paths } from '../../core/paths';
import { compareVersions } from '../../core/version';
import { statementDiff as diffDocument } from './diff';
import type { Content, LocalizedVersion, Statement, StatementVersion } from './types';

/** The title of a statement in a locale, falling back to its default locale. */
export function localized(options: {
	version: StatementVersion;
	locale: string;
	fallback: string;
}): LocalizedVersion {
	return (
		options.version.locales[options.locale] ??
		options.version.locales[options.fallback] ??
		Object.values(options.version.locales)[0]!
	);
}

export function findStatement(options: { content: Content; id: string }): Statement | undefined {
	return options.content.statements.find((s) => s.id === options.id);
}

export function findVersion(options: {
	statement: Statement;
	version: string;
}): StatementVersion | undefined {
	return options.statement.versions.find((v) => v.version === options.version);
}

/** What the catalogue and the statement pages need to know about where a statement stands. */
export function standing(options: { statement: Statement; now: Date }) {
	const { statement, now } = options;
	const inForce = versionInForce({ versions: statement.versions, now });
	const announced = announcedVersions({ versions: statement.versions, now });
	const latest = statement.versions[statement.versions.length - 1]!;
	return { inForce, announced, latest };
}

/** `/statements/index.json`: every statement, version and locale, with hashes. */
export function statementIndex(options: { content: Content; now: Date }) {
	const { content, now } = options;
	return {
		schema: 'assent.statements/1',
		site: {
			name: content.site.name,
			...(content.site.publisher ? { publisher: content.site.publisher } : {}),
			locales: content.site.locales,
			...(content.site.baseUrl ? { baseUrl: content.site.baseUrl } : {})
		},
		builtAt: now.toISOString(),
		statements: content.statements.map((statement) => {
			const { inForce, latest } = standing({ statement, now });
			const main = localized({
				version: latest,
				locale: statement.defaultLocale,
				fallback: statement.defaultLocale
			});
			return {
				id: statement.id,
				title: main.title,
				defaultLocale: statement.defaultLocale,
				locales: statement.locales,
				inForce: inForce?.version ?? null,
				latest: latest.version,
				url: paths.statement({ id: statement.id }),
				versions: statement.versions.map((version) => ({
					version: version.version,
					issued: version.issued,
					effective: version.effective,
					change: version.change,
					status: versionStatus({ versions: statement.versions, version: version.version, now }),
					locales: Object.fromEntries(
						Object.values(version.locales).map((l) => [
							l.locale,
							{
								title: l.title,
								summary: l.summary,
								hash: l.hash,
								url: paths.version({
									id: statement.id,
									version: version.version,
									locale: l.locale
								}),
								json: paths.versionJson({
									id: statement.id,
									version: version.version,
									locale: l.locale
								})
							}
						])
					)
				}))
			};
		})
	};
}

/** `/statements/<id>/<version>/<locale>.json`: one version with its sanitized HTML. */
export function versionDocument(options: {
	statement: Statement;
	version: StatementVersion;
	locale: string;
	now: Date;
}) {
	const { statement, version, now } = options;
	const l = version.locales[options.locale]!;
	const index = statement.versions.indexOf(version);
	return {
		schema: 'assent.statement-version/1',
		id: statement.id,
		version: version.version,
		locale: l.locale,
		title: l.title,
		issued: version.issued,
		effective: version.effective,
		change: version.change,
		summary: l.summary,
		status: versionStatus({ versions: statement.versions, version: version.version, now }),
		hash: l.hash,
		url: paths.version({ id: statement.id, version: version.version, locale: l.locale }),
		previous: index > 0 ? statement.versions[index - 1]!.version : null,
		locales: Object.keys(version.locales),
		html: l.html
	};
}

/**
 * The pairs of versions whose diff documents the site publishes, oldest first: each version
 * with the next, and each older version with the one in force and with the latest (a widget
 * shows what changed since the version a person accepted; the latest is in force next). That
 * keeps the documents linear in the number of versions; the comparison page computes any other
 * pair in the browser from the two versions' documents. Only in the locales both are written in.
 */
export function diffPairs(
	statement: Statement,
	options: { now: Date }
): { from: string; to: string; locale: string }[] {
	const { versions } = statement;
	const { inForce, latest } = standing({ statement, now: options.now });
	const wanted = new Set<string>();
	versions.forEach((older, i) => {
		for (const newer of [versions[i + 1], inForce, latest]) {
			if (newer && compareVersions(older.version, newer.version) < 0) {
				wanted.add(`${older.version}\n${newer.version}`);
			}
		}
	});
	const pairs: { from: string; to: string; locale: string }[] = [];
	versions.forEach((older, i) => {
		for (const newer of versions.slice(i + 1)) {
			if (!wanted.has(`${older.version}\n${newer.version}`)) continue;
			for (const locale of Object.keys(newer.locales)) {
				if (older.locales[locale]) pairs.push({ from: older.version, to: newer.version, locale });
			}
		}
	});
	return pairs;
}

export function statementDiff(options: {
	statement: Statement;
	from: StatementVersion;
	to: StatementVersion;
	locale: string;
}): StatementDiff {
	const { statement, locale } = options;
	const [from, to] =
		compareVersions(options.from.version, options.to.version) <= 0
			? [options.from, options.to]
			: [options.to, options.from];
	const side = (version: StatementVersion) => {
		const l = version.locales[locale]!;
		return {
			version: version.version,
			hash: l.hash,
			title: l.title,
			change: version.change,
			summary: l.summary,
			html: l.html
		};
	};
	return diffDocument({ id: statement.id, locale, from: side(from), to: side(to) });
}
