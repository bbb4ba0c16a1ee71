/**
 * Who vouches for a record's subject (SPEC section 8). Each record's `subjectToken` is verified
 * against the keys the statements site publishes; a failed token refuses the record for good.
 * A record without a token is refused too, unless the receiver is configured to accept
 * unverified subjects (`subjects: 'unverified'`, `ASSENT_SUBJECTS=unverified`): it is then
 * stored marked unverified, and its receipt says so.
 */
import { OPERATOR, keyRegistry } from './registry.js';
import { verifySubjectToken } from './tokens.js';

/** The subject policies: whether a record without a token is accepted. */
export const SUBJECT_POLICIES = /** @type {const} */ (['verified', 'unverified']);

/**
 * @typedef {{ verified: true, issuer: string, kid: string } | { verified: false }} Vouch
 * @typedef {{ reason: string, retryable: boolean }} Refusal
 */

/**
 * @param {object} options
 * @param {'verified' | 'unverified'} [options.policy]  whether tokens are required (default 'verified')
 * @param {string} options.site  the statements site (URL or folder): `/partners.json` is read there
 * @param {() => string | undefined} options.audience  the origin tokens must name, once known
 * @param {number} [options.refreshSeconds]
 * @param {import('./site-documents.js').SiteDocument} [options.partners]  the site's
 *   `/partners.json` as the receiver reads it for every caller; made from `site` when not given
 */
export function subjectChecks(options) {
	const policy = options.policy ?? 'verified';
	if (!SUBJECT_POLICIES.includes(policy)) {
		throw new Error(
			`The subject policy must be "verified" (records need a subject token) or "unverified" (records without one are accepted and marked); got "${policy}". Set ASSENT_SUBJECTS accordingly.`
		);
	}
	const registry = keyRegistry({
		site: options.site,
		...(options.partners ? { document: options.partners } : {}),
		...(options.refreshSeconds !== undefined ? { refreshSeconds: options.refreshSeconds } : {})
	});

	/**
	 * Verifies a bearer of a subject token now (the standing endpoint): any issuer in the
	 * registry, any subject (the caller compares it).
	 * @param {{ token: string, at: number }} check
	 */
	async function bearer(check) {
		const audience = options.audience();
		const current = await registry.current();
		if (!audience || !current.keys) {
			return /** @type {const} */ ({
				ok: false,
				code: 'subject-token/unavailable',
				message: audience
					? /** @type {{ error: string }} */ (current).error
					: "The receiver does not know the statements site's origin, so it cannot check subject tokens.",
				retryable: true
			});
		}
		const result = await verifySubjectToken({
			token: check.token,
			keys: current.keys,
			issuers: undefined,
			subject: undefined,
			audience,
			at: check.at
		});
		return { ...result, retryable: false };
	}

	return {
		policy,
		registry,
		/**
		 * The checks of one batch: the registry is read (when due) once, by the first record
		 * that carries a token.
		 */
		batch() {
			/** @type {ReturnType<typeof registry.current> | undefined} */
			let keys;
			return {
				/**
				 * @param {Record<string, any>} record  a record that passed every other check
				 * @returns {Promise<{ vouch: Vouch } | { refusal: Refusal }>}
				 */
				async check(record) {
					const token = record.subjectToken;
					if (token === undefined) {
						if (policy === 'unverified') return { vouch: { verified: false } };
						return {
							refusal: {
								reason:
									"subject-token/missing: The record has no subject token, and this receiver accepts only subjects vouched for by the partner's (or operator's) signed token (SPEC section 8). The partner's site must set the widget's subject-token attribute.",
								retryable: false
							}
						};
					}
					const audience = options.audience();
					const current = await (keys ??= registry.current());
					if (!audience || !current.keys) {
						// The receiver's configuration or the site is at fault, not the record.
						return {
							refusal: {
								reason: `subject-token/unavailable: The subject token cannot be checked now: ${audience ? /** @type {{ error: string }} */ (current).error : "the receiver does not know the statements site's origin (set baseUrl in site.yaml, or ASSENT_SITE to the site's URL)"}.`,
								retryable: true
							}
						};
					}
					const result = await verifySubjectToken({
						token,
						keys: current.keys,
						issuers: record.partner ? [record.partner, OPERATOR] : [OPERATOR],
						subject: record.subject,
						audience,
						at: Date.parse(record.at)
					});
					if (!result.ok) {
						return { refusal: { reason: `${result.code}: ${result.message}`, retryable: false } };
					}
					return { vouch: { verified: true, issuer: result.issuer, kid: result.kid } };
				}
			};
		},
		bearer
	};
}
