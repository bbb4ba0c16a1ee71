#!/usr/bin/env node
/**
 * Subject tokens for partners' (and the operator's) backends (SPEC section 8): mint a token
 * for the signed-in customer, and make a key pair to register. As a program:
 *
 *   node receiver/mint.js keygen --kid shop-2026-11 [--alg EdDSA|ES256] --out shop.private.jwk.json
 *   node receiver/mint.js --key shop.private.jwk.json --partner shop --subject customer-123 \
 *     --audience https://statements.example.com [--ttl 3600]
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { MAX_TOKEN_LIFETIME } from './tokens.js';

/** @typedef {import('node:crypto').JsonWebKey & { kid?: string }} Jwk */

const ALGORITHMS = /** @type {const} */ ({ 'OKP/Ed25519': 'EdDSA', 'EC/P-256': 'ES256' });

/**
 * Signs a subject token: `iss` the partner id (or `operator`), `sub` the subject, `aud` the
 * statements site's origin, `iat` now and `exp` `ttl` seconds later.
 * @param {object} options
 * @param {Jwk | string} options.key  the private JWK (with its `kid`), or the path of its file
 * @param {string} options.partner  the partner id, or `operator`
 * @param {string} options.subject  the customer's id, as the widget's `subject` attribute names it
 * @param {string} options.audience  the statements site's origin (a URL is cut to its origin)
 * @param {number} [options.ttl]  seconds the token vouches for, at most 86400 (default 3600)
 * @param {Date} [options.now]  the time it is issued (default: now)
 * @returns {Promise<string>}  the compact JWT, for the widget's `subject-token` attribute
 */
export async function mintSubjectToken(options) {
	const jwk = /** @type {Jwk} */ (
		typeof options.key === 'string' ? JSON.parse(readFileSync(options.key, 'utf8')) : options.key
	);
	const alg = ALGORITHMS[/** @type {keyof typeof ALGORITHMS} */ (`${jwk?.kty}/${jwk?.crv}`)];
	if (!alg || typeof jwk.d !== 'string') {
		throw new Error(
			'The key must be a private JWK for Ed25519 (kty OKP) or P-256 (kty EC), with "d": make one with `node receiver/mint.js keygen`.'
		);
	}
	if (typeof jwk.kid !== 'string' || !jwk.kid) {
		throw new Error(
			'The key has no "kid": add the kid its public half is registered under in partners.yaml.'
		);
	}
	for (const name of /** @type {const} */ (['partner', 'subject'])) {
		if (typeof options[name] !== 'string' || !/\S/.test(options[name])) {
			throw new Error(`mintSubjectToken needs "${name}" as text.`);
		}
	}
	if (!URL.canParse(options.audience)) {
		throw new Error(
			`The audience must be the statements site's origin, e.g. https://statements.example.com; got "${options.audience}".`
		);
	}
	const ttl = options.ttl ?? 3600;
	if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_LIFETIME) {
		throw new Error(
			`ttl must be a whole number of seconds from 1 to ${MAX_TOKEN_LIFETIME} (24 hours); got ${ttl}.`
		);
	}
	const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
	return new SignJWT({})
		.setProtectedHeader({ alg, kid: jwk.kid, typ: 'JWT' })
		.setIssuer(options.partner)
		.setSubject(options.subject)
		.setAudience(new URL(options.audience).origin)
		.setIssuedAt(iat)
		.setExpirationTime(iat + ttl)
		.sign(createPrivateKey({ key: jwk, format: 'jwk' }));
}

/**
 * A new key pair for subject tokens: the private JWK stays with the backend that mints tokens;
 * the public one goes into `keys` of the partner in partners.yaml (or `operator.keys` in
 * site.yaml).
 * @param {{ kid: string, alg?: 'EdDSA' | 'ES256' }} options
 * @returns {{ privateJwk: Jwk, publicJwk: Jwk }}
 */
export function generateSubjectKey(options) {
	const alg = options.alg ?? 'EdDSA';
	if (alg !== 'EdDSA' && alg !== 'ES256') {
		throw new Error(`alg must be EdDSA (Ed25519) or ES256 (P-256); got "${alg}".`);
	}
	if (typeof options.kid !== 'string' || !/^\S+$/.test(options.kid)) {
		throw new Error('Give the key an id (kid) without spaces, e.g. shop-2026-11.');
	}
	const { privateKey, publicKey } =
		alg === 'EdDSA'
			? generateKeyPairSync('ed25519')
			: generateKeyPairSync('ec', { namedCurve: 'P-256' });
	const extra = { kid: options.kid, alg, use: 'sig' };
	return {
		privateJwk: { ...privateKey.export({ format: 'jwk' }), ...extra },
		publicJwk: { ...publicKey.export({ format: 'jwk' }), ...extra }
	};
}

/** @param {string[]} args */
async function main(args) {
	const { values, positionals } = parseArgs({
		args,
		allowPositionals: true,
		options: {
			key: { type: 'string' },
			partner: { type: 'string' },
			subject: { type: 'string' },
			audience: { type: 'string' },
			ttl: { type: 'string' },
			kid: { type: 'string' },
			alg: { type: 'string' },
			out: { type: 'string' }
		}
	});
	if (positionals[0] === 'keygen') {
		if (!values.out) throw new Error('keygen needs --out <file> for the private key.');
		const { privateJwk, publicJwk } = generateSubjectKey({
			kid: values.kid ?? '',
			alg: /** @type {'EdDSA' | 'ES256'} */ (values.alg ?? 'EdDSA')
		});
		writeFileSync(values.out, `${JSON.stringify(privateJwk, null, '\t')}\n`, {
			mode: 0o600,
			flag: 'wx'
		});
		const { kid, kty, crv, x, y } = publicJwk;
		console.error(
			`Wrote the private key to ${values.out}: keep it on the backend that mints tokens. Add the public key to the partner's keys in partners.yaml:`
		);
		console.log(
			[`keys:`, `  - kid: "${kid}"`, `    kty: ${kty}`, `    crv: ${crv}`, `    x: "${x}"`]
				.concat(y ? [`    y: "${y}"`] : [])
				.join('\n')
		);
		return;
	}
	if (!values.key || !values.partner || !values.subject || !values.audience) {
		throw new Error(
			'Usage: node receiver/mint.js --key <private.jwk.json> --partner <id> --subject <subject> --audience <statements site origin> [--ttl <seconds>]\n       node receiver/mint.js keygen --kid <kid> [--alg EdDSA|ES256] --out <private.jwk.json>'
		);
	}
	const token = await mintSubjectToken({
		key: values.key,
		partner: values.partner,
		subject: values.subject,
		audience: values.audience,
		...(values.ttl !== undefined ? { ttl: Number(values.ttl) } : {})
	});
	console.log(token);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	main(process.argv.slice(2)).catch((/** @type {Error} */ error) => {
		console.error(`mint: ${error.message}`);
		process.exit(1);
	});
}
