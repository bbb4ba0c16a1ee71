/**
 * The reference sync receiver: SPEC section 7's wire protocol on PostgreSQL. Each record is
 * checked (schema, digest, published statement hash), stored once by id with its JSON exactly as
 * sent and the server's receive time, and acknowledged with a receipt signed by the operator's
 * key.
 */
import { createHash, sign, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import canonicalize from 'canonicalize';

/** The largest request body accepted, as the HTTP adapter sends at most this. */
export const MAX_BODY_BYTES = 512 * 1024;
/** The most records in one request. */
export const MAX_RECORDS = 500;

const schema = JSON.parse(
	readFileSync(new URL('../static/schemas/record.json', import.meta.url), 'utf8')
);
const ajv = new Ajv2020({ allErrors: false, strict: true, validateFormats: false });
const validateRecord = ajv.compile(schema);

/** @param {unknown} value */
const canonical = (value) => /** @type {string} */ (canonicalize(value));

/**
 * `sha256:` and the hex SHA-256 of the record's canonical JSON without `digest` (SPEC section 6).
 * @param {Record<string, unknown>} record
 */
export function recordDigest(record) {
	const unsigned = { ...record };
	delete unsigned.digest;
	return `sha256:${createHash('sha256').update(canonical(unsigned)).digest('hex')}`;
}

/**
 * What a receipt's signature covers: the canonical JSON of these three fields.
 * @param {{ id: string, digest: string, receivedAt: string }} fields
 */
export function receiptPayload(fields) {
	return canonical({ id: fields.id, digest: fields.digest, receivedAt: fields.receivedAt });
}

/**
 * The raw text of each element of the top-level `records` array, so each record is stored
 * exactly as the browser sent it. Returns undefined when the body is not shaped as expected.
 * @param {string} body
 * @returns {string[] | undefined}
 */
export function recordTexts(body) {
	const start = body.search(/"records"\s*:\s*\[/);
	if (start < 0) return undefined;
	let i = body.indexOf('[', start) + 1;
	/** @type {string[]} */
	const texts = [];
	let depth = 0;
	let from = -1;
	let inString = false;
	for (; i < body.length; i++) {
		const c = body[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
			continue;
		}
		if (c === '"') {
			inString = true;
			if (depth === 0 && from < 0) from = i;
		} else if (c === '{' || c === '[') {
			if (depth === 0) from = i;
			depth++;
		} else if (c === '}' || c === ']') {
			if (depth === 0) {
				if (from >= 0) texts.push(body.slice(from, i).trim());
				return texts;
			}
			depth--;
		} else if (c === ',' && depth === 0) {
			texts.push(body.slice(from, i).trim());
			from = -1;
		} else if (depth === 0 && from < 0 && !/\s/.test(/** @type {string} */ (c))) {
			from = i;
		}
	}
	return undefined;
}

/**
 * Reads the published hashes from the statements site's `statements/index.json`, by URL or from
 * a built folder, and reads again (at most every `refreshMs`) when asked about an unknown version.
 * @param {{ site: string, refreshMs?: number, fetch?: typeof fetch }} options
 */
export function publishedHashes(options) {
	/** @type {Map<string, string>} */
	let hashes = new Map();
	let loadedAt = -Infinity;
	/** @type {Promise<void> | undefined} */
	let loading;
	const refreshMs = options.refreshMs ?? 30_000;

	async function load() {
		const isUrl = /^https?:\/\//.test(options.site);
		const text = isUrl
			? await (options.fetch ?? fetch)(new URL('/statements/index.json', options.site)).then(
					(r) => {
						if (!r.ok) throw new Error(`${r.status} from ${r.url}`);
						return r.text();
					}
				)
			: readFileSync(join(options.site, 'statements/index.json'), 'utf8');
		/** @type {{ statements: { id: string, versions: { version: string, locales: Record<string, { hash: string }> }[] }[] }} */
		const index = JSON.parse(text);
		const next = new Map();
		for (const statement of index.statements) {
			for (const version of statement.versions) {
				for (const [locale, published] of Object.entries(version.locales)) {
					next.set(`${statement.id}/${version.version}/${locale}`, published.hash);
				}
			}
		}
		hashes = next;
		loadedAt = Date.now();
	}

	return {
		/**
		 * @param {{ id: string, version: string, locale: string }} statement
		 * @returns {Promise<string | undefined>}
		 */
		async hash(statement) {
			const key = `${statement.id}/${statement.version}/${statement.locale}`;
			if (!hashes.has(key) && Date.now() - loadedAt >= refreshMs) {
				loading ??= load().finally(() => (loading = undefined));
				await loading;
			}
			return hashes.get(key);
		}
	};
}

/**
 * @typedef {object} ReceiverOptions
 * @property {import('./database.js').Database} database
 * @property {string} site  the statements site's URL, or its built folder, for published hashes
 * @property {import('./keys.js').SigningKey} key  signs receipts
 * @property {string[]} [origins]  browser origins allowed to send records (default: none)
 * @property {string} [token]  a bearer token every request must carry (default: none)
 * @property {string} [path]  where records are posted (default: '/acceptances')
 * @property {(line: string) => void} [log]  where one line per request goes (default: console.log)
 */

/**
 * @param {ReceiverOptions} options
 * @returns {{ handle: import('node:http').RequestListener }}
 */
export function createReceiver(options) {
	const path = (options.path ?? '/acceptances').replace(/\/$/, '');
	const origins = new Set(options.origins ?? []);
	const hashes = publishedHashes({ site: options.site });
	const log = options.log ?? console.log;
	const publicJwk = options.key.publicKey.export({ format: 'jwk' });

	/**
	 * @param {import('node:http').ServerResponse} res
	 * @param {number} status
	 * @param {unknown} body
	 * @param {Record<string, string>} [headers]
	 */
	function reply(res, status, body, headers = {}) {
		res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
		res.end(JSON.stringify(body));
	}

	/**
	 * @param {import('node:http').ServerResponse} res
	 * @param {number} status
	 * @param {string} error
	 * @param {string} message
	 */
	const refuse = (res, status, error, message) => reply(res, status, { error, message });

	/** @param {string | undefined} header */
	function authorized(header) {
		if (!options.token) return true;
		const given = Buffer.from(header ?? '');
		const expected = Buffer.from(`Bearer ${options.token}`);
		return given.length === expected.length && timingSafeEqual(given, expected);
	}

	/**
	 * @param {Record<string, any>} record
	 * @param {string} text
	 * @returns {Promise<{ id: string, receivedAt: string, receipt: unknown } | { id: string, reason: string, retryable: boolean }>}
	 */
	async function receive(record, text) {
		const id = typeof record?.id === 'string' ? record.id : '';
		if (!validateRecord(record)) {
			const problem = validateRecord.errors?.[0];
			return {
				id,
				reason:
					`The record does not follow /schemas/record.json: ${problem?.instancePath || '(record)'} ${problem?.message ?? ''}`.trim(),
				retryable: false
			};
		}
		const digest = recordDigest(record);
		if (digest !== record.digest) {
			return {
				id,
				reason: `The digest does not match the record's content (computed ${digest}): the record was changed after it was made.`,
				retryable: false
			};
		}
		let published;
		try {
			published = await hashes.hash(record.statement);
		} catch (error) {
			return {
				id,
				reason: `The statements site could not be read to check the statement hash (${/** @type {Error} */ (error).message}).`,
				retryable: true
			};
		}
		if (published === undefined) {
			return {
				id,
				reason: `Version ${record.statement.version} (${record.statement.locale}) of "${record.statement.id}" is not published on the statements site known to this receiver.`,
				retryable: true
			};
		}
		if (published !== record.statement.hash) {
			return {
				id,
				reason: `statement.hash ${record.statement.hash} is not the published hash of ${record.statement.id} ${record.statement.version} (${record.statement.locale}).`,
				retryable: false
			};
		}
		const receivedAt = new Date().toISOString();
		const receipt = {
			alg: 'Ed25519',
			kid: options.key.kid,
			id,
			digest,
			receivedAt,
			signature: sign(
				null,
				Buffer.from(receiptPayload({ id, digest, receivedAt })),
				options.key.privateKey
			).toString('base64url')
		};
		// One statement: the row is written whole or not at all, and a second copy never.
		const inserted = await options.database.query(
			`insert into assent_records
				(id, digest, body, record, action, subject, partner, statement_id, statement_version,
				 statement_hash, received_at, receipt)
			values ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12::jsonb)
			on conflict (id) do nothing
			returning id`,
			[
				id,
				digest,
				text,
				text,
				record.action,
				record.subject,
				record.partner,
				record.statement.id,
				record.statement.version,
				record.statement.hash,
				receivedAt,
				JSON.stringify(receipt)
			]
		);
		if (inserted.rows.length > 0) return { id, receivedAt, receipt };
		const { rows } = await options.database.query(
			'select digest, received_at, receipt from assent_records where id = $1',
			[id]
		);
		const known = rows[0];
		if (!known || known.digest !== digest) {
			return {
				id,
				reason: 'A different record with this id was received before; ids must be unique.',
				retryable: false
			};
		}
		const receipt0 = typeof known.receipt === 'string' ? JSON.parse(known.receipt) : known.receipt;
		return { id, receivedAt: receipt0.receivedAt, receipt: receipt0 };
	}

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 * @returns {Promise<void>}
	 */
	async function handle(req, res) {
		const url = new URL(req.url ?? '/', 'http://receiver');
		const origin = req.headers.origin;
		/** @type {Record<string, string>} */
		const cors =
			origin && origins.has(origin)
				? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' }
				: { Vary: 'Origin' };
		for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);

		if (url.pathname === `${path}/key` && req.method === 'GET') {
			return reply(res, 200, { alg: 'Ed25519', kid: options.key.kid, jwk: publicJwk });
		}
		if (url.pathname === `${path}/health` && req.method === 'GET') {
			await options.database.query('select 1');
			return reply(res, 200, { ok: true, database: options.database.kind });
		}
		if (url.pathname !== path && url.pathname !== `${path}/`) {
			return refuse(res, 404, 'not-found', `Records are posted to ${path}.`);
		}
		if (req.method === 'OPTIONS') {
			if (!origin || !origins.has(origin)) {
				return refuse(res, 403, 'origin', `The origin ${origin} may not send records here.`);
			}
			res.writeHead(204, {
				'Access-Control-Allow-Methods': 'POST',
				'Access-Control-Allow-Headers': 'content-type, authorization, idempotency-key',
				'Access-Control-Max-Age': '600'
			});
			res.end();
			return;
		}
		if (req.method !== 'POST') {
			return refuse(res, 405, 'method', `Use POST ${path} with a JSON body { "records": [...] }.`);
		}
		if (origin && !origins.has(origin)) {
			return refuse(
				res,
				403,
				'origin',
				`The origin ${origin} may not send records here; the operator lists allowed origins in ASSENT_RECEIVER_ORIGINS.`
			);
		}
		if (!authorized(req.headers.authorization)) {
			return refuse(
				res,
				401,
				'token',
				'A valid "Authorization: Bearer <token>" header is required.'
			);
		}
		const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
		// Browsers send page-hide flushes as simple requests, which may carry text/plain.
		if (type !== 'application/json' && type !== 'text/plain') {
			return refuse(res, 415, 'content-type', 'Send the body as Content-Type: application/json.');
		}
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		for await (const chunk of req) {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				res.setHeader('Connection', 'close');
				return refuse(
					res,
					413,
					'too-large',
					`The body is larger than ${MAX_BODY_BYTES / 1024} KB; send fewer records per request.`
				);
			}
			chunks.push(chunk);
		}
		const body = Buffer.concat(chunks).toString('utf8');
		/** @type {any} */
		let parsed;
		try {
			parsed = JSON.parse(body);
		} catch (error) {
			return refuse(
				res,
				400,
				'json',
				`The body is not JSON: ${/** @type {Error} */ (error).message}`
			);
		}
		if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.records)) {
			return refuse(res, 400, 'shape', 'The body must be an object { "records": [ ... ] }.');
		}
		if (parsed.records.length > MAX_RECORDS) {
			return refuse(res, 400, 'too-many', `Send at most ${MAX_RECORDS} records per request.`);
		}
		const texts = recordTexts(body);
		/** @type {unknown[]} */
		const accepted = [];
		/** @type {unknown[]} */
		const rejected = [];
		for (const [i, record] of parsed.records.entries()) {
			// Exact text when the body could be split, else the record as parsed.
			const text =
				texts && texts.length === parsed.records.length ? texts[i] : JSON.stringify(record);
			const outcome = await receive(record, /** @type {string} */ (text));
			if ('reason' in outcome) rejected.push(outcome);
			else accepted.push(outcome);
		}
		log(
			`receiver: ${accepted.length} accepted, ${rejected.length} rejected` +
				(req.headers['idempotency-key'] ? ` (batch ${req.headers['idempotency-key']})` : '')
		);
		return reply(res, 200, { accepted, rejected });
	}

	return {
		handle: (req, res) => {
			handle(req, res).catch((/** @type {Error} */ error) => {
				log(`receiver: ${error.stack ?? error.message}`);
				if (!res.headersSent) {
					refuse(
						res,
						500,
						'server',
						'The receiver failed; nothing of this record was stored. Try again.'
					);
				} else res.destroy();
			});
		}
	};
}
