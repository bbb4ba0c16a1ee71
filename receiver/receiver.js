/**
 * The reference sync receiver: the wire protocol of SPEC section 7 on PostgreSQL. Each record is
 * checked (schema, digest, published statement hash), stored once by id with its JSON text
 * exactly as sent, and acknowledged with the server's receive time and a signed receipt.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { openDatabase } from './database.js';
import { loadSigningKey, publicKeyDocument, signReceipt } from './receipts.js';
import { checkRecord, recordTexts } from './records.js';
import { standingHandler } from './standing.js';
import { publishedStatements } from './statements.js';
import { subjectChecks } from './subjects.js';
import { operatorApi } from './operator/index.js';
import { webhookOutbox } from './webhooks.js';
import { lockSubjects, updateStandings } from './operator/standings.js';

/** The largest request body, in bytes: what the HTTP adapter sends at most. */
export const MAX_BODY_BYTES = 512 * 1024;
/** The most records in one request. */
export const MAX_RECORDS = 500;
/** How long browsers may reuse a preflight answer (Chromium caps this at two hours). */
const PREFLIGHT_MAX_AGE = 7200;

/**
 * @typedef {import('./types.js').ReceiverOptions} ReceiverOptions
 * @typedef {import('./types.js').StartReceiverOptions} StartReceiverOptions
 * @typedef {import('./types.js').Receiver} Receiver
 * @typedef {import('./types.js').Accepted} Accepted
 * @typedef {import('./types.js').Rejected} Rejected
 * @typedef {import('./types.js').Receipt} Receipt
 * @typedef {import('./types.js').Database} Database
 */

/**
 * Makes the receiver. The signing key is loaded at once; the database is opened (its tables
 * created) and the statements index read in the background: `ready` says when both are done.
 * @param {ReceiverOptions} options
 * @returns {Receiver}
 */
