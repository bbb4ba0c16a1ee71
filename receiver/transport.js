/**
 * The receiver's HTTP transport: its routes (records, key, health, standing, and the operator's
 * API of `operator/index.js`), CORS for the
 * allowed origins, the operator's token, the media type, body size and JSON of a request. The
 * records go to the batch intake; every answer is JSON, with a stable error code when it is a
 * refusal.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { recordTexts } from './records.js';

/** The largest request body, in bytes: what the HTTP adapter sends at most. */
export const MAX_BODY_BYTES = 512 * 1024;
/** The most records in one request. */
export const MAX_RECORDS = 500;
/** How long browsers may reuse a preflight answer (Chromium caps this at two hours). */
const PREFLIGHT_MAX_AGE = 7200;

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
export function reply(res, status, body, headers = {}) {
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Cache-Control': 'no-store',
		...headers
	});
	res.end(JSON.stringify(body));
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} error  a stable code
 * @param {string} message  what is wrong and how to fix it
 * @param {Record<string, string>} [headers]
 */
export const fail = (res, status, error, message, headers) =>
	reply(res, status, { error, message }, headers);

/**
 * The token of an `Authorization: Bearer <token>` header, or undefined when there is none.
 * @param {string | undefined} authorization
 */
export const bearerToken = (authorization) => /^Bearer +(\S+)\s*$/i.exec(authorization ?? '')?.[1];

/**
 * The `limit` of a page query: the default when it is absent, undefined when it is not a whole
 * number from 1 to `max` (answered with `pageLimitRefusal`).
 * @param {URLSearchParams} query
 * @param {{ page: number, max: number }} bounds
 */
export function pageLimit(query, bounds) {
	const text = query.get('limit');
	if (text === null) return bounds.page;
	const limit = Number(text);
	return /^\d+$/.test(text) && limit >= 1 && limit <= bounds.max ? limit : undefined;
}

/**
 * Refuses a page query whose `limit` `pageLimit` did not accept.
 * @param {import('node:http').ServerResponse} res
 * @param {URLSearchParams} query
 * @param {{ max: number }} bounds
 */
export const pageLimitRefusal = (res, query, bounds) =>
	fail(
		res,
		400,
		'invalid-query',
		`"limit" must be a whole number from 1 to ${bounds.max}; got "${query.get('limit')}".`
	);

/**
 * Answers the cross-origin side of a request pages may make: the CORS headers for an allowed
 * `Origin`, a 403 for any other, and the preflight. True when the request is answered.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {{
 *   allows: (origin: string) => boolean,
 *   expose?: string,
 *   methods: string,
 *   headers: string,
 *   refused: (origin: string) => string
 * }} options  `allows`: whether pages on an origin may call; `expose`: the
 *   response headers a page may read, if any; `methods`, `headers`: what a
 *   preflight allows; `refused`: the message for an origin not allowed
 */
export function answerCrossOrigin(req, res, options) {
	const origin = req.headers.origin;
	const allowed = origin !== undefined && options.allows(origin);
	if (allowed) {
		res.setHeader('Access-Control-Allow-Origin', origin);
		if (options.expose) res.setHeader('Access-Control-Expose-Headers', options.expose);
	}
	// Caches must not hand one origin's answer (with its CORS header) to another.
	res.setHeader('Vary', 'Origin');
	if (origin !== undefined && !allowed) {
		fail(res, 403, 'origin-not-allowed', options.refused(origin));
		return true;
	}
	if (req.method === 'OPTIONS') {
		res.writeHead(204, {
			'Access-Control-Allow-Methods': options.methods,
			'Access-Control-Allow-Headers': options.headers,
			'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE)
		});
		res.end();
		return true;
	}
	return false;
}

/**
 * The request handler of a receiver.
 * @param {{
 *   path: string,
 *   origins: Set<string>,
 *   token?: string,
 *   publicKey: import('./types.js').PublicKeyDocument,
 *   database: () => import('./types.js').Database,
 *   standing: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL) => unknown,
 *   operator?: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL) => Promise<unknown> | undefined,
 *   receive: (batch: { records: unknown[], texts: string[] | undefined, origin: string | undefined, relayed?: boolean }) => Promise<{ accepted: import('./types.js').Accepted[], rejected: import('./types.js').Rejected[] }>,
 *   log: (line: string) => void
 * }} options
 */
