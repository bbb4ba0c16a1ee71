/**
 * The operator's API (SPEC section 9), server to server with `Authorization: Bearer <operator
 * token>`: a subject's standing, lists of subjects, a statement's summary, evidence bundles, the
 * webhook delivery log and sending failed deliveries again. Browsers may call it only from the
 * statements site's origin.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { answerCrossOrigin, bearerToken, pageLimit, pageLimitRefusal } from '../transport.js';
import { DELIVERY_STATUSES, parseDeliveryCursor, readDeliveries, redeliver } from '../webhooks.js';
import { evidenceBundle } from './evidence.js';
import { recordsOf, standingFrom, standingOfVersion, subjectsByAcceptance } from './standing.js';
import { statementSummary } from './summary.js';

/** Subjects in one page of a list when `limit` is not given, and at most. */
export const LIST_PAGE = 100;
export const LIST_MAX_PAGE = 1000;

/**
 * @typedef {import('../types.js').Database} Database
 * @typedef {import('node:http').IncomingMessage} IncomingMessage
 * @typedef {import('node:http').ServerResponse} ServerResponse
 */

/**
 * @param {object} options
 * @param {string} options.path  the receiver's path, e.g. `/acceptances`
 * @param {Record<string, string> | undefined} options.tokens  operator tokens by name
 * @param {() => Database} options.database
 * @param {import('../statements.js').PublishedStatements} options.statements
 * @param {() => string | undefined} options.siteOrigin  the statements site's origin
 * @param {import('../types.js').PublicKeyDocument} options.publicKey
 * @param {import('../types.js').SigningKey} options.signingKey  signs evidence manifests
 * @param {() => Date} options.now
 * @param {(line: string) => void} options.log
 * @param {(res: ServerResponse, status: number, error: string, message: string, headers?: Record<string, string>) => void} options.fail
 * @param {(res: ServerResponse, status: number, body: unknown) => void} options.reply
 * @param {() => void} [options.redelivered]  called when failed deliveries are pending again
 * @returns {(req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | undefined}
 *   the handler of a request on one of its paths, `undefined` for other paths
 */