export function createReceiver(options) {
	if (!options.database) {
		throw new Error(
			'createReceiver needs a database: a postgres:// URL, a folder for PGlite, "memory://", or one opened with openDatabase.'
		);
	}
	const path = normalPath(options.path ?? '/acceptances');
	const origins = new Set(checkedOrigins(options.origins ?? []));
	const log = options.log ?? console.log;
	const now = options.now ?? (() => new Date());
	const keySource = options.signingKey ?? options.key;
	const key = loadSigningKey(keySource !== undefined ? { key: keySource } : {});
	if (key.created && key.path) log(`receiver: made a new signing key ${key.path} (kid ${key.kid})`);
	const publicKey = publicKeyDocument({ key });
	const token = options.token ? digestOf(`Bearer ${options.token}`) : undefined;
	const statements = publishedStatements({
		site: options.site,
		...(options.refreshSeconds !== undefined ? { refreshSeconds: options.refreshSeconds } : {})
	});
	const ownsDatabase = typeof options.database === 'string';
	/** @type {Database} */
	let database;
	const siteUrl = /^https?:\/\//i.test(options.site) ? options.site : undefined;
	const audience = () =>
		options.audience ??
		(statements.baseUrl ? new URL(statements.baseUrl).origin : undefined) ??
		(siteUrl ? new URL(siteUrl).origin : undefined);
	if (options.audience !== undefined) checkedOrigins([options.audience]);
	const subjects = subjectChecks({
		site: options.site,
		audience,
		...(options.subjects !== undefined ? { policy: options.subjects } : {}),
		...(options.refreshSeconds !== undefined ? { refreshSeconds: options.refreshSeconds } : {})
	});
	const standing = standingHandler({
		database: () => database,
		origins,
		subjects,
		now,
		fail: (...args) => fail(...args)
	});
	const webhooks = webhookOutbox({ options: options.webhooks, database: () => database, log, now });
	const operator = operatorApi({
		path,
		tokens: options.operatorTokens,
		database: () => database,
		statements,
		siteOrigin: audience,
		publicKey,
		now,
		log,
		fail: (...args) => fail(...args),
		reply: (...args) => reply(...args)
	});

	const ready = (async () => {
		try {
			await statements.load();
		} catch (error) {
			// A folder is the operator's own build: a wrong one is a mistake to fix now. A site
			// behind a URL may be down for a moment; records wait (retryable) until it answers.
			if (!/^https?:\/\//i.test(statements.source)) throw error;
			log(`receiver: ${/** @type {Error} */ (error).message}`);
		}
		await subjects.registry.load().catch((error) => log(`receiver: ${error.message}`));
		const expected = audience();
		if (!expected && subjects.policy === 'verified') {
			throw new Error(
				`The receiver cannot check subject tokens: it does not know the statements site's origin, which tokens name as "aud". Set baseUrl in the site's site.yaml (or ASSENT_BASE_URL when building), or ASSENT_SITE to the site's URL; or accept unverified subjects with ASSENT_SUBJECTS=unverified.`
			);
		}
		log(
			`receiver: subject tokens ${expected ? `must name aud ${expected}` : 'cannot be checked (no statements site origin known)'}, keys from ${subjects.registry.source}; records without a token are ${subjects.policy === 'verified' ? 'refused' : 'accepted and marked unverified (subjects: unverified)'}`
		);
		database =
			typeof options.database === 'string'
				? await openDatabase({ database: options.database, log })
				: /** @type {Database} */ (options.database);
		webhooks.start();
	})();
	// Whoever awaits `ready` (startReceiver, each request) sees the error; nobody else must.
	ready.catch(() => undefined);

	/**
	 * Checks every record, then stores the good ones in one transaction: a batch is written
	 * whole or not at all, and a failure answers 500 so the browser sends it all again.
	 * @param {{ records: unknown[], texts: string[] | undefined }} batch
	 * @returns {Promise<{ accepted: Accepted[], rejected: Rejected[] }>}
	 */
	async function receive(batch) {
		const receivedAt = now().toISOString();
		/** @type {(Accepted | Rejected)[]} */
		const outcomes = [];
		/** @type {{ index: number, record: Record<string, any>, digest: string, text: string, vouch: import('./subjects.js').Vouch }[]} */
		const good = [];
		/** @type {{ index: number, id: string, digest: string, reason: string }[]} */
		const unvouched = [];
		const vouching = subjects.batch();
		for (const [index, record] of batch.records.entries()) {
			const r = /** @type {Record<string, any>} */ (record);
			const id = typeof r?.id === 'string' ? r.id : '';
			const refuse = (/** @type {string} */ reason, retryable = false) =>
				(outcomes[index] = { id, reason, retryable });
			const checked = checkRecord({ record });
			if (!checked.ok) {
				refuse(id ? checked.reason : `Record ${index + 1} of the batch: ${checked.reason}`);
				continue;
			}
			const { statement } = r;
			const published = await statements.lookup(statement);
			if (published.hash === undefined) {
				refuse(
					published.error
						? `The statement hash cannot be checked now: ${published.error}`
						: `${statement.id} ${statement.version} (${statement.locale}) is not published on ${statements.source}; if it was just published, the record is accepted once the site is rebuilt.`,
					true
				);
				continue;
			}
			if (published.hash !== statement.hash) {
				refuse(
					`statement.hash ${statement.hash} is not the published hash of ${statement.id} ${statement.version} (${statement.locale}), which is ${published.hash}.`
				);
				continue;
			}
			const vouched = await vouching.check(r);
			if ('refusal' in vouched) {
				refuse(vouched.refusal.reason, vouched.refusal.retryable);
				if (!vouched.refusal.retryable) {
					unvouched.push({ index, id, digest: checked.digest, reason: vouched.refusal.reason });
				}
				continue;
			}
			const refusal = await options.policy?.({ record: r });
			if (refusal) {
				refuse(refusal.reason, refusal.retryable === true);
				continue;
			}
			const text = batch.texts?.[index] ?? JSON.stringify(record);
			good.push({ index, record: r, digest: checked.digest, text, vouch: vouched.vouch });
		}
		// A record stored before keeps its receipt when it is sent again, even if its token would
		// not verify now (a key removed since, a stricter policy): what is stored stays valid.
		for (const [id, row] of await storedRows(unvouched.map((u) => u.id))) {
			for (const u of unvouched) {
				if (u.id === id && row.digest === u.digest) {
					outcomes[u.index] = { id, receivedAt: row.receipt.receivedAt, receipt: row.receipt };
				}
			}
		}

		const held = await store({ records: good, receivedAt });
		for (const { index, record, digest } of good) {
			const row = /** @type {{ digest: string, receipt: Receipt }} */ (held.get(record.id));
			outcomes[index] =
				row.digest === digest
					? { id: record.id, receivedAt: row.receipt.receivedAt, receipt: row.receipt }
					: {
							id: record.id,
							reason: `A different record with this id (digest ${row.digest}) was received before; a record id is never reused.`,
							retryable: false
						};
		}
		return {
			accepted: /** @type {Accepted[]} */ (outcomes.filter((o) => !('reason' in o))),
			rejected: /** @type {Rejected[]} */ (outcomes.filter((o) => 'reason' in o))
		};
	}

	/**
	 * The stored digest and receipt of each of `ids` that is stored.
	 * @param {string[]} ids
	 * @returns {Promise<Map<string, { digest: string, receipt: Receipt }>>}
	 */
	async function storedRows(ids) {
		const rows = new Map();
		if (ids.length === 0) return rows;
		const { rows: found } = await database.query(
			'select id::text as id, digest, receipt::text as receipt from assent_records where id = any($1::text[]::uuid[])',
			[ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id))]
		);
		for (const row of found) {
			rows.set(String(row.id), {
				digest: String(row.digest),
				receipt: receiptInOrder(JSON.parse(String(row.receipt)))
			});
		}
		return rows;
	}

	/**
	 * Inserts the records not stored yet and reads back what is stored under each id, in one
	 * transaction. A resent record finds its first row, so it keeps its first receipt.
	 * @param {{ records: { record: Record<string, any>, digest: string, text: string, vouch: import('./subjects.js').Vouch }[], receivedAt: string }} options
	 * @returns {Promise<Map<string, { digest: string, receipt: Receipt }>>}
	 */
	async function store({ records, receivedAt }) {
		/** @type {Map<string, { digest: string, receipt: Receipt }>} */
		const held = new Map();
		if (records.length === 0) return held;
		// The first of two records with one id in a batch is the one stored.
		/** @type {Map<string, (typeof records)[number]>} */
		const firsts = new Map();
		for (const r of records) if (!firsts.has(r.record.id)) firsts.set(r.record.id, r);
		// In id order: two batches holding the same ids then lock them in the same order, and
		// wait for each other instead of deadlocking.
		const rows = [...firsts.values()]
			.sort((a, b) => (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0))
			.map(({ record, digest, text, vouch }) => {
				const receipt = signReceipt({
					key,
					id: record.id,
					digest,
					receivedAt,
					...(vouch.verified ? {} : { subject: /** @type {const} */ ('unverified') })
				});
				return { record, digest, text, receipt, vouch };
			});
		await database.transaction(async (tx) => {
			await lockSubjects(
				tx,
				rows.map((row) => row.record.subject)
			);
			/** @type {unknown[]} */
			const params = [];
			const values = rows.map(({ record, digest, text, receipt, vouch }) => {
				const s = record.statement;
				const row = [
					record.id,
					digest,
					text,
					text,
					record.action,
					record.subject,
					record.partner,
					s.id,
					s.version,
					s.locale,
					s.hash,
					record.at,
					receivedAt,
					JSON.stringify(receipt),
					vouch.verified,
					vouch.verified ? vouch.issuer : null,
					vouch.verified ? vouch.kid : null
				];
				const first = params.length;
				params.push(...row);
				const $ = (/** @type {number} */ n) => `$${first + n}`;
				return `(${$(1)}::uuid, ${$(2)}, ${$(3)}, ${$(4)}::text::jsonb, ${$(5)}, ${$(6)}, ${$(7)}, ${$(8)}, ${$(9)}, ${$(10)}, ${$(11)}, ${$(12)}::timestamptz, ${$(13)}::timestamptz, ${$(14)}::text::jsonb, ${$(15)}::boolean, ${$(16)}, ${$(17)})`;
			});
			const inserted = await tx.query(
				`insert into assent_records (id, digest, raw, record, action, subject, partner,
					statement_id, statement_version, statement_locale, statement_hash, at, received_at, receipt,
					subject_verified, subject_issuer, subject_kid)
				values ${values.join(', ')}
				on conflict (id) do nothing
				returning id::text as id`,
				params
			);
			const insertedIds = new Set(inserted.rows.map((row) => row.id));
			for (const row of rows) {
				if (insertedIds.has(row.record.id)) {
					held.set(row.record.id, { digest: row.digest, receipt: row.receipt });
				}
			}
			const fresh = rows.filter((row) => insertedIds.has(row.record.id)).map((row) => row.record);
			if (fresh.length > 0) {
				await updateStandings(tx, {
					subjects: [...new Set(fresh.map((r) => String(r.subject)))],
					statements: new Set(fresh.map((r) => String(r.statement.id))),
					partners: new Set(fresh.map((r) => String(r.partner)))
				});
			}
			await webhooks.enqueue(
				tx,
				rows
					.filter((row) => insertedIds.has(row.record.id))
					.map((row) => ({ record: row.record, text: row.text, receivedAt, receipt: row.receipt }))
			);
			const known = rows.map((row) => row.record.id).filter((id) => !insertedIds.has(id));
			if (known.length > 0) {
				const existing = await tx.query(
					'select id::text as id, digest, receipt::text as receipt from assent_records where id = any($1::text[]::uuid[])',
					[known]
				);
				for (const row of existing.rows) {
					held.set(String(row.id), {
						digest: String(row.digest),
						receipt: receiptInOrder(JSON.parse(String(row.receipt)))
					});
				}
			}
		});
		webhooks.wake();
		return held;
	}

	/**
	 * @param {import('node:http').ServerResponse} res
	 * @param {number} status
	 * @param {unknown} body
	 * @param {Record<string, string>} [headers]
	 */
	function reply(res, status, body, headers = {}) {
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
	const fail = (res, status, error, message, headers) =>
		reply(res, status, { error, message }, headers);

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 * @param {(() => void) | undefined} next
	 */
	async function handle(req, res, next) {
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
		const operatorCall = operator(req, res, url);
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
		const allowed = origin !== undefined && origins.has(origin);
		if (allowed) {
			res.setHeader('Access-Control-Allow-Origin', origin);
			// Without this a page's fetch cannot read when to come back after a 429 or 503.
			res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
		}
		// Caches must not hand one origin's answer (with its CORS header) to another.
		res.setHeader('Vary', 'Origin');
		if (origin !== undefined && !allowed) {
			return fail(
				res,
				403,
				'origin-not-allowed',
				`Pages on ${origin} may not send records here. The operator lists the allowed origins in the receiver's origins (ASSENT_RECEIVER_ORIGINS).`
			);
		}
		if (req.method === 'OPTIONS') {
			res.writeHead(204, {
				'Access-Control-Allow-Methods': 'POST',
				'Access-Control-Allow-Headers': 'content-type, authorization, idempotency-key',
				'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE)
			});
			res.end();
			return;
		}
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
		const result = await receive({ records, texts: recordTexts({ body }) });
		const batch = req.headers['idempotency-key'];
		log(
			`receiver: ${result.accepted.length} accepted, ${result.rejected.length} rejected in ${Math.round(performance.now() - started)} ms` +
				(origin ? ` from ${origin}` : '') +
				(batch ? ` (idempotency-key ${String(batch).slice(0, 80)})` : '')
		);
		return reply(res, 200, result);
	}

	return {
		path,
		publicKey,
		ready,
		get database() {
			return database;
		},
		handle(req, res, next) {
			ready
				.then(() => handle(req, res, next))
				.catch((/** @type {Error} */ error) => {
					log(`receiver: ${error.stack ?? error.message}`);
					if (res.headersSent) {
						res.destroy();
						return;
					}
					fail(
						res,
						500,
						'internal-error',
						'The receiver failed and stored nothing from this request. Send it again later.'
					);
				});
		},
		async close() {
			await ready.catch(() => undefined);
			await webhooks.close();
			if (ownsDatabase) await database?.close();
		}
	};
}

