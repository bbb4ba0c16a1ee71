/**
 * An evidence bundle, `assent.evidence/1` (SPEC section 9): a subject's records exactly as
 * received with their receipts, the statement versions they name (metadata, hash, sanitized
 * HTML), the receiver's public key and the steps to verify them, in one file.
 */
import { signDocument } from '../receipts.js';

export const EVIDENCE_FORMAT = 'assent.evidence/1';

/** The `schema` of a bundle's manifest: the receiver's signed list of the records it holds. */
export const MANIFEST_SCHEMA = 'assent.manifest/1';

/** How to check the bundle, for whoever receives it (the steps of `src/lib/core/evidence.ts`). */
export const VERIFY_STEPS = [
	'Open /verify/ on the statements site and drop this file, or run `node scripts/verify.js <file> --site <statements site>` from the Assent source: both do every step below, and nothing is uploaded.',
	'Raw text: parse each records[].raw as JSON (refusing duplicate keys); it must equal records[].record.',
	'Digest: remove `digest` from the record, write the rest as RFC 8785 (JCS) canonical JSON, and take its SHA-256 in lowercase hex; `sha256:` and those digits must equal `digest`.',
	'Chain: records made in one browser have seq 1, 2, 3… and each `prev` is the digest of the record before (null for seq 1). Records from several browsers form several chains; a chain whose first records the backend never received cannot be checked before its first record.',
	'Key: the RFC 7638 thumbprint of key.jwk (SHA-256 over {"crv","kty","x"} in that order, base64url) must equal key.kid.',
	'Receipt: each receipt must name the record (id and digest) and carry kid = key.kid; its signature (Ed25519, base64url) must verify over the JCS of the receipt without `signature`. A receipt with "subject": "unverified" marks a record accepted without a subject token.',
	'Manifest: manifest.kid must equal key.kid and manifest.signature (Ed25519, base64url) must verify over the JCS of the manifest without `signature`; manifest.subject must be the bundle’s subject, and manifest.records (each [id, digest], count of them) must name exactly the bundle’s records, none missing, none added. A bundle without a manifest (made by an older receiver) cannot show that none of the subject’s records was left out.',
	'Statement: the record’s statement.hash must be the hash the statements site publishes for that id, version and locale in /statements/index.json, and the bundled statement version must carry the same hash. The hash is of the markdown source; the bundled HTML is what the reader was shown.'
];

/**
 * The bundle of one subject (`src/lib/core/evidence.ts` types it, `static/schemas/evidence.json`
 * is its schema): every record held for the subject in the order received, each statement
 * version they name as the site publishes it, and the receipt key.
 * @param {{
 *   database: import('../types.js').Database,
 *   statements: import('../statements.js').PublishedStatements,
 *   subject: string,
 *   publicKey: import('../types.js').PublicKeyDocument,
 *   signingKey: import('../types.js').SigningKey,
 *   now: Date,
 *   site?: string,
 *   receiver?: string
 * }} options  `site`: the statements site's origin, when known; `receiver`: the records URL;
 *   `signingKey`: the receipt key, which signs the bundle's manifest
 */
export async function evidenceBundle(options) {
	const { database, statements, subject } = options;
	const { rows } = await database.query(
		`select raw, received_at, statement_id, statement_version, statement_locale,
			json_strip_nulls(json_build_object(
				'schema', receipt->'schema', 'alg', receipt->'alg', 'kid', receipt->'kid',
				'id', receipt->'id', 'digest', receipt->'digest', 'receivedAt', receipt->'receivedAt',
				'subject', receipt->'subject', 'signature', receipt->'signature'
			))::text as receipt
		from assent_records where subject = $1 order by received_at, id`,
		[subject]
	);
	/** @type {Map<string, { id: string, version: string, locale: string }>} */
	const named = new Map();
	for (const row of rows) {
		const s = {
			id: String(row.statement_id),
			version: String(row.statement_version),
			locale: String(row.statement_locale)
		};
		named.set(JSON.stringify(s), s);
	}
	// Each version document as the site publishes it: a verifier compares its hash and shows its HTML.
	const documents = await Promise.all([...named.values()].map((s) => statements.document(s)));
	const { alg, kid, jwk, pem } = options.publicKey;
	const generatedAt = options.now.toISOString();
	const records = rows.map((row) => {
		const raw = String(row.raw);
		const receipt = JSON.parse(String(row.receipt));
		return { raw, record: JSON.parse(raw), receivedAt: receipt.receivedAt, receipt };
	});
	// The receiver's word, under its receipt key, that these are all the subject's records it
	// holds: a record taken out of the file (or slipped in) no longer matches the signed list.
	const manifest = signDocument({
		key: options.signingKey,
		fields: {
			schema: MANIFEST_SCHEMA,
			alg: 'Ed25519',
			kid: options.signingKey.kid,
			subject,
			generatedAt,
			count: records.length,
			records: records.map((r) => [String(r.receipt.id), String(r.receipt.digest)])
		}
	});
	return {
		format: EVIDENCE_FORMAT,
		subject,
		generatedAt,
		...(options.receiver ? { receiver: options.receiver } : {}),
		...(options.site ? { site: options.site } : {}),
		key: { alg, kid, jwk, pem },
		records,
		manifest,
		statements: documents,
		verify: VERIFY_STEPS
	};
}
