/**
 * Subject tokens (SPEC section 8): a partner's (or the operator's) signed word that the customer
 * behind a record is who its `subject` says. A JWT, compact JWS, signed EdDSA (Ed25519) or ES256
 * with a key the statements site publishes in `/partners.json`, selected by the header's `kid`.
 * Every failed check has a stable code, `subject-token/<check>`, which starts the reason a
 * record is refused with.
 */
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';

/** The largest token accepted, in bytes. */
export const MAX_TOKEN_BYTES = 8 * 1024;
/** The longest a token may vouch for, from `iat` to `exp`, in seconds. */
export const MAX_TOKEN_LIFETIME = 24 * 60 * 60;
/** How long before `iat` an act may be made (clocks differ), in seconds. */
export const CLOCK_SKEW = 5 * 60;
/** The only algorithms a token may be signed with: `none` and HMAC never verify. */
export const TOKEN_ALGORITHMS = /** @type {const} */ (['EdDSA', 'ES256']);

/**
 * @typedef {import('./registry.js').KeysByIssuer} KeysByIssuer
 * @typedef {{ ok: true, issuer: string, kid: string, subject: string, expires: number }} Vouched
 * @typedef {{ ok: false, code: string, message: string }} Failed
 */

/**
 * Checks one token: its size and form, its algorithm, its signature by the issuer's key chosen
 * by `kid`, then `iss`, `sub`, `aud`, its lifetime, and that `at` lies in `[iat - 5 min, exp]`.
 * @param {object} options
 * @param {unknown} options.token  the compact JWT, as received
 * @param {KeysByIssuer} options.keys  from the registry
 * @param {string[] | undefined} options.issuers  the issuers that may vouch here (the record's
 *   partner and `operator`); undefined: any issuer in the registry
 * @param {string | undefined} options.subject  the subject the token must name; undefined: any
 * @param {string} options.audience  the statements site's origin
 * @param {number} options.at  the instant the token must cover, in milliseconds (the record's `at`)
 * @returns {Promise<Vouched | Failed>}
 */
export async function verifySubjectToken(options) {
	const { token, keys, issuers, subject, audience, at } = options;
	const fail = (/** @type {string} */ check, /** @type {string} */ message) =>
		/** @type {Failed} */ ({ ok: false, code: `subject-token/${check}`, message });
	if (typeof token !== 'string') {
		return fail('malformed', 'The subject token is not text; expected a compact JWT.');
	}
	const bytes = Buffer.byteLength(token, 'utf8');
	if (bytes > MAX_TOKEN_BYTES) {
		return fail(
			'too-large',
			`The subject token is ${bytes} bytes; at most ${MAX_TOKEN_BYTES} are accepted. Keep to the claims iss, sub, aud, iat and exp.`
		);
	}
	let header;
	let claims;
	try {
		header = decodeProtectedHeader(token);
		claims = decodeJwt(token);
	} catch (error) {
		return fail(
			'malformed',
			`The subject token is not a JWT in compact form (header.payload.signature, base64url): ${/** @type {Error} */ (error).message}.`
		);
	}
	const alg = header.alg;
	if (!TOKEN_ALGORITHMS.includes(/** @type {any} */ (alg))) {
		return fail(
			'algorithm',
			`The subject token is signed with "${String(alg)}"; only EdDSA (Ed25519) and ES256 are accepted.`
		);
	}
	const issuer = claims.iss;
	if (typeof issuer !== 'string' || !issuer) {
		return fail(
			'issuer',
			'The subject token has no "iss": it must name the partner id (or operator).'
		);
	}
	if (issuers ? !issuers.includes(issuer) : !keys.has(issuer)) {
		return fail(
			'issuer',
			issuers
				? `The subject token was issued by "${issuer}", but only ${issuers.map((i) => `"${i}"`).join(' or ')} may vouch for this record's subject.`
				: `The subject token was issued by "${issuer}", which is neither a partner in the registry nor the operator.`
		);
	}
	const kid = header.kid;
	const key = typeof kid === 'string' ? keys.get(issuer)?.get(kid) : undefined;
	if (!key) {
		const known = [...(keys.get(issuer)?.keys() ?? [])];
		return fail(
			'unknown-key',
			`${typeof kid === 'string' ? `The subject token's key "${kid}"` : 'The subject token names no key ("kid" in its header), so it'} is not among ${issuer}'s keys in the partner registry (${known.length ? known.join(', ') : 'none listed'}). Register the public key in partners.yaml (or site.yaml for the operator) and rebuild the site.`
		);
	}
	if (key.alg !== alg) {
		return fail(
			'algorithm',
			`The subject token is signed ${alg}, but key "${key.kid}" of ${issuer} is an ${key.alg} key.`
		);
	}
	/** @type {Record<string, unknown>} */
	let verified;
	try {
		const { payload } = await compactVerify(token, key.key, { algorithms: [key.alg] });
		verified = JSON.parse(new TextDecoder().decode(payload));
	} catch (error) {
		return fail(
			'signature',
			`The subject token's signature does not verify with key "${key.kid}" of ${issuer} (${/** @type {Error} */ (error).message}).`
		);
	}
	if (typeof verified.sub !== 'string' || (subject !== undefined && verified.sub !== subject)) {
		return fail(
			'subject',
			typeof verified.sub === 'string'
				? `The subject token vouches for "${verified.sub}", not for "${subject}".`
				: 'The subject token names no subject ("sub").'
		);
	}
	const aud = verified.aud;
	if (!(aud === audience || (Array.isArray(aud) && aud.includes(audience)))) {
		return fail(
			'audience',
			`The subject token's audience is ${JSON.stringify(aud) ?? 'missing'}; it must be the statements site's origin, "${audience}".`
		);
	}
	const { iat, exp, nbf } = verified;
	if (typeof iat !== 'number' || typeof exp !== 'number' || !isFinite(iat) || !isFinite(exp)) {
		return fail('lifetime', 'The subject token needs "iat" and "exp", in seconds since 1970.');
	}
	if (exp <= iat || exp - iat > MAX_TOKEN_LIFETIME) {
		return fail(
			'lifetime',
			`The subject token is valid for ${exp - iat} seconds (exp - iat); it must expire after iat and within ${MAX_TOKEN_LIFETIME} (24 hours).`
		);
	}
	const when = new Date(at).toISOString();
	if (at > exp * 1000) {
		return fail(
			'expired',
			`The subject token expired at ${isoSeconds(exp)}, before ${when}. The partner's backend must issue a fresh one.`
		);
	}
	const from = Math.max(iat, typeof nbf === 'number' && isFinite(nbf) ? nbf : -Infinity);
	if (at < (from - CLOCK_SKEW) * 1000) {
		return fail(
			'too-early',
			`The subject token was issued at ${isoSeconds(from)}, more than ${CLOCK_SKEW / 60} minutes after ${when}.`
		);
	}
	return { ok: true, issuer, kid: key.kid, subject: verified.sub, expires: exp };
}

/** @param {number} seconds */
const isoSeconds = (seconds) => {
	const date = new Date(seconds * 1000);
	return isNaN(date.getTime()) ? String(seconds) : date.toISOString();
};
