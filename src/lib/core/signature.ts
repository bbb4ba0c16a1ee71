/**
 * Ed25519 receipts (SPEC section 6), checked with WebCrypto so the same code runs in browsers and
 * Node 20: the records page, `/verify/` and `scripts/verify.js` share it.
 */
import { canonicalJson } from './jcs';

/** An Ed25519 public key as a JWK; other members (kid, alg, use) may be present and are ignored. */
export interface Ed25519Jwk {
	kty?: string;
	crv?: string;
	x?: string;
}

/** Bytes of base64url text, padded or not. Throws on characters outside the alphabet. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
	if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new Error('not base64url text');
	const base64 = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
	const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
	const bytes = new Uint8Array(new ArrayBuffer(binary.length));
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

function toBase64Url(bytes: Uint8Array): string {
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function subtleCrypto(): SubtleCrypto {
	const subtle = globalThis.crypto?.subtle;
	if (!subtle) {
		throw new Error(
			'WebCrypto (crypto.subtle) is not available here; browsers offer it on https or localhost only'
		);
	}
	return subtle;
}

/**
 * The RFC 7638 thumbprint of an Ed25519 JWK: base64url SHA-256 of `{"crv","kty","x"}` with the
 * members in that order and no white space, which is exactly their canonical JSON.
 */
export async function jwkThumbprint(jwk: Ed25519Jwk): Promise<string> {
	const text = canonicalJson({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
	const hash = await subtleCrypto().digest('SHA-256', new TextEncoder().encode(text));
	return toBase64Url(new Uint8Array(hash));
}

/**
 * Whether `receipt.signature` is an Ed25519 signature by `jwk` over the canonical JSON of the
 * receipt without `signature`. Checks the signature only: whether the receipt names the record in
 * hand is the caller's question. Throws when the key cannot be used here (no WebCrypto, no Ed25519,
 * a malformed key).
 */
export async function verifyReceiptSignature(options: {
	receipt: Record<string, unknown>;
	jwk: Ed25519Jwk;
	/** @default globalThis.crypto.subtle */
	subtle?: SubtleCrypto;
}): Promise<boolean> {
	const { signature, ...fields } = options.receipt;
	if (typeof signature !== 'string') return false;
	let bytes: Uint8Array<ArrayBuffer>;
	try {
		bytes = fromBase64Url(signature);
	} catch {
		return false;
	}
	const subtle = options.subtle ?? subtleCrypto();
	const key = await subtle.importKey(
		'jwk',
		{ kty: 'OKP', crv: 'Ed25519', x: options.jwk.x },
		{ name: 'Ed25519' },
		false,
		['verify']
	);
	return subtle.verify(
		{ name: 'Ed25519' },
		key,
		bytes,
		new TextEncoder().encode(canonicalJson(fields))
	);
}
