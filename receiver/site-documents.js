/**
 * A document the statements site publishes (`/statements/index.json`, `/partners.json`), read by
 * URL or from the built folder. One read at a time: callers arriving during a read share it. The
 * document is read again once the last read is older than `refreshSeconds`; a failed read keeps
 * what the last good read gave and remembers why it failed.
 *
 * Each caller reads the document through a view: its own parse of the text, its own last good
 * value and its own error, so one document read feeds every caller that needs it.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Said after a read error when the document is a file of the built folder. */
export const BUILD_HINT =
	' Build the site first (npm run build), or set ASSENT_SITE to the site folder or URL.';

/**
 * @template T
 * @typedef {object} DocumentView
 * @property {() => T | undefined} value  what the last good read gave this view
 * @property {() => string | undefined} error  why the last read failed for this view, or undefined
 */

/**
 * @param {object} options
 * @param {string} options.source  the URL or file of the document
 * @param {string} options.name  what the document is, to name it in errors (e.g. "The partner registry")
 * @param {number} [options.refreshSeconds]  how old a read may be before the next (default 30)
 * @param {typeof fetch} [options.fetch]
 * @param {() => number} [options.now]
 */
export function siteDocument(options) {
	const { source, name } = options;
	const remote = /^https?:\/\//i.test(source);
	const refreshMs = (options.refreshSeconds ?? 30) * 1000;
	const now = options.now ?? Date.now;
	let readAt = -Infinity;
	/** @type {Promise<void> | undefined} */
	let reading;
	/** @type {Array<{ parse: (text: string) => unknown, value: unknown, error: string | undefined }>} */
	const views = [];

	async function text() {
		try {
			if (remote) {
				const response = await (options.fetch ?? globalThis.fetch)(source, {
					headers: { accept: 'application/json' }
				});
				if (!response.ok) throw new Error(`HTTP ${response.status}`);
				return await response.text();
			}
			return await readFile(source, 'utf8');
		} catch (error) {
			throw new Error(
				`${name} ${source} could not be read (${/** @type {Error} */ (error).message}).${remote ? '' : BUILD_HINT}`,
				{ cause: error }
			);
		}
	}

	async function read() {
		/** @type {string} */
		let body;
		try {
			body = await text();
		} catch (error) {
			for (const view of views) view.error = /** @type {Error} */ (error).message;
			throw error;
		}
		/** @type {unknown} */
		let failed;
		for (const view of views) {
			try {
				view.value = view.parse(body);
				view.error = undefined;
			} catch (error) {
				view.error = /** @type {Error} */ (error).message;
				failed ??= error;
			}
		}
		if (failed) throw failed;
	}

	/** Reads the document now (or joins the read under way); throws when it cannot. */
	function load() {
		reading ??= read().finally(() => {
			readAt = now();
			reading = undefined;
		});
		return reading;
	}

	return {
		source,
		remote,
		load,
		/**
		 * Waits for the read under way, or reads again when the last read is older than
		 * `refreshSeconds`; never throws (a failed read is in each view's `error`).
		 */
		async refresh() {
			if (reading) await reading.catch(() => undefined);
			else if (now() - readAt >= refreshMs) await load().catch(() => undefined);
		},
		/**
		 * A caller's reading of the document.
		 * @template T
		 * @param {(text: string) => T} parse  throws when the text is not what the caller expects
		 * @returns {DocumentView<T>}
		 */
		view(parse) {
			/** @type {{ parse: (text: string) => unknown, value: unknown, error: string | undefined }} */
			const state = { parse, value: undefined, error: undefined };
			views.push(state);
			return {
				value: () => /** @type {T | undefined} */ (state.value),
				error: () => state.error
			};
		}
	};
}

/** @typedef {ReturnType<typeof siteDocument>} SiteDocument */

/**
 * Where the partner registry of a site lives: `site` is the site's base URL or built folder (or
 * its `statements/index.json`, beside which the registry is found).
 * @param {string} site
 */
export function partnersSource(site) {
	const index = /(^|[/\\])statements[/\\]index\.json$/;
	if (/^https?:\/\//i.test(site)) {
		if (index.test(site)) return new URL('../partners.json', site).href;
		if (site.endsWith('.json')) return new URL('partners.json', site).href;
		return new URL('partners.json', site.endsWith('/') ? site : `${site}/`).href;
	}
	if (index.test(site)) return join(dirname(dirname(site)), 'partners.json');
	if (site.endsWith('.json')) return join(dirname(site), 'partners.json');
	return join(site, 'partners.json');
}

/**
 * The site's `/partners.json` (SPEC sections 4 and 8), read once for every caller: the intake's
 * partner origins and the subject tokens' keys are views of it.
 * @param {{ site: string, refreshSeconds?: number, fetch?: typeof fetch, now?: () => number }} options
 */
export function partnersDocument(options) {
	return siteDocument({
		source: partnersSource(options.site),
		name: 'The partner registry',
		...(options.refreshSeconds !== undefined ? { refreshSeconds: options.refreshSeconds } : {}),
		...(options.fetch ? { fetch: options.fetch } : {}),
		...(options.now ? { now: options.now } : {})
	});
}
