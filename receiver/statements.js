/**
 * The published hashes of statement versions, read from the statements site's
 * `statements/index.json` (SPEC section 3), by URL or from the built folder. A record is only as
 * good as the statement it names: the receiver checks `statement.hash` against this list.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { siteDocument } from './site-documents.js';

/**
 * @typedef {object} PublishedStatements
 * @property {(statement: { id: string, version: string, locale: string }) => Promise<Published>} lookup
 *   the published hash of one version and locale, reading the index again first when the
 *   version is unknown and the last read is older than `refreshSeconds`
 * @property {() => Promise<void>} load  reads the index now; throws when it cannot
 * @property {(statement: { id: string, version: string }) => string | undefined} effective
 *   the day (`YYYY-MM-DD`, UTC) a version came or comes into force, as of the last read
 * @property {string} source  the URL or file the index is read from
 * @property {string | undefined} baseUrl  the site's `baseUrl` as the index publishes it
 * @property {(id: string) => Promise<StatementTimeline[] | undefined>} versions  every published
 *   version of a statement (announced ones included) with its dates and change kind, reading the
 *   index again first when the last read is older than `refreshSeconds`; `undefined` when the
 *   site does not publish the statement
 * @property {(statement: { id: string, version: string, locale: string }) => Promise<Record<string, unknown>>} document
 *   the site's `/statements/<id>/<version>/<locale>.json` (metadata and sanitized HTML)
 */

/**
 * @typedef {{ version: string, issued: string, effective: string, change: 'initial' | 'minor' | 'material', locales: string[] }} StatementTimeline
 */

/**
 * @typedef {{ hash: string } | { hash: undefined, error?: string }} Published
 *   `error` says why the index could not be read, when that is why the hash is unknown
 */

/**
 * Where the index of a site lives: `site` is the site's base URL or built folder, or the
 * `index.json` itself.
 * @param {string} site
 */
export function indexSource(site) {
	if (/^https?:\/\//i.test(site)) {
		if (site.endsWith('.json')) return site;
		return new URL('statements/index.json', site.endsWith('/') ? site : `${site}/`).href;
	}
	return site.endsWith('.json') ? site : join(site, 'statements', 'index.json');
}

/**
 * @param {import('./types.js').PublishedStatementsOptions} options
 * @returns {PublishedStatements}
 */