/**
 * Starts a receiver on its own HTTP server: what `receiver/main.js`, `npm start`, the tests and
 * the benchmark use.
 * @param {StartReceiverOptions} options
 * @returns {Promise<import('./types.js').RunningReceiver>}
 */
export async function startReceiver(options) {
	const { port = 4175, host = '127.0.0.1', ...receiverOptions } = options;
	const receiver = createReceiver(receiverOptions);
	try {
		await receiver.ready;
	} catch (error) {
		await receiver.close();
		throw error;
	}
	const server = createServer(receiver.handle);
	// A client that trickles its body must not hold a connection for minutes.
	server.requestTimeout = 30_000;
	try {
		await new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => resolve(undefined));
		});
	} catch (error) {
		await receiver.close();
		throw new Error(
			`The receiver cannot listen on ${host}:${port} (${/** @type {Error} */ (error).message}). Choose another port with ASSENT_RECEIVER_PORT.`,
			{ cause: error }
		);
	}
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
	return {
		url: `${origin}${receiver.path}`,
		origin,
		port: address.port,
		receiver,
		async close() {
			await new Promise((resolve) => {
				// Requests in progress finish; idle keep-alive connections go now, slow ones soon.
				const force = setTimeout(() => server.closeAllConnections(), 5000);
				server.close(() => resolve(clearTimeout(force)));
				server.closeIdleConnections();
			});
			await receiver.close();
		}
	};
}

/** @param {string} path */
function normalPath(path) {
	if (!path.startsWith('/')) {
		throw new Error(`The receiver's path must start with "/", e.g. "/acceptances"; got "${path}".`);
	}
	return path.replace(/\/+$/, '') || '/';
}

/**
 * @param {string[]} origins
 * @returns {string[]}
 */
function checkedOrigins(origins) {
	for (const origin of origins) {
		const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
		if (!parsed || parsed.origin !== origin) {
			throw new Error(
				`"${origin}" is not a web origin; list origins as the browser sends them, scheme, host and port only${parsed && parsed.origin !== 'null' ? `: "${parsed.origin}"` : ', e.g. "https://partner.example"'}.`
			);
		}
	}
	return origins;
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

/**
 * A stored receipt with its fields in the order it was first sent (jsonb keeps its own order),
 * so a resent record gets the same text, not only the same data.
 * @param {Receipt} stored
 * @returns {Receipt}
 */
function receiptInOrder(stored) {
	const { schema, alg, kid, id, digest, receivedAt, signature, ...rest } = stored;
	return { schema, alg, kid, id, digest, receivedAt, ...rest, signature };
}
