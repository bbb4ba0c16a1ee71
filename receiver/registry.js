/**
 * The public keys that sign subject tokens (SPEC section 8), as the statements site publishes
 * them in `/partners.json`: each partner's `keys`, and the operator's under `operator.keys`. Read
 * by URL or from the built folder, and read again once the last read is older than
 * `refreshSeconds`, so a key the operator removes from the registry stops verifying new records.
 */
import { createPublicKey } from 'node:crypto';
import { partnersDocument, partnersSource } from './site-documents.js';

/** The issuer name of the operator's own tokens. */
export const OPERATOR = 'operator';

/** The algorithm each accepted kind of key signs with. */
const ALGORITHM_OF = /** @type {const} */ ({ 'OKP/Ed25519': 'EdDSA', 'EC/P-256': 'ES256' });

/**
 * @typedef {{ key: import('node:crypto').KeyObject, alg: 'EdDSA' | 'ES256', kid: string }} IssuerKey
 * @typedef {Map<string, Map<string, IssuerKey>>} KeysByIssuer  issuer (partner id or "operator") → kid → key
 */

/** Where the registry of a site lives (`partnersSource`). */
export const registrySource = partnersSource;

/**
 * `document`: the site's `/partners.json` as the receiver reads it for every caller
 * (`partnersDocument`); one is made from the other options when it is not given.
 * @param {{ site: string, refreshSeconds?: number, fetch?: typeof fetch, now?: () => number, document?: import('./site-documents.js').SiteDocument }} options
 */
export function keyRegistry(options) {
	const document = options.document ?? partnersDocument(options);
	const { source } = document;
	const read = document.view((text) => parseRegistry({ text, source }));

	return {
		source,
		load: document.load,
		/**
		 * The keys now: read again first when the last read is older than `refreshSeconds`. When
		 * the registry cannot be read, the keys of the last good read are kept; `error` says why
		 * there are none when there never was one.
		 * @returns {Promise<{ keys: KeysByIssuer } | { keys: undefined, error: string }>}
		 */
		async current() {
			await document.refresh();
			const keys = read.value();
			if (keys) return { keys };
			const error = read.error();
			return {
				keys: undefined,
				error:
					error !== undefined
						? `${error} Subject tokens cannot be checked without it.`
						: `The partner registry ${source} is not read yet.`
			};
		}
	};
}

/**
 * Every issuer's keys, from the text of a `/partners.json`. Keys that are not public EdDSA or
 * ES256 JWKs with a `kid` are left out (the site's build refuses them already).
 * @param {{ text: string, source: string }} options
 * @returns {KeysByIssuer}
 */
export function parseRegistry(options) {
	/** @type {any} */
	let registry;
	try {
		registry = JSON.parse(options.text);
	} catch (error) {
		throw new Error(
			`The partner registry ${options.source} is not JSON (${/** @type {Error} */ (error).message}).`,
			{ cause: error }
		);
	}
	if (!Array.isArray(registry?.partners)) {
		throw new Error(
			`The partner registry ${options.source} is not an Assent registry; expected { "partners": [{ "id", "keys": [...] }], "operator": { "keys": [...] } }.`
		);
	}
	/** @type {KeysByIssuer} */
	const byIssuer = new Map();
	const add = (/** @type {string} */ issuer, /** @type {unknown} */ list) => {
		/** @type {Map<string, IssuerKey>} */
		const keys = new Map();
		for (const jwk of Array.isArray(list) ? list : []) {
			const alg =
				ALGORITHM_OF[/** @type {keyof typeof ALGORITHM_OF} */ (`${jwk?.kty}/${jwk?.crv}`)];
			if (!alg || typeof jwk.kid !== 'string' || jwk.d !== undefined) continue;
			if (jwk.alg !== undefined && jwk.alg !== alg) continue;
			try {
				const { kty, crv, x, y } = jwk;
				const key = createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' });
				keys.set(jwk.kid, { key, alg, kid: jwk.kid });
			} catch {
				// Not a usable key: as if it were not listed.
			}
		}
		byIssuer.set(issuer, keys);
	};
	for (const partner of registry.partners) {
		if (typeof partner?.id === 'string' && partner.id !== OPERATOR) add(partner.id, partner.keys);
	}
	add(OPERATOR, registry.operator?.keys);
	return byIssuer;
}
