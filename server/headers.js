/**
 * Which pages of the built site other sites may put in a frame. Every page refuses framing
 * (`frame-ancestors 'none'`, and `X-Frame-Options: DENY` for old browsers), so nobody can
 * overlay a statement, the records page or the console with a page of their own; the widget's
 * pages (`/embed/<id>/`) may be framed by the site itself, by the origins of the partners in
 * `partners.json`, the pages the widget serves, and by the site's own `origins` listed there
 * (site.yaml: pages that embed the widget in accept mode without a partner).
 *
 * The rules are written to `<build>/_headers` (the format Netlify and Cloudflare Pages read),
 * so a CDN sends what `server/static.js` sends. The rules never overlap: those hosts apply every
 * matching rule, and a `DENY` for `/*` would also reach `/embed/`.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The manifest's file name in the build folder. */
export const HEADERS_FILE = '_headers';

/** @typedef {{ path: string, headers: Record<string, string> }} HeaderRule */

const DENY = {
	'Content-Security-Policy': "frame-ancestors 'none'",
	'X-Frame-Options': 'DENY'
};

/**
 * The framing rules of the built site in `dir`, from its `partners.json` and its folders.
 * @param {{ dir: string }} options
 * @returns {HeaderRule[]}
 */
export function frameRules(options) {
	const { dir } = options;
	const registry = join(dir, 'partners.json');
	if (!existsSync(registry)) {
		throw new Error(
			`${registry} is missing: the framing rules of /embed/ come from the partner registry. Build the site first (npm run build).`
		);
	}
	/** @type {{ origins?: string[], partners?: { id: string, origins?: string[] }[] }} */
	const parsed = JSON.parse(readFileSync(registry, 'utf8'));
	const origins = [
		...new Set([
			...(parsed.origins ?? []),
			...(parsed.partners ?? []).flatMap((p) => p.origins ?? [])
		])
	].sort();
	for (const origin of origins) {
		// A space or a quote would break the header; the build checks origins, this is the guard.
		if (!/^https?:\/\/[^\s'";,]+$/.test(origin)) {
			throw new Error(
				`${registry}: "${origin}" is not a web origin; fix it in partners.yaml or site.yaml (origins).`
			);
		}
	}
	/** @type {HeaderRule[]} */
	const rules = [
		{ path: '/', headers: DENY },
		{ path: '/index.html', headers: DENY }
	];
	for (const entry of readdirSync(dir).sort()) {
		if (entry === 'embed' || !statSync(join(dir, entry)).isDirectory()) continue;
		rules.push({ path: `/${entry}/*`, headers: DENY });
	}
	rules.push({
		path: '/embed/*',
		headers: { 'Content-Security-Policy': `frame-ancestors ${["'self'", ...origins].join(' ')}` }
	});
	return rules;
}

/**
 * The rules as a `_headers` file.
 * @param {{ rules: HeaderRule[] }} options
 */
export function formatHeaders(options) {
	const lines = [
		'# Which pages other sites may frame; written by the build (server/headers.js).',
		'# Every page: no framing. /embed/: the site itself and the origins in partners.json (site and partners).'
	];
	for (const rule of options.rules) {
		lines.push(rule.path);
		for (const [name, value] of Object.entries(rule.headers)) lines.push(`  ${name}: ${value}`);
	}
	return `${lines.join('\n')}\n`;
}

/**
 * Reads a `_headers` file: a path on its own line, its headers indented below it.
 * @param {{ text: string, source: string }} options
 * @returns {HeaderRule[]}
 */
export function parseHeaders(options) {
	/** @type {HeaderRule[]} */
	const rules = [];
	for (const [i, line] of options.text.split(/\r?\n/).entries()) {
		if (!line.trim() || line.trim().startsWith('#')) continue;
		if (!/^\s/.test(line)) {
			rules.push({ path: line.trim(), headers: {} });
			continue;
		}
		const match = /^\s+([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
		const rule = rules.at(-1);
		if (!match || !rule) {
			throw new Error(
				`${options.source}, line ${i + 1}: expected a path, or "  Header-Name: value" under one; got "${line.trim()}".`
			);
		}
		rule.headers[/** @type {string} */ (match[1])] = /** @type {string} */ (match[2]);
	}
	return rules;
}

/**
 * The headers for one path: those of every matching rule, later ones winning, as the hosts do.
 * `*` at the end of a rule's path matches the rest of the path.
 * @param {{ rules: HeaderRule[], pathname: string }} options
 */
export function headersFor(options) {
	/** @type {Record<string, string>} */
	const headers = {};
	for (const rule of options.rules) {
		const matches = rule.path.endsWith('*')
			? options.pathname.startsWith(rule.path.slice(0, -1))
			: options.pathname === rule.path;
		if (matches) Object.assign(headers, rule.headers);
	}
	return headers;
}

/**
 * The rules a static server of `dir` applies: its `_headers` when the build wrote one, else the
 * same rules worked out from the folder.
 * @param {{ dir: string }} options
 */
export function siteHeaderRules(options) {
	const file = join(options.dir, HEADERS_FILE);
	if (existsSync(file)) return parseHeaders({ text: readFileSync(file, 'utf8'), source: file });
	return frameRules(options);
}

/**
 * Writes `<dir>/_headers`.
 * @param {{ dir: string }} options
 */
export function writeHeaders(options) {
	const file = join(options.dir, HEADERS_FILE);
	writeFileSync(file, formatHeaders({ rules: frameRules(options) }));
	return file;
}
