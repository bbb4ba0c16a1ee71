/**
 * Receipts: the receiver's signed word that it holds a record. A receipt names the record (id and
 * digest, which covers every field of the record) and the time it arrived, and carries an Ed25519
 * signature over the RFC 8785 canonical JSON of the receipt without its `signature` field: the
 * same rule the record's own digest follows.
 */
import {
	KeyObject,
	createHash,
	createPrivateKey,
	createPublicKey,
	generateKeyPairSync,
	sign,
	verify
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import canonicalize from 'canonicalize';

/** The `schema` of every receipt this receiver signs. A new shape gets a new number. */
export const RECEIPT_SCHEMA = 'assent.receipt/1';

/**
 * @typedef {import('./types.js').Receipt} Receipt
 * @typedef {import('./types.js').SigningKey} SigningKey
 */

/**
 * The signing key: read from a PKCS#8 PEM file, or made and written there (mode 0600) when the
 * file does not exist yet, so the key outlives restarts and old receipts stay verifiable.
 * @param {{ key?: string | KeyObject | SigningKey }} options  `key`: a PEM file path, an Ed25519
 *   private key, or a key this function returned before; without it, a new key held in memory
 *   only (its receipts cannot be verified once the process ends)
 * @returns {SigningKey}
 */
export function loadSigningKey(options) {
	const given = options.key;
	if (given !== undefined && typeof given !== 'string' && !(given instanceof KeyObject)) {
		return loadSigningKey({ key: given.privateKey });
	}
	const source = given;
	let privateKey;
	let created = false;
	if (source instanceof KeyObject) {
		privateKey = source;
	} else if (source !== undefined && existsSync(source)) {
		try {
			privateKey = createPrivateKey(readFileSync(source));
		} catch (error) {
			throw new Error(
				`The receiver's signing key ${source} is not a PEM private key (${/** @type {Error} */ (error).message}). Point ASSENT_RECEIVER_KEY at an Ed25519 key (openssl genpkey -algorithm ed25519 -out key.pem), or remove the file to have one made.`,
				{ cause: error }
			);
		}
	} else {
		privateKey = generateKeyPairSync('ed25519').privateKey;
		created = true;
		if (source !== undefined) {
			mkdirSync(dirname(source), { recursive: true });
			// wx: two receivers starting at once must not overwrite each other's new key.
			writeFileSync(source, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
				mode: 0o600,
				flag: 'wx'
			});
		}
	}
	if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
		throw new Error(
			`The receiver's signing key${typeof source === 'string' ? ` ${source}` : ''} is ${privateKey.type === 'private' ? `a ${privateKey.asymmetricKeyType} key` : 'not a private key'}; receipts are signed with Ed25519 (openssl genpkey -algorithm ed25519 -out key.pem).`
		);
	}
	const publicKey = createPublicKey(privateKey);
	return {
		privateKey,
		publicKey,
		kid: thumbprint(publicKey),
		path: typeof source === 'string' ? source : undefined,
		created
	};
}

/**
 * The RFC 7638 thumbprint of an Ed25519 public key: anyone holding the JWK computes the same id.
 * @param {import('node:crypto').KeyObject} publicKey
 */
export function thumbprint(publicKey) {
	const { crv, kty, x } = publicKey.export({ format: 'jwk' });
	return createHash('sha256').update(JSON.stringify({ crv, kty, x })).digest('base64url');
}

/**
 * The public half, in the forms a backend needs to check receipts: a JWK (with `kid`) and PEM.
 * @param {{ key: SigningKey }} options
 * @returns {import('./types.js').PublicKeyDocument}
 */
export function publicKeyDocument(options) {
	const { key } = options;
	return {
		alg: /** @type {const} */ ('Ed25519'),
		kid: key.kid,
		jwk: { ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: 'EdDSA', use: 'sig' },
		pem: /** @type {string} */ (key.publicKey.export({ type: 'spki', format: 'pem' }))
	};
}

/**
 * Signs a receipt for one stored record. `subject: 'unverified'` says, under the signature, that
 * no subject token vouched for the record's subject (SPEC section 8); a verified record's
 * receipt has no `subject` member. `relayed: true` says the sender did not build the record and
 * could not vouch for it (a widget frame sending what the partner page stored for it).
 * @param {{ key: SigningKey, id: string, digest: string, receivedAt: string, subject?: 'unverified', relayed?: true }} options
 * @returns {Receipt}
 */
export function signReceipt(options) {
	return signDocument({ key: options.key, fields: receiptFields(options) });
}

/**
 * The fields of a receipt, in the order they are sent, without the signature (`signReceipt`).
 * @param {{ key: { kid: string }, id: string, digest: string, receivedAt: string, subject?: 'unverified', relayed?: true }} options
 * @returns {Omit<Receipt, 'signature'>}
 */
export function receiptFields(options) {
	return {
		schema: RECEIPT_SCHEMA,
		alg: 'Ed25519',
		kid: options.key.kid,
		id: options.id,
		digest: options.digest,
		receivedAt: options.receivedAt,
		...(options.subject ? { subject: options.subject } : {}),
		...(options.relayed ? { relayed: true } : {})
	};
}

/**
 * Signs a document the way receipts are signed: Ed25519 over the RFC 8785 canonical JSON of
 * `fields`, added as `signature` (base64url without padding). Evidence manifests use it too, so
 * one verifier (`verifyReceipt` here, `verifyReceiptSignature` in the site's core) checks both.
 * @template {Record<string, unknown>} T
 * @param {{ key: SigningKey, fields: T }} options
 * @returns {T & { signature: string }}
 */
export function signDocument(options) {
	return { ...options.fields, signature: documentSignature(options) };
}

/**
 * The `signature` of `signDocument`: Ed25519 over the RFC 8785 canonical JSON of `fields`,
 * base64url without padding.
 * @param {{ key: { privateKey: import('node:crypto').KeyObject }, fields: Record<string, unknown> }} options
 */
export function documentSignature(options) {
	const text = canonicalize(options.fields);
	if (text === undefined) throw new Error('A signed document must be JSON data.');
	return sign(null, Buffer.from(text), options.key.privateKey).toString('base64url');
}

/**
 * Whether `receipt` was signed by `publicKey` (a KeyObject, a PEM text or a JWK). Checks the
 * signature only; comparing `id` and `digest` with the record in hand is the caller's job.
 * @param {{ receipt: unknown, publicKey: import('node:crypto').KeyObject | string | import('node:crypto').JsonWebKey }} options
 * @returns {boolean}
 */
export function verifyReceipt(options) {
	const receipt = /** @type {Record<string, unknown>} */ (options.receipt);
	if (typeof receipt !== 'object' || receipt === null) return false;
	const { signature, ...fields } = receipt;
	if (typeof signature !== 'string' || fields.alg !== 'Ed25519') return false;
	const given = options.publicKey;
	const key =
		given instanceof KeyObject
			? given
			: typeof given === 'string'
				? createPublicKey(given)
				: createPublicKey({ key: given, format: 'jwk' });
	const text = canonicalize(fields);
	if (text === undefined) return false;
	return verify(null, Buffer.from(text), key, Buffer.from(signature, 'base64url'));
}
