/**
 * The evidence bundle, `assent.evidence/1` (SPEC section 9): everything a third party needs to
 * check one subject's records without trusting the backend that hands them over. The backend's
 * `GET <base>/subjects/<subject>/evidence` writes it; `/verify/` and `scripts/verify.js` read it.
 * JSON Schema: `static/schemas/evidence.json` (served at `/schemas/evidence.json`).
 */
import type { AcceptanceRecord } from './record';

/** The `format` of every evidence bundle. A new shape gets a new number. */
export const EVIDENCE_FORMAT = 'assent.evidence/1';

/** A backend's signed receipt for one record (SPEC section 6). */
export interface Receipt {
	schema: 'assent.receipt/1';
	alg: 'Ed25519';
	/** The RFC 7638 thumbprint of the signing key: the bundle's `key.kid`. */
	kid: string;
	/** The record's id. */
	id: string;
	/** The record's digest. */
	digest: string;
	/** When the backend stored the record (ISO 8601, UTC). */
	receivedAt: string;
	/** `unverified` when no subject token vouched for the record's subject (SPEC section 8). */
	subject?: 'unverified';
	/**
	 * `true` when the widget frame that sent the record did not build it and could not vouch for
	 * it: the partner page stored it (SPEC section 5, storage refused to the frame).
	 */
	relayed?: true;
	/** Ed25519, base64url without padding, over the JCS of the receipt without `signature`. */
	signature: string;
}

/** One record as the backend received it. */
export interface EvidenceRecord {
	/**
	 * The record's JSON text exactly as it arrived in the `POST` body, byte for byte (not as the
	 * backend would write it again). It is what the backend holds; `record` is a convenience copy.
	 */
	raw: string;
	/** `raw`, parsed. A verifier checks the two are the same data. */
	record: AcceptanceRecord;
	/** When the backend stored it (ISO 8601, UTC), as in the receipt. */
	receivedAt: string;
	/** The backend's signed receipt for it. */
	receipt: Receipt;
}

/**
 * One statement version a record names, as the statements site publishes it at
 * `/statements/<id>/<version>/<locale>.json` (`assent.statement-version/1`). Members beyond the
 * ones listed here (status, url, locales…) may be present and are kept as published.
 */
export interface EvidenceStatement {
	id: string;
	version: string;
	locale: string;
	title: string;
	/** `YYYY-MM-DD` */
	issued?: string;
	/** `YYYY-MM-DD` */
	effective?: string;
	change?: 'initial' | 'minor' | 'material';
	summary?: string | null;
	/** The published hash: `sha256:` of the markdown source (SPEC section 2). */
	hash: string;
	/** The sanitized HTML of the version, as published: what the reader was shown. */
	html: string;
	[member: string]: unknown;
}

/** The backend's public key, as it publishes it at `<base>/key`. */
export interface EvidenceKey {
	alg: 'Ed25519';
	/** The RFC 7638 thumbprint of `jwk`: every receipt's `kid`. */
	kid: string;
	/** The Ed25519 public key (`kty` `OKP`, `crv` `Ed25519`, `x`); more members may be present. */
	jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; [member: string]: unknown };
	/** The same key as SPKI PEM, for tools that read PEM (optional). */
	pem?: string;
}

/** The `schema` of a bundle's manifest. */
export const MANIFEST_SCHEMA = 'assent.manifest/1';

/**
 * The backend's signed list of the records it put in the bundle: with it, a record taken out of
 * the file (or slipped in) is caught. Signed like a receipt, with the same key.
 */
export interface EvidenceManifest {
	schema: typeof MANIFEST_SCHEMA;
	alg: 'Ed25519';
	/** The RFC 7638 thumbprint of the signing key: the bundle's `key.kid`. */
	kid: string;
	/** The bundle's subject. */
	subject: string;
	/** The bundle's `generatedAt`. */
	generatedAt: string;
	/** How many records the bundle holds: `records.length`. */
	count: number;
	/** Each record's id and digest, in the bundle's order. */
	records: [id: string, digest: string][];
	/** Ed25519, base64url without padding, over the JCS of the manifest without `signature`. */
	signature: string;
}

export interface EvidenceBundle {
	format: typeof EVIDENCE_FORMAT;
	/** The subject whose records these are. */
	subject: string;
	/** When the bundle was made (ISO 8601, UTC). */
	generatedAt: string;
	/** The backend's sync URL (`<base>`), when it knows it. */
	receiver?: string;
	/**
	 * The statements site the records were made on (its origin or base URL), when known: a
	 * verifier checks the statement hashes against its `/statements/index.json`.
	 */
	site?: string;
	key: EvidenceKey;
	/** Every record the backend holds for the subject, in the order it received them. */
	records: EvidenceRecord[];
	/**
	 * The backend's signed list of `records`. Optional: bundles from receivers made before it
	 * lack it, and then whether a record is missing cannot be checked.
	 */
	manifest?: EvidenceManifest;
	/** Each statement version the records name, once. */
	statements: EvidenceStatement[];
	/** How to verify the bundle, step by step, in words for people (English). */
	verify: string[];
}

/** The steps a bundle's `verify` member lists; a backend may copy them as they are. */
export const EVIDENCE_VERIFY_STEPS: readonly string[] = [
	'Open /verify/ on the statements site and drop this file, or run `node scripts/verify.js <file> --site <statements site>` from the Assent source: both do every step below, and nothing is uploaded.',
	'Raw text: parse each records[].raw as JSON (refusing duplicate keys); it must equal records[].record.',
	'Digest: remove `digest` from the record, write the rest as RFC 8785 (JCS) canonical JSON, and take its SHA-256 in lowercase hex; `sha256:` and those digits must equal `digest`.',
	'Chain: records made in one browser have seq 1, 2, 3… and each `prev` is the digest of the record before (null for seq 1). Records from several browsers form several chains; a chain whose first records the backend never received cannot be checked before its first record.',
	'Key: the RFC 7638 thumbprint of key.jwk (SHA-256 over {"crv","kty","x"} in that order, base64url) must equal key.kid.',
	'Receipt: each receipt must name the record (id and digest) and carry kid = key.kid; its signature (Ed25519, base64url) must verify over the JCS of the receipt without `signature`.',
	'Manifest: manifest.kid must equal key.kid and manifest.signature (Ed25519, base64url) must verify over the JCS of the manifest without `signature`; manifest.subject must be the bundle’s subject, and manifest.records (each [id, digest], count of them) must name exactly the bundle’s records, none missing, none added. A bundle without a manifest (made by an older receiver) cannot show that none of the subject’s records was left out.',
	'Statement: the record’s statement.hash must be the hash the statements site publishes for that id, version and locale in /statements/index.json, and the bundled statement version must carry the same hash. The hash is of the markdown source; the bundled HTML is what the reader was shown.'
];

/** Whether `value` looks like an evidence bundle (by its `format`; the rest is checked when verifying). */
export function isEvidenceBundle(value: unknown): value is EvidenceBundle {
	return (
		typeof value === 'object' &&
		value !== null &&
		(value as { format?: unknown }).format === EVIDENCE_FORMAT
	);
}
