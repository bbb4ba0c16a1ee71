/**
 * The receiver's settings from environment variables, shared by `receiver/main.js` and
 * `npm start` (`server/start.js`), so both read the same names the same way.
 */
import { resolve } from 'node:path';

/**
 * Reads:
 * `ASSENT_RECEIVER_PORT`, `ASSENT_RECEIVER_HOST`, `ASSENT_RECEIVER_PATH`,
 * `DATABASE_URL` (a PostgreSQL server; without it, PGlite in `ASSENT_RECEIVER_DATA`),
 * `ASSENT_RECEIVER_DATA` (default `data/receiver`: PGlite in `pglite/`, the key in
 * `signing-key.pem`), `ASSENT_SITE`, `ASSENT_RECEIVER_ORIGINS` (comma-separated; replaces the
 * default origins), `ASSENT_RECEIVER_KEY`, `ASSENT_RECEIVER_TOKEN`,
 * `ASSENT_RECEIVER_REFRESH_SECONDS`, `ASSENT_SUBJECTS` (`verified`, the default, or `unverified`),
 * `ASSENT_SITE_ORIGIN`, `ASSENT_RECEIVER_SKEW_SECONDS`, `ASSENT_RECEIVER_REQUEST_TIMEOUT_SECONDS`.
 * @param {{ env?: Record<string, string | undefined>, defaults?: import('./types.js').ReceiverDefaults, cwd?: string }} options
 *   `env`: @default process.env; `cwd`: where relative folders start. @default process.cwd()
 * @returns {import('./types.js').StartReceiverOptions}
 */
export function receiverConfig(options) {
	const env = options.env ?? process.env;
	const defaults = options.defaults ?? {};
	const cwd = options.cwd ?? process.cwd();
	const value = (/** @type {string} */ name) => {
		const v = env[name]?.trim();
		return v ? v : undefined;
	};
	const number = (/** @type {string} */ name, /** @type {number} */ fallback) => {
		const v = value(name);
		if (v === undefined) return fallback;
		if (!/^\d+$/.test(v)) throw new Error(`${name} must be a whole number; got "${v}".`);
		return Number(v);
	};
	const data = resolve(cwd, value('ASSENT_RECEIVER_DATA') ?? 'data/receiver');
	const site = value('ASSENT_SITE') ?? defaults.site ?? 'build';
	const origins = value('ASSENT_RECEIVER_ORIGINS');
	const token = value('ASSENT_RECEIVER_TOKEN');
	const path = value('ASSENT_RECEIVER_PATH');
	const subjects = value('ASSENT_SUBJECTS');
	if (subjects !== undefined && subjects !== 'verified' && subjects !== 'unverified') {
		throw new Error(
			`ASSENT_SUBJECTS must be "verified" (records need a subject token, the default) or "unverified" (records without one are accepted, marked unverified); got "${subjects}".`
		);
	}
	const siteOrigin =
		value('ASSENT_SITE_ORIGIN') ?? (/^https?:\/\//i.test(site) ? new URL(site).origin : undefined);
	return {
		port: number('ASSENT_RECEIVER_PORT', defaults.port ?? 4175),
		host: value('ASSENT_RECEIVER_HOST') ?? defaults.host ?? '127.0.0.1',
		database: value('DATABASE_URL') ?? resolve(data, 'pglite'),
		site: /^https?:\/\//i.test(site) ? site : resolve(cwd, site),
		origins: origins
			? origins
					.split(',')
					.map((o) => o.trim())
					.filter(Boolean)
			: (defaults.origins ?? []),
		signingKey: resolve(cwd, value('ASSENT_RECEIVER_KEY') ?? resolve(data, 'signing-key.pem')),
		refreshSeconds: number('ASSENT_RECEIVER_REFRESH_SECONDS', 30),
		skewSeconds: number('ASSENT_RECEIVER_SKEW_SECONDS', 300),
		requestTimeoutMs: number('ASSENT_RECEIVER_REQUEST_TIMEOUT_SECONDS', 30) * 1000,
		...(siteOrigin ? { siteOrigin } : {}),
		...(token ? { token } : {}),
		...(path ? { path } : {}),
		...(subjects ? { subjects } : {})
	};
}
