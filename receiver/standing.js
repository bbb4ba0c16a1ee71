/**
 * A subject's standing across devices (SPEC section 8): `GET <path>/standing?subject=…` with
 * `Authorization: Bearer <subject token>` answers every record the receiver holds for that
 * subject, each with its `receivedAt` and receipt, oldest act first, in pages. Only a valid token
 * for that very subject reads them.
 */
import { answerCrossOrigin, bearerToken, pageLimit, pageLimitRefusal } from './transport.js';

/** Records in one page when `limit` is not given. */
export const STANDING_PAGE = 1000;
/** The most records one page may hold. */
export const STANDING_MAX_PAGE = 10_000;

/**
 * @typedef {import('./types.js').Database} Database
 * @typedef {import('node:http').IncomingMessage} IncomingMessage
 * @typedef {import('node:http').ServerResponse} ServerResponse
 */

/**
 * One page of a subject's records, in the order of their `at`, then id. The record is the JSON
 * text exactly as received, so the answer is assembled as text.
 * @param {{ database: Database, subject: string, limit: number, after?: [string, string] }} options
 * @returns {Promise<{ entries: string[], next: string | undefined }>}
 */
export async function readStanding(options) {
	const { database, subject, limit, after } = options;
	// The page is chosen and ordered on narrow rows (id, at) first, and only then are the
	// records' texts read, by primary key: sorting thousands of kilobyte-wide rows spills to disk.
	const { rows: ids } = await database.query(
		`select id::text as record_id, at from assent_records
		where subject = $1 ${after ? 'and (at, id) > ($3::timestamptz, $4::uuid)' : ''}
		order by at, id
		limit $2`,
		after ? [subject, limit + 1, after[0], after[1]] : [subject, limit + 1]
	);
	const page = ids.slice(0, limit);
	// Each entry is assembled by the database: the record's text as received, and the receipt
	// with its members in the order they were signed and sent (jsonb keeps its own order; json
	// keeps the one written here; `subject` is there only when set).
	const { rows: texts } = await database.query(
		`select id::text as record_id,
			'{"record":' || raw || ',"receivedAt":' || (receipt->'receivedAt')::text || ',"receipt":' ||
			json_strip_nulls(json_build_object(
				'schema', receipt->'schema', 'alg', receipt->'alg', 'kid', receipt->'kid',
				'id', receipt->'id', 'digest', receipt->'digest', 'receivedAt', receipt->'receivedAt',
				'subject', receipt->'subject', 'signature', receipt->'signature'
			))::text || '}' as entry
		from assent_records
		where id = any($1::text[]::uuid[])`,
		[page.map((row) => row.record_id)]
	);
	/** @type {Map<unknown, string>} */
	const byId = new Map();
	for (const row of texts) byId.set(row.record_id, /** @type {string} */ (row.entry));
	const entries = page.map((row) => /** @type {string} */ (byId.get(row.record_id)));
	const more = ids.length > limit;
	const last = page.at(-1);
	const next =
		more && last
			? Buffer.from(
					JSON.stringify([new Date(/** @type {any} */ (last.at)).toISOString(), last.record_id])
				).toString('base64url')
			: undefined;
	return { entries, next };
}

/**
 * The handler of `<path>/standing`.
 * @param {object} options
 * @param {() => Database} options.database
 * @param {Set<string>} options.origins  browser origins allowed to read
 * @param {ReturnType<typeof import('./subjects.js').subjectChecks>} options.subjects
 * @param {() => Date} options.now
 * @param {(res: ServerResponse, status: number, error: string, message: string, headers?: Record<string, string>) => void} options.fail
 */
export function standingHandler(options) {
	const { subjects, fail, now } = options;
	const challenge = (/** @type {string} */ error) => ({
		'WWW-Authenticate': `Bearer realm="assent", error="${error}"`
	});

	/**
	 * @param {IncomingMessage} req
	 * @param {ServerResponse} res
	 * @param {URL} url
	 */
	return async function standing(req, res, url) {
		if (
			answerCrossOrigin(req, res, {
				allows: (from) => options.origins.has(from),
				expose: 'WWW-Authenticate',
				methods: 'GET',
				headers: 'authorization',
				refused: (origin) =>
					`Pages on ${origin} may not read standings here. The operator lists the allowed origins in the receiver's origins (ASSENT_RECEIVER_ORIGINS).`
			})
		)
			return;
		if (req.method !== 'GET') {
			return fail(
				res,
				405,
				'method-not-allowed',
				`Read a standing with GET ${url.pathname}?subject=<subject> and Authorization: Bearer <subject token>.`,
				{ Allow: 'GET, OPTIONS' }
			);
		}
		const subject = url.searchParams.get('subject');
		if (!subject || !/\S/.test(subject)) {
			return fail(
				res,
				400,
				'invalid-query',
				'Name the subject: ?subject=<the subject the token vouches for>.'
			);
		}
		const limit = pageLimit(url.searchParams, { page: STANDING_PAGE, max: STANDING_MAX_PAGE });
		if (limit === undefined) {
			return pageLimitRefusal(res, url.searchParams, { max: STANDING_MAX_PAGE });
		}
		const cursorText = url.searchParams.get('cursor');
		/** @type {[string, string] | undefined} */
		let after;
		if (cursorText !== null) {
			after = parseCursor(cursorText);
			if (!after) {
				return fail(
					res,
					400,
					'invalid-query',
					'"cursor" is not one this receiver gave: pass the "next" of the previous page unchanged.'
				);
			}
		}
		const token = bearerToken(req.headers.authorization);
		if (!token) {
			return fail(
				res,
				401,
				'unauthorized',
				`Reading a standing needs "Authorization: Bearer <subject token>": a token for "${subject}" signed by the partner's (or operator's) backend (SPEC section 8).`,
				challenge('invalid_request')
			);
		}
		const checked = await subjects.bearer({ token, at: now().getTime() });
		if (!checked.ok) {
			if (checked.retryable) {
				return fail(res, 503, 'unavailable', `${checked.code}: ${checked.message}`, {
					'Retry-After': '30'
				});
			}
			return fail(
				res,
				401,
				'invalid-token',
				`The subject token is refused: ${checked.code}: ${checked.message}`,
				challenge('invalid_token')
			);
		}
		if (checked.subject !== subject) {
			return fail(
				res,
				403,
				'forbidden-subject',
				`The subject token vouches for another subject, not for "${subject}"; a token reads its own subject's standing only.`,
				challenge('insufficient_scope')
			);
		}
		const { entries, next } = await readStanding({
			database: options.database(),
			subject,
			limit,
			...(after ? { after } : {})
		});
		res.writeHead(200, {
			'Content-Type': 'application/json; charset=utf-8',
			'Cache-Control': 'no-store'
		});
		res.end(
			`{"subject":${JSON.stringify(subject)},"records":[${entries.join(',')}]${next ? `,"next":${JSON.stringify(next)}` : ''}}`
		);
	};
}

/**
 * @param {string} text
 * @returns {[string, string] | undefined}
 */
function parseCursor(text) {
	try {
		const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
		if (
			Array.isArray(value) &&
			value.length === 2 &&
			typeof value[0] === 'string' &&
			!isNaN(Date.parse(value[0])) &&
			typeof value[1] === 'string' &&
			/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value[1])
		) {
			return [value[0], value[1]];
		}
	} catch {
		// Not a cursor.
	}
	return undefined;
}