export function httpTransport(options) {
	const { path, origins, publicKey, standing, receive, log } = options;
	const token = options.token ? digestOf(`Bearer ${options.token}`) : undefined;

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 * @param {(() => void) | undefined} next
	 */
	async function handle(req, res, next) {
		const database = options.database();
		const url = new URL(req.url ?? '/', 'http://receiver');
		const route = url.pathname === path || url.pathname === `${path}/` ? 'records' : url.pathname;
		if (route === `${path}/key` || route === `${path}/health`) {
			// Public, read-only and the same for everyone: any page may read them.
			res.setHeader('Access-Control-Allow-Origin', '*');
			if (req.method !== 'GET' && req.method !== 'HEAD') {
				return fail(res, 405, 'method-not-allowed', `Use GET ${route}.`, { Allow: 'GET, HEAD' });
			}
			if (route === `${path}/key`) return reply(res, 200, publicKey);
			try {
				await database.query('select 1');
			} catch (error) {
				log(`receiver: health check failed: ${/** @type {Error} */ (error).message}`);
				return fail(res, 503, 'unavailable', 'The database does not answer.');
			}
			return reply(res, 200, { status: 'ok', database: database.kind, path });
		}
		if (route === `${path}/standing`) return standing(req, res, url);
		// The operator's API, under the same path; undefined when the request is not one of its routes.
		const operatorCall = options.operator?.(req, res, url);
		if (operatorCall) return operatorCall;
		if (route !== 'records') {
			if (next) return next();
			return fail(
				res,
				404,
				'not-found',
				`Nothing here. Records are posted to ${path}; the receipt key is at ${path}/key.`
			);
		}

		const origin = req.headers.origin;
		if (
			answerCrossOrigin(req, res, {
				allows: (from) => origins.has(from),
				// Without this a page's fetch cannot read when to come back after a 429 or 503.
				expose: 'Retry-After',
				methods: 'POST',
				headers: 'content-type, authorization, idempotency-key',
				refused: (from) =>
					`Pages on ${from} may not send records here. The operator lists the allowed origins in the receiver's origins (ASSENT_RECEIVER_ORIGINS).`
			})
		)
			return;
		if (req.method !== 'POST') {
			return fail(
				res,
				405,
				'method-not-allowed',
				`Send records with POST ${path} and a JSON body { "records": [...] }.`,
				{ Allow: 'POST, OPTIONS' }
			);
		}
		if (token && !sameDigest(digestOf(req.headers.authorization ?? ''), token)) {
			return fail(
				res,
				401,
				'unauthorized',
				`This receiver needs an "Authorization: Bearer <token>" header with the operator's token${req.headers.authorization ? '; the one sent is not it' : ''}.`,
				{ 'WWW-Authenticate': 'Bearer realm="assent"' }
			);
		}
		const type = mediaType(req.headers['content-type']);
		if (!type.ok) {
			return fail(
				res,
				415,
				'unsupported-media-type',
				`The body must be sent as Content-Type: application/json (UTF-8); got ${req.headers['content-type'] ? `"${req.headers['content-type']}"` : 'no Content-Type'}.`
			);
		}
		const tooLarge = () =>
			fail(
				res,
				413,
				'payload-too-large',
				`The body is larger than ${MAX_BODY_BYTES / 1024} KB. Send fewer records per request.`,
				{ Connection: 'close' }
			);
		if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return tooLarge();
		const bytes = await readBody(req, MAX_BODY_BYTES);
		if (!bytes) return tooLarge();

		let body;
		try {
			body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		} catch {
			return fail(res, 400, 'invalid-json', 'The body is not valid UTF-8 text.');
		}
		/** @type {unknown} */
		let parsed;
		try {
			parsed = JSON.parse(body);
		} catch (error) {
			return fail(
				res,
				400,
				'invalid-json',
				`The body is not JSON (${/** @type {Error} */ (error).message}).`
			);
		}
		const records = /** @type {{ records?: unknown }} */ (parsed)?.records;
		if (typeof parsed !== 'object' || parsed === null || !Array.isArray(records)) {
			return fail(
				res,
				400,
				'invalid-body',
				'The body must be a JSON object with a "records" array: { "records": [ ... ] }.'
			);
		}
		if (records.length > MAX_RECORDS) {
			return fail(
				res,
				400,
				'too-many-records',
				`A request may carry at most ${MAX_RECORDS} records; this one has ${records.length}. Send them in smaller batches.`
			);
		}

		const started = performance.now();
		// A widget frame sending records the partner page kept for it, which it did not build.
		const relayed = /** @type {{ relayed?: unknown }} */ (parsed).relayed === true;
		const result = await receive({ records, texts: recordTexts({ body }), origin, relayed });
		const batch = req.headers['idempotency-key'];
		log(
			`receiver: ${result.accepted.length} accepted, ${result.rejected.length} rejected in ${Math.round(performance.now() - started)} ms` +
				(origin ? ` from ${origin}` : '') +
				(batch ? ` (idempotency-key ${String(batch).slice(0, 80)})` : '')
		);
		return reply(res, 200, result);
	}

	return handle;
}

/**
 * JSON is the protocol's type; text/plain is also taken because it is the only type a browser
 * sends without a preflight (e.g. navigator.sendBeacon when a page is closing).
 * @param {string | undefined} header
 */
function mediaType(header) {
	const [type = '', ...params] = (header ?? '').toLowerCase().split(';');
	const charset = params
		.map((p) => p.trim())
		.find((p) => p.startsWith('charset='))
		?.slice('charset='.length)
		.replace(/"/g, '');
	return {
		ok:
			(type.trim() === 'application/json' || type.trim() === 'text/plain') &&
			(charset === undefined || charset === 'utf-8')
	};
}

/**
 * The body, or undefined once it passes `limit` bytes.
 * @param {import('node:http').IncomingMessage} req
 * @param {number} limit
 * @returns {Promise<Buffer | undefined>}
 */
async function readBody(req, limit) {
	/** @type {Buffer[]} */
	const chunks = [];
	let size = 0;
	for await (const chunk of req) {
		size += chunk.length;
		if (size > limit) return undefined;
		chunks.push(chunk);
	}
	return Buffer.concat(chunks);
}

/** @param {string} text */
const digestOf = (text) => createHash('sha256').update(text).digest();

/** Compares in constant time, so the token cannot be guessed byte by byte from timings. */
const sameDigest = (/** @type {Buffer} */ a, /** @type {Buffer} */ b) => timingSafeEqual(a, b);