export function publishedStatements(options) {
	const source = indexSource(options.site);
	const remote = /^https?:\/\//i.test(source);
	const index = siteDocument({
		source,
		name: 'The statements index',
		...(options.refreshSeconds !== undefined ? { refreshSeconds: options.refreshSeconds } : {}),
		...(options.fetch ? { fetch: options.fetch } : {}),
		...(options.now ? { now: options.now } : {})
	});
	const read = index.view((text) => ({
		hashes: parseIndex({ text, source }),
		baseUrl: publishedBaseUrl(text),
		effective: effectiveDates({ text }),
		timelines: parseTimelines(text)
	}));

	/**
	 * Reads a file of the site beside the index, by its path from the site's root.
	 * @param {string} path  e.g. `/statements/terms/1.0/en.json`
	 */
	async function siteFile(path) {
		const root = source.replace(/statements\/index\.json$/, '');
		if (remote) {
			const url = new URL(path.replace(/^\//, ''), root).href;
			const response = await (options.fetch ?? globalThis.fetch)(url, {
				headers: { accept: 'application/json' }
			});
			if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
			return response.text();
		}
		return readFile(join(root, ...path.split('/').filter(Boolean)), 'utf8');
	}

	return {
		source,
		// Records arriving together share one read.
		load: index.load,
		async versions(id) {
			await index.refresh();
			return read.value()?.timelines.get(id);
		},
		async document(statement) {
			const path = `/statements/${encodeURIComponent(statement.id)}/${encodeURIComponent(statement.version)}/${encodeURIComponent(statement.locale)}.json`;
			let text;
			try {
				text = await siteFile(path);
			} catch (error) {
				throw new Error(
					`The statement version ${statement.id} ${statement.version} (${statement.locale}) could not be read from the site (${/** @type {Error} */ (error).message}).`,
					{ cause: error }
				);
			}
			return JSON.parse(text);
		},
		/** The site's `baseUrl` as its index publishes it (`site.baseUrl`), when it does. */
		get baseUrl() {
			return read.value()?.baseUrl;
		},
		effective: (statement) => read.value()?.effective.get(`${statement.id}/${statement.version}`),
		async lookup(statement) {
			const key = `${statement.id}/${statement.version}/${statement.locale}`;
			// A failed read is reported through `error`, not thrown: the record is retried later.
			if (!read.value()?.hashes.has(key)) await index.refresh();
			const hash = read.value()?.hashes.get(key);
			if (hash !== undefined) return { hash };
			const error = read.error();
			return error !== undefined ? { hash: undefined, error } : { hash: undefined };
		}
	};
}

/**
 * The `site.baseUrl` an index publishes, when it is an http(s) URL.
 * @param {string} text  an index that parsed
 */
function publishedBaseUrl(text) {
	const url = JSON.parse(text)?.site?.baseUrl;
	return typeof url === 'string' && /^https?:\/\//i.test(url) && URL.canParse(url)
		? url
		: undefined;
}

/**
 * Each statement's versions with their dates and change kind, from the text of an index that
 * parsed. Versions without dates (an index older than the dates) are left out.
 * @param {string} text
 * @returns {Map<string, StatementTimeline[]>}
 */
function parseTimelines(text) {
	/** @type {Map<string, StatementTimeline[]>} */
	const timelines = new Map();
	for (const statement of JSON.parse(text).statements) {
		/** @type {StatementTimeline[]} */
		const versions = [];
		for (const v of statement.versions) {
			if (typeof v.effective !== 'string' || typeof v.change !== 'string') continue;
			versions.push({
				version: v.version,
				issued: typeof v.issued === 'string' ? v.issued : v.effective,
				effective: v.effective,
				change: v.change,
				locales: Object.keys(v.locales ?? {})
			});
		}
		timelines.set(statement.id, versions);
	}
	return timelines;
}

/**
 * Every `id/version/locale` with its hash, from the text of an index.
 * @param {{ text: string, source: string }} options
 * @returns {Map<string, string>}
 */
export function parseIndex(options) {
	const bad = (/** @type {string} */ detail) =>
		new Error(
			`The statements index ${options.source} is not an Assent index (${detail}); expected { "statements": [{ "id", "versions": [{ "version", "locales": { "<locale>": { "hash" } } }] }] }.`
		);
	/** @type {unknown} */
	let index;
	try {
		index = JSON.parse(options.text);
	} catch (error) {
		throw bad(/** @type {Error} */ (error).message);
	}
	const statements = /** @type {{ statements?: unknown }} */ (index)?.statements;
	if (!Array.isArray(statements)) throw bad('no "statements" list');
	/** @type {Map<string, string>} */
	const hashes = new Map();
	for (const statement of statements) {
		if (typeof statement?.id !== 'string' || !Array.isArray(statement.versions)) {
			throw bad('a statement without "id" and "versions"');
		}
		for (const version of statement.versions) {
			if (typeof version?.version !== 'string' || typeof version.locales !== 'object') {
				throw bad(`a version of "${statement.id}" without "version" and "locales"`);
			}
			for (const [locale, published] of Object.entries(version.locales ?? {})) {
				if (typeof published?.hash !== 'string') {
					throw bad(`${statement.id} ${version.version} (${locale}) has no "hash"`);
				}
				hashes.set(`${statement.id}/${version.version}/${locale}`, published.hash);
			}
		}
	}
	return hashes;
}

/**
 * The day each version comes into force (`effective`, `YYYY-MM-DD`), keyed `id/version`, from
 * the text of an index that `parseIndex` accepted. Versions without one are left out.
 * @param {{ text: string }} options
 * @returns {Map<string, string>}
 */
export function effectiveDates(options) {
	/** @type {Map<string, string>} */
	const dates = new Map();
	const index = JSON.parse(options.text);
	for (const statement of index.statements ?? []) {
		for (const version of statement.versions ?? []) {
			if (typeof version.effective === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(version.effective)) {
				dates.set(`${statement.id}/${version.version}`, version.effective);
			}
		}
	}
	return dates;
}