export function operatorApi(options) {
	const { path, fail, reply, now } = options;
	const digest = (/** @type {string} */ text) => createHash('sha256').update(text).digest();
	const tokens = Object.entries(options.tokens ?? {}).map(([name, token]) => ({
		name,
		digest: digest(token)
	}));

	/**
	 * The name of the operator token the request carries, compared in constant time with every
	 * configured token.
	 * @param {IncomingMessage} req
	 */
	function caller(req) {
		const presented = bearerToken(req.headers.authorization);
		if (!presented) return undefined;
		const sent = digest(presented);
		let found;
		for (const t of tokens) if (timingSafeEqual(sent, t.digest) && !found) found = t.name;
		return found;
	}

	/** @param {string} text */
	const decode = (text) => {
		try {
			return decodeURIComponent(text);
		} catch {
			return undefined;
		}
	};

	return function route(req, res, url) {
		if (!url.pathname.startsWith(`${path}/`)) return undefined;
		const rest = url.pathname.slice(path.length + 1).split('/');
		/** @type {(() => Promise<void>) | undefined} */
		let action;
		let method = 'GET';
		if (rest.length === 1 && rest[0] === 'subjects') action = () => list(res, url);
		else if (rest.length === 3 && rest[0] === 'subjects' && rest[2] === 'standing') {
			const subject = decode(rest[1] ?? '');
			action = () => standing(res, url, subject);
		} else if (rest.length === 3 && rest[0] === 'subjects' && rest[2] === 'evidence') {
			const subject = decode(rest[1] ?? '');
			action = () => evidence(res, subject);
		} else if (rest.length === 3 && rest[0] === 'statements' && rest[2] === 'summary') {
			const id = decode(rest[1] ?? '');
			action = () => summary(res, id);
		} else if (rest.length === 2 && rest[0] === 'webhooks' && rest[1] === 'deliveries') {
			action = () => deliveries(res, url);
		} else if (
			rest.length === 3 &&
			rest[0] === 'webhooks' &&
			rest[1] === 'deliveries' &&
			rest[2] === 'redeliver'
		) {
			method = 'POST';
			action = () => sendAgain(res, url);
		}
		if (!action) return undefined;
		const run = action;
		return (async () => {
			const site = options.siteOrigin();
			if (
				answerCrossOrigin(req, res, {
					allows: (origin) => origin === site,
					methods: method,
					headers: 'authorization',
					refused: (origin) =>
						`The operator's API answers browser pages on the statements site${site ? ` (${site})` : ''} only, not on ${origin}.`
				})
			)
				return;
			if (req.method !== method) {
				return fail(res, 405, 'method-not-allowed', `Use ${method} ${url.pathname}.`, {
					Allow: `${method}, OPTIONS`
				});
			}
			const name = caller(req);
			if (!name) {
				return fail(
					res,
					401,
					'unauthorized',
					tokens.length === 0
						? "The operator's API is off: this receiver has no operator tokens. Set ASSENT_OPERATOR_TOKENS=name:token and send Authorization: Bearer <token>."
						: `The operator's API needs "Authorization: Bearer <operator token>", one of ASSENT_OPERATOR_TOKENS${req.headers.authorization ? '; the one sent is not' : ''}.`,
					{ 'WWW-Authenticate': 'Bearer realm="assent-operator"' }
				);
			}
			options.log(`receiver: operator ${name}: ${method} ${url.pathname}${url.search}`);
			await run();
		})();
	};

	/**
	 * The statement's versions, or a 404 answered.
	 * @param {ServerResponse} res
	 * @param {string | null | undefined} id
	 */
	async function versionsOf(res, id) {
		if (!id) {
			fail(res, 400, 'invalid-query', 'Name the statement: ?statement=<statement id>.');
			return undefined;
		}
		const versions = await options.statements.versions(id);
		if (!versions) {
			fail(
				res,
				404,
				'unknown-statement',
				`The statements site publishes no statement "${id}" (its statements/index.json); check the id.`
			);
			return undefined;
		}
		return versions;
	}

	/**
	 * @param {ServerResponse} res
	 * @param {URL} url
	 * @param {string | undefined} subject
	 */
	async function standing(res, url, subject) {
		if (!subject)
			return fail(
				res,
				400,
				'invalid-query',
				'The subject in the path is empty or not URL-encoded.'
			);
		const statementId = url.searchParams.get('statement');
		const partner = url.searchParams.get('partner') ?? undefined;
		const versions = await versionsOf(res, statementId);
		if (!versions || !statementId) return;
		const records = await recordsOf({
			database: options.database(),
			subjects: [subject],
			statementId,
			...(partner !== undefined ? { partner } : {})
		});
		reply(
			res,
			200,
			standingFrom({
				records: records.get(subject) ?? [],
				subject,
				statementId,
				...(partner !== undefined ? { partner } : {}),
				versions,
				now: now()
			})
		);
	}

	/**
	 * @param {ServerResponse} res
	 * @param {URL} url
	 */
	async function list(res, url) {
		const q = url.searchParams;
		const statementId = q.get('statement');
		const partner = q.get('partner') ?? undefined;
		const needs = q.get('needs');
		if (needs !== null && needs !== 'acceptance') {
			return fail(
				res,
				400,
				'invalid-query',
				`"needs" may only be "acceptance" (subjects who must accept the version in force); got "${needs}".`
			);
		}
		const limit = pageLimit(q, { page: LIST_PAGE, max: LIST_MAX_PAGE });
		if (limit === undefined) return pageLimitRefusal(res, q, { max: LIST_MAX_PAGE });
		const cursor = q.get('cursor');
		let after;
		if (cursor !== null) {
			after = parseCursor(cursor, statementId, partner, needs);
			if (after === undefined) {
				return fail(
					res,
					400,
					'invalid-query',
					'"cursor" is not one this receiver gave for this query: pass the "next" of the previous page unchanged, with the same statement, partner and needs.'
				);
			}
		}
		const versions = await versionsOf(res, statementId);
		if (!versions || !statementId) return;
		const at = now();
		// A standing depends on the version last accepted alone (with a partner, among the
		// partner's acts): the core says which versions need acceptance, and the kept deciding
		// records give a full page in subject order.
		const accepted =
			needs === null
				? undefined
				: [null, ...versions.map((v) => v.version)].filter(
						(version) => standingOfVersion({ version, statementId, versions, now: at }).mustAccept
					);
		const subjects = await subjectsByAcceptance({
			database: options.database(),
			statementId,
			limit: limit + 1,
			...(partner !== undefined ? { partner } : {}),
			...(accepted ? { accepted } : {}),
			...(after !== undefined ? { after } : {})
		});
		const page = subjects.slice(0, limit);
		const records = await recordsOf({
			database: options.database(),
			subjects: page,
			statementId,
			...(partner !== undefined ? { partner } : {})
		});
		reply(res, 200, {
			statement: statementId,
			...(partner !== undefined ? { partner } : {}),
			...(needs ? { needs } : {}),
			subjects: page.map((subject) =>
				standingFrom({
					records: records.get(subject) ?? [],
					subject,
					statementId,
					...(partner !== undefined ? { partner } : {}),
					versions,
					now: at
				})
			),
			...(subjects.length > limit
				? { next: makeCursor(/** @type {string} */ (page.at(-1)), statementId, partner, needs) }
				: {})
		});
	}

	/**
	 * @param {ServerResponse} res
	 * @param {string | undefined} id
	 */
	async function summary(res, id) {
		const versions = await versionsOf(res, id);
		if (!versions || !id) return;
		reply(
			res,
			200,
			await statementSummary({
				database: options.database(),
				statementId: id,
				versions,
				now: now()
			})
		);
	}

	/**
	 * @param {ServerResponse} res
	 * @param {string | undefined} subject
	 */
	async function evidence(res, subject) {
		if (!subject)
			return fail(
				res,
				400,
				'invalid-query',
				'The subject in the path is empty or not URL-encoded.'
			);
		let bundle;
		try {
			bundle = await evidenceBundle({
				database: options.database(),
				statements: options.statements,
				subject,
				publicKey: options.publicKey,
				signingKey: options.signingKey,
				now: now(),
				site: options.siteOrigin()
			});
		} catch (error) {
			if (!/could not be read from the site/.test(/** @type {Error} */ (error).message))
				throw error;
			return fail(res, 503, 'unavailable', /** @type {Error} */ (error).message, {
				'Retry-After': '30'
			});
		}
		res.writeHead(200, {
			'Content-Type': 'application/json; charset=utf-8',
			'Cache-Control': 'no-store',
			'Content-Disposition': `attachment; filename="evidence-${subject.replace(/[^\w.-]+/g, '_').slice(0, 80)}.json"`
		});
		res.end(JSON.stringify(bundle, null, '\t'));
	}

	/**
	 * @param {ServerResponse} res
	 * @param {URL} url
	 */
	async function deliveries(res, url) {
		const limit = pageLimit(url.searchParams, { page: LIST_PAGE, max: LIST_MAX_PAGE });
		if (limit === undefined) return pageLimitRefusal(res, url.searchParams, { max: LIST_MAX_PAGE });
		const cursor = url.searchParams.get('cursor');
		const after = cursor !== null ? parseDeliveryCursor(cursor) : undefined;
		if (after && 'error' in after) return fail(res, 400, 'invalid-query', after.error);
		const status = url.searchParams.get('status');
		if (status !== null && !DELIVERY_STATUSES.includes(/** @type {any} */ (status))) {
			return fail(
				res,
				400,
				'invalid-query',
				`"status" must be one of ${DELIVERY_STATUSES.map((s) => `"${s}"`).join(', ')}, or left out for every delivery; got "${status}".`
			);
		}
		reply(
			res,
			200,
			await readDeliveries({
				database: options.database(),
				limit,
				...(after ? { after } : {}),
				...(status !== null
					? { status: /** @type {import('../webhooks.js').DeliveryStatus} */ (status) }
					: {})
			})
		);
	}

	/**
	 * Failed deliveries pending again: one event's (`event`, and only to `url` if given), or
	 * every failed one (to `url` if given).
	 * @param {ServerResponse} res
	 * @param {URL} url
	 */
	async function sendAgain(res, url) {
		const q = url.searchParams;
		const event = q.get('event');
		const to = q.get('url');
		if (event === '' || to === '') {
			return fail(
				res,
				400,
				'invalid-query',
				`"${event === '' ? 'event' : 'url'}" is empty: name the delivery's event (its webhook-id) and URL as the delivery log gives them, or leave the parameter out.`
			);
		}
		const count = await redeliver({
			database: options.database(),
			now: now(),
			...(event !== null ? { event } : {}),
			...(to !== null ? { url: to } : {})
		});
		if (count > 0) options.redelivered?.();
		if (count === 0 && event !== null) {
			return fail(
				res,
				404,
				'no-failed-delivery',
				`No failed delivery of event ${event}${to !== null ? ` to ${to}` : ''}: it is pending or delivered, or no such event was sent. See GET ${path}/webhooks/deliveries.`
			);
		}
		reply(res, 200, { redelivered: count });
	}
}

/**
 * An opaque cursor: the last subject seen, bound to the query it pages.
 * @param {string} subject
 * @param {string} statement
 * @param {string | undefined} partner
 * @param {string | null} needs
 */
function makeCursor(subject, statement, partner, needs) {
	return Buffer.from(JSON.stringify([subject, statement, partner ?? null, needs])).toString(
		'base64url'
	);
}

/**
 * @param {string} text
 * @param {string | null} statement
 * @param {string | undefined} partner
 * @param {string | null} needs
 * @returns {string | undefined} the last subject of the previous page
 */
function parseCursor(text, statement, partner, needs) {
	try {
		const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
		if (
			Array.isArray(value) &&
			value.length === 4 &&
			typeof value[0] === 'string' &&
			value[1] === statement &&
			value[2] === (partner ?? null) &&
			value[3] === needs
		) {
			return value[0];
		}
	} catch {
		// Not a cursor.
	}
	return undefined;
}
