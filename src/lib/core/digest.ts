import { canonicalJson } from './jcs';
import { AssentError } from './errors';
import type { UnsignedRecord } from './record';

/**
 * The lowercase hex SHA-256 of `text`'s UTF-8 bytes, computed with WebCrypto so the same code
 * runs in browsers and Node 20. Throws `AssentError` `record/no-crypto` where WebCrypto is
 * missing: browsers hide `crypto.subtle` outside secure contexts (https or localhost).
 */
export async function sha256Hex(text: string): Promise<string> {
	const subtle = globalThis.crypto?.subtle;
	if (!subtle) {
		throw new AssentError(
			'record/no-crypto',
			'WebCrypto (crypto.subtle) is not available here. Serve the page over https (or from localhost): browsers only offer it in secure contexts.'
		);
	}
	const bytes = new TextEncoder().encode(text);
	const hash = new Uint8Array(await subtle.digest('SHA-256', bytes));
	let hex = '';
	for (const byte of hash) hex += byte.toString(16).padStart(2, '0');
	return hex;
}

/**
 * A record's digest: `sha256:` + the hex SHA-256 of the canonical JSON (RFC 8785) of the
 * record without its `digest` field. A `digest` already on `record` is ignored, so the same call
 * computes a new record's digest and checks a stored one.
 */
export async function recordDigest(record: UnsignedRecord): Promise<string> {
	const unsigned: Record<string, unknown> = { ...record };
	delete unsigned.digest;
	return `sha256:${await sha256Hex(canonicalJson(unsigned))}`;
}
