/** The receiver's signing key: Ed25519, from a PEM file, made on first start when absent. */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * @typedef {object} SigningKey
 * @property {import('node:crypto').KeyObject} privateKey
 * @property {import('node:crypto').KeyObject} publicKey
 * @property {string} kid  a stable id: the first 16 hex digits of the public key's SHA-256
 */

/**
 * Reads an Ed25519 private key (PKCS#8 PEM) from `path`, creating one there when the file is
 * missing, or makes a throwaway key when `path` is absent.
 * @param {{ path?: string }} options
 * @returns {{ key: SigningKey, created: boolean }}
 */
export function loadSigningKey(options) {
	let created = false;
	let privateKey;
	if (options.path && existsSync(options.path)) {
		privateKey = createPrivateKey(readFileSync(options.path));
		if (privateKey.asymmetricKeyType !== 'ed25519') {
			throw new Error(
				`${options.path} holds a ${privateKey.asymmetricKeyType} key; the receiver signs receipts with Ed25519. Make one with: openssl genpkey -algorithm ed25519 -out ${options.path}`
			);
		}
	} else {
		privateKey = generateKeyPairSync('ed25519').privateKey;
		created = true;
		if (options.path) {
			mkdirSync(dirname(options.path), { recursive: true });
			writeFileSync(options.path, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
				mode: 0o600
			});
		}
	}
	const publicKey = createPublicKey(privateKey);
	const kid = createHash('sha256')
		.update(publicKey.export({ type: 'spki', format: 'der' }))
		.digest('hex')
		.slice(0, 16);
	return { key: { privateKey, publicKey, kid }, created };
}
