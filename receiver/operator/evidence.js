/**
 * An evidence bundle, `assent.evidence/1` (SPEC section 9): a subject's records exactly as
 * received with their receipts, the statement versions they name (metadata, hash, sanitized
 * HTML), the receiver's public key and the steps to verify them, in one file.
 */

export const EVIDENCE_FORMAT = 'assent.evidence/1';

/** How to check the bundle, for whoever receives it (the steps of `src/lib/core/evidence.ts`). */
export const VERIFY_STEPS = [
	'Open /verify/ on the statements site and drop this file, or run `node scripts/verify.js <file> --site <statements site>` from the Assent source: both do every step below, and nothing is uploaded.',
	'Raw text: parse each records[].raw as JSON (refusing duplicate keys); it must equal records[].record.',
	'Digest: remove `digest` from the record, write the rest as RFC 8785 (JCS) canonical JSON, and take its SHA-256 in lowercase hex; `sha256:` and those digits must equal `digest`.',
	'Chain: records made in one browser have seq 1, 2, 3… and each `prev` is the digest of the record before (null for seq 1). Records from several browsers form several chains; a chain whose first records the backend never received cannot be checked before its first record.',
	'Key: the RFC 7638 thumbprint of key.jwk (SHA-256 over {"crv","kty","x"} in that order, base64url) must equal key.kid.',
	'Receipt: each receipt must name the record (id and digest) and carry kid = key.kid; its signature (Ed25519, base64url) must verify over the JCS of the receipt without `signature`. A receipt with "subject": "unverified" marks a record accepted without a subject token.',
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
 *   now: Date,
 *   site?: string,
 *   receiver?: string
 * }} options  `site`: the statements site's origin, when known; `receiver`: the records URL
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
	return {
		format: EVIDENCE_FORMAT,
		subject,
		generatedAt: options.now.toISOString(),
		...(options.receiver ? { receiver: options.receiver } : {}),
		...(options.site ? { site: options.site } : {}),
		key: { alg, kid, jwk, pem },
		records: rows.map((row) => {
			const raw = String(row.raw);
			const receipt = JSON.parse(String(row.receipt));
			return { raw, record: JSON.parse(raw), receivedAt: receipt.receivedAt, receipt };
		}),
		statements: documents,
		verify: VERIFY_STEPS
	};
}
