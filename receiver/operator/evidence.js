/**
 * An evidence bundle, `assent.evidence/1` (SPEC section 9): a subject's records exactly as
 * received with their receipts, the statement versions they name (metadata, hash, sanitized
 * HTML), the receiver's public key and the steps to verify them, in one file.
 */

export const EVIDENCE_FORMAT = 'assent.evidence/1';

/** How to check the bundle, for whoever receives it. */
export const VERIFY_STEPS = [
	'For each entry of "records", parse "raw" (the record\'s JSON text exactly as the receiver received it); remove its "digest" member, compute the RFC 8785 (JCS) canonical JSON of the rest and its SHA-256: "sha256:" followed by the lowercase hex digest must equal the record\'s "digest".',
	'Check the "receipt": its "id" and "digest" must equal the record\'s; its "kid" must equal "key.kid", the RFC 7638 thumbprint of "key.jwk"; its "signature" (Ed25519, base64url without padding) must verify with "key.jwk" over the RFC 8785 canonical JSON of the receipt without "signature".',
	'Records made by one browser chain: sorted by "seq", each record\'s "prev" is the previous one\'s "digest" ("prev" is null for seq 1). A gap only means records of that browser are not in this bundle.',
	'For each record, find the entry of "statements" with its statement id, version and locale: its "hash" must equal the record\'s "statement.hash". The hash is the SHA-256 of the version\'s published source; compare it with the statements site\'s statements/index.json, or rebuild the site from its sources, to show the text the subject saw ("html").',
	'A receipt with "subject": "unverified" marks a record accepted without a subject token: nothing but the page vouched for its subject. A record with "subjectToken" was checked against the partner\'s (or operator\'s) key published in the site\'s partners.json.',
	"The statements site's /verify/ page runs these checks in the browser, with nothing uploaded."
];

/**
 * @param {{ database: import('../types.js').Database, statements: import('../statements.js').PublishedStatements, subject: string, publicKey: { jwk: Record<string, unknown>, kid: string }, now: Date }} options
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
		from assent_records where subject = $1 order by at, id`,
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
	const documents = await Promise.all(
		[...named.values()].map(async (s) => {
			const d = await statements.document(s);
			return {
				id: d.id,
				version: d.version,
				locale: d.locale,
				title: d.title,
				issued: d.issued,
				effective: d.effective,
				change: d.change,
				hash: d.hash,
				html: d.html
			};
		})
	);
	return {
		format: EVIDENCE_FORMAT,
		subject,
		generatedAt: options.now.toISOString(),
		records: rows.map((row) => {
			const receipt = JSON.parse(String(row.receipt));
			return { raw: String(row.raw), receivedAt: receipt.receivedAt, receipt };
		}),
		statements: documents,
		key: { jwk: options.publicKey.jwk, kid: options.publicKey.kid },
		verify: VERIFY_STEPS
	};
}
