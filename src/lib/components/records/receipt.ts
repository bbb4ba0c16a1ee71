/**
 * Checks a backend's receipt for a record (SPEC section 6): that it names the record (id and
 * digest) and that its Ed25519 signature verifies against the key the backend publishes at
 * `<sync-url>/key`. A receipt that cannot be checked says why, rather than passing for verified.
 */
import { verifyReceiptSignature } from '../../core/signature';
import type { AcceptanceRecord } from '../../core/record';
import type { OutboxEntry } from '../../store/db';

export type ReceiptCheck =
	/** The signature verifies against the backend's key, and the receipt names this record. */
	| { state: 'verified'; kid: string; keyUrl: string }
	/** The receipt is not the backend's word for this record. */
	| {
			state: 'invalid';
			reason: 'record' | 'key' | 'signature' | 'malformed';
			keyUrl?: string;
			/** For `key`: the key that signed, and the one the backend publishes. */
			kids?: { signed: string; published: string };
			detail: string;
	  }
	/** Nothing could be said either way; `detail` says why. */
	| {
			state: 'not-checked';
			reason: 'no-receipt' | 'no-target' | 'adapter' | 'key-unavailable' | 'unsupported';
			keyUrl?: string;
			/** What went wrong underneath (a network error, an HTTP status). */
			error?: string;
			detail: string;
	  };

interface Receipt {
	schema?: unknown;
	alg?: unknown;
	kid?: unknown;
	id?: unknown;
	digest?: unknown;
	receivedAt?: unknown;
	signature?: unknown;
}

/** Where the backend that holds the record publishes its key, when that is known. */
export function receiptKeyUrl(entry: OutboxEntry | undefined): string | undefined {
	const target = entry?.target;
	if (!target || !/^https?:\/\//i.test(target)) return undefined;
	return `${target.replace(/\/+$/, '')}/key`;
}

export async function checkReceipt(options: {
	record: AcceptanceRecord;
	entry: OutboxEntry | undefined;
	/** @default globalThis.fetch */
	fetch?: typeof fetch;
	/** @default globalThis.crypto.subtle */
	subtle?: SubtleCrypto;
}): Promise<ReceiptCheck> {
	const { record, entry } = options;
	const receipt = entry?.receipt as Receipt | undefined;
	if (typeof receipt !== 'object' || receipt === null) {
		return {
			state: 'not-checked',
			reason: 'no-receipt',
			detail: 'the backend sent no signed receipt for this record.'
		};
	}
	const { signature, ...fields } = receipt;
	if (
		fields.schema !== 'assent.receipt/1' ||
		fields.alg !== 'Ed25519' ||
		typeof signature !== 'string'
	) {
		return {
			state: 'invalid',
			reason: 'malformed',
			detail: 'it is not an assent.receipt/1 receipt signed with Ed25519.'
		};
	}
	if (fields.id !== record.id || fields.digest !== record.digest) {
		return {
			state: 'invalid',
			reason: 'record',
			detail: `it names ${fields.id === record.id ? `the digest ${String(fields.digest)}` : `record ${String(fields.id)}`}, not this record.`
		};
	}
	const keyUrl = receiptKeyUrl(entry);
	if (!keyUrl) {
		return entry?.target === 'adapter'
			? {
					state: 'not-checked',
					reason: 'adapter',
					detail:
						'the record went to the partner page’s own code, whose key this page does not know.'
				}
			: {
					state: 'not-checked',
					reason: 'no-target',
					detail:
						'this browser did not note which backend received the record, so its key is unknown.'
				};
	}
	const fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
	let jwk: JsonWebKey & { kid?: string };
	let kid: string | undefined;
	try {
		const response = await fetcher(keyUrl, { credentials: 'omit', cache: 'no-store' });
		if (!response.ok) throw new Error(`it answered HTTP ${response.status}`);
		const document = (await response.json()) as {
			kid?: string;
			jwk?: JsonWebKey & { kid?: string };
		};
		if (!document.jwk || typeof document.jwk.x !== 'string') {
			throw new Error('its answer holds no Ed25519 public key (jwk)');
		}
		jwk = document.jwk;
		kid = document.kid ?? document.jwk.kid;
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		return {
			state: 'not-checked',
			reason: 'key-unavailable',
			keyUrl,
			error: reason,
			detail: `the backend’s key could not be fetched from ${keyUrl} (${reason}).`
		};
	}
	if (typeof fields.kid === 'string' && kid && fields.kid !== kid) {
		return {
			state: 'invalid',
			reason: 'key',
			keyUrl,
			kids: { signed: fields.kid, published: kid },
			detail: `it was signed with key ${fields.kid}, but the backend publishes key ${kid}.`
		};
	}
	const subtle = options.subtle ?? globalThis.crypto?.subtle;
	let verified: boolean;
	try {
		if (!subtle) throw new Error('WebCrypto is not available');
		verified = await verifyReceiptSignature({
			receipt: receipt as Record<string, unknown>,
			jwk,
			subtle
		});
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		return {
			state: 'not-checked',
			reason: 'unsupported',
			keyUrl,
			error: reason,
			detail: `this browser cannot verify Ed25519 signatures (${reason}).`
		};
	}
	if (!verified) {
		return {
			state: 'invalid',
			reason: 'signature',
			keyUrl,
			detail: `its signature does not verify against the key at ${keyUrl}.`
		};
	}
	return { state: 'verified', kid: kid ?? String(fields.kid ?? ''), keyUrl };
}
