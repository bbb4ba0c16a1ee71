import { createPublicKey } from 'node:crypto';

/**
 * A public key that signs subject tokens (SPEC section 8), as partners.yaml and site.yaml list
 * it and /partners.json publishes it: an Ed25519 key for `EdDSA` or a P-256 key for `ES256`.
 */
export interface SubjectKey {
	kty: 'OKP' | 'EC';
	crv: 'Ed25519' | 'P-256';
	x: string;
	/** P-256 keys only. */
	y?: string;
	/** Chosen by the key's owner; a token names its key with the same `kid` in its header. */
	kid: string;
	alg: 'EdDSA' | 'ES256';
	use: 'sig';
}

/** Members only a private or secret key has: such a key must never be published. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

const KINDS = {
	EdDSA: { kty: 'OKP', crv: 'Ed25519' },
	ES256: { kty: 'EC', crv: 'P-256' }
} as const;

/**
 * The public keys listed at `field` (e.g. `partners[0].keys`), checked: public JWKs with a
 * `kid`, for EdDSA (Ed25519) or ES256 (P-256) only. `fail` throws with the file and field.
 */
export function readSubjectKeys(options: {
	value: unknown;
	field: string;
	fail: (field: string, expected: string) => never;
}): SubjectKey[] {
	const { value, field, fail } = options;
	if (!Array.isArray(value)) {
		return fail(
			field,
			'expected a list of public JWKs, each with kid, kty, crv and x (y for P-256), e.g. - { kty: OKP, crv: Ed25519, kid: shop-2026, x: ... }.'
		);
	}
	const keys: SubjectKey[] = [];
	value.forEach((entry: unknown, index) => {
		const at = `${field}[${index}]`;
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
			return fail(at, 'expected a public JWK (kid, kty, crv, x).');
		}
		const jwk = entry as Record<string, unknown>;
		const secret = PRIVATE_MEMBERS.find((member) => jwk[member] !== undefined);
		if (secret) {
			fail(
				`${at}.${secret}`,
				`this is a private or secret key ("${secret}" is set). List only the public key here (remove "${secret}"); the private key stays with whoever signs the tokens.`
			);
		}
		if (typeof jwk.kid !== 'string' || !jwk.kid.trim()) {
			fail(
				`${at}.kid`,
				'expected a key id as text (e.g. shop-2026-11): tokens name their key with it.'
			);
		}
		const kid = String(jwk.kid);
		if (keys.some((key) => key.kid === kid)) fail(`${at}.kid`, `"${kid}" is listed twice.`);
		const alg = (Object.keys(KINDS) as (keyof typeof KINDS)[]).find(
			(name) => KINDS[name].kty === jwk.kty && KINDS[name].crv === jwk.crv
		);
		if (!alg) {
			fail(
				`${at}.kty`,
				`kty ${String(jwk.kty)} with crv ${String(jwk.crv)} is not accepted: subject tokens are signed EdDSA (kty OKP, crv Ed25519) or ES256 (kty EC, crv P-256).`
			);
		}
		const algorithm = alg as keyof typeof KINDS;
		if (jwk.alg !== undefined && jwk.alg !== algorithm) {
			fail(
				`${at}.alg`,
				`"${String(jwk.alg)}" is not accepted for this ${KINDS[algorithm].crv} key: write ${algorithm}, or leave alg out.`
			);
		}
		if (jwk.use !== undefined && jwk.use !== 'sig') {
			fail(`${at}.use`, `expected "sig" (or no use); got "${String(jwk.use)}".`);
		}
		const { kty, crv } = KINDS[algorithm];
		const publicJwk = {
			kty,
			crv,
			x: jwk.x,
			...(kty === 'EC' ? { y: jwk.y } : {})
		} as SubjectKey;
		try {
			createPublicKey({
				key: publicJwk as unknown as import('node:crypto').JsonWebKey,
				format: 'jwk'
			});
		} catch (error) {
			fail(
				`${at}.x`,
				`not a valid ${crv} public key (${(error as Error).message}); copy the public JWK exactly as exported.`
			);
		}
		keys.push({ ...publicJwk, kid, alg: algorithm, use: 'sig' });
	});
	return keys;
}
