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
 * `ASSENT_SITE_ORIGIN`, `ASSENT_RECEIVER_SKEW_SECONDS`, `ASSENT_RECEIVER_REQUEST_TIMEOUT_SECONDS`,
 * `ASSENT_OPERATOR_TOKENS` (`name:token[,name:token…]`), `ASSENT_WEBHOOK_URLS` (comma-separated)
 * , `ASSENT_WEBHOOK_SECRET` (`whsec_…`) and `ASSENT_WEBHOOK_MAX_ATTEMPTS`.
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
	const operatorTokens = parseOperatorTokens(value('ASSENT_OPERATOR_TOKENS'));
	const webhookUrls = value('ASSENT_WEBHOOK_URLS');
	const webhookSecret = value('ASSENT_WEBHOOK_SECRET');
	const webhooks = webhookUrls
		? {
				urls: webhookUrls
					.split(',')
					.map((u) => u.trim())
					.filter(Boolean),
				secret: webhookSecret ?? '',
				...(value('ASSENT_WEBHOOK_MAX_ATTEMPTS') !== undefined
					? { maxAttempts: number('ASSENT_WEBHOOK_MAX_ATTEMPTS', 0) }
					: {})
			}
		: undefined;
	if (webhooks && !webhookSecret) {
		throw new Error(
			'ASSENT_WEBHOOK_URLS is set but ASSENT_WEBHOOK_SECRET is not: give the secret the webhooks are signed with, in Standard Webhooks form "whsec_<base64>" (e.g. "whsec_" followed by `openssl rand -base64 32`).'
		);
	}
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
		...(subjects ? { subjects } : {}),
		...(operatorTokens ? { operatorTokens } : {}),
		...(webhooks ? { webhooks } : {})
	};
}

/**
 * `name:token[,name:token…]` as a map from name to token.
 * @param {string | undefined} text
 * @returns {Record<string, string> | undefined}
 */
export function parseOperatorTokens(text) {
	if (text === undefined) return undefined;
	/** @type {Record<string, string>} */
	const tokens = {};
	for (const entry of text.split(',').map((e) => e.trim())) {
		if (!entry) continue;
		const colon = entry.indexOf(':');
		const name = colon > 0 ? entry.slice(0, colon).trim() : '';
		const token = colon > 0 ? entry.slice(colon + 1).trim() : '';
		if (!/^[\w.-]+$/.test(name) || token.length < 16) {
			throw new Error(
				`ASSENT_OPERATOR_TOKENS must be "name:token[,name:token…]", each name letters, digits, "-", "_" or "." and each token at least 16 characters (e.g. from \`openssl rand -base64 32\`); the entry "${colon > 0 ? `${name}:…` : entry.slice(0, 3) + '…'}" is not.`
			);
		}
		if (name in tokens) throw new Error(`ASSENT_OPERATOR_TOKENS names "${name}" twice.`);
		tokens[name] = token;
	}
	return tokens;
}
