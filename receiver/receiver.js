/**
 * The reference sync receiver: the wire protocol of SPEC section 7 on PostgreSQL. Each record is
 * checked (schema, digest, published statement hash), stored once by id with its JSON text
 * exactly as sent, and acknowledged with the server's receive time and a signed receipt.
 *
 * This file puts the parts together and runs them on a server: `transport.js` speaks HTTP,
 * `batch.js` checks a batch and stores it, `intake.js` holds the checks against what the site
 * publishes, `standing.js` answers where a subject stands.
 */
import { createServer } from 'node:http';
import { batchIntake } from './batch.js';
import { openDatabase } from './database.js';
import { intakeChecks, publishedPartners } from './intake.js';
import { loadSigningKey, publicKeyDocument } from './receipts.js';
import { standingHandler } from './standing.js';
import { partnersDocument } from './site-documents.js';
import { publishedStatements } from './statements.js';
import { subjectChecks } from './subjects.js';
import { fail, httpTransport, reply } from './transport.js';
import { operatorApi } from './operator/index.js';
import { webhookOutbox } from './webhooks.js';

export { MAX_BODY_BYTES, MAX_RECORDS } from './transport.js';
/** How long a client has to send a whole request, headers and body. */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * @typedef {import('./types.js').ReceiverOptions} ReceiverOptions
 * @typedef {import('./types.js').StartReceiverOptions} StartReceiverOptions
 * @typedef {import('./types.js').Receiver} Receiver
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
	const statements = publishedStatements({
		site: options.site,
		...(options.refreshSeconds !== undefined ? { refreshSeconds: options.refreshSeconds } : {})
	});
	// One read of /partners.json feeds both the partner checks and the subject tokens' keys.
	const partnersFile = partnersDocument({
		site: options.site,
		...(options.refreshSeconds !== undefined ? { refreshSeconds: options.refreshSeconds } : {})
	});
	const partners = publishedPartners({ site: options.site, document: partnersFile });
	const intake = intakeChecks({
		partners,
		statements,
		...(options.siteOrigin !== undefined
			? { siteOrigin: /** @type {string} */ (checkedOrigins([options.siteOrigin])[0]) }
			: {}),
		...(options.skewSeconds !== undefined ? { skewSeconds: options.skewSeconds } : {}),
		now
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
		partners: partnersFile,
		...(options.subjects !== undefined ? { policy: options.subjects } : {}),
		...(options.refreshSeconds !== undefined ? { refreshSeconds: options.refreshSeconds } : {})
	});
	const standing = standingHandler({
		database: () => database,
		origins,
		subjects,
		now,
		fail
	});
	const webhooks = webhookOutbox({ options: options.webhooks, database: () => database, log, now });
	const operator = operatorApi({
		path,
		tokens: options.operatorTokens,
		database: () => database,
		statements,
		siteOrigin: audience,
		publicKey,
		signingKey: key,
		now,
		log,
		fail,
		reply,
		redelivered: () => webhooks.wake()
	});

	const ready = (async () => {
		for (const published of [statements, partners]) {
			try {
				await published.load();
			} catch (error) {
				// A folder is the operator's own build: a wrong one is a mistake to fix now. A site
				// behind a URL may be down for a moment; records wait (retryable) until it answers.
				if (!/^https?:\/\//i.test(published.source)) throw error;
				log(`receiver: ${/** @type {Error} */ (error).message}`);
			}
		}
		// The subject tokens' keys came with the partners' read of /partners.json just above.
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

	const batches = batchIntake({
		key,
		statements,
		intake,
		subjects,
		...(options.policy ? { policy: options.policy } : {}),
		database: () => database,
		webhooks,
		now,
		log
	});
	const handle = httpTransport({
		path,
		origins,
		...(options.token ? { token: options.token } : {}),
		publicKey,
		database: () => database,
		standing,
		operator,
		receive: batches.receive,
		log
	});

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
					if (databaseUnreachable(error)) {
						// A stopped or restarting database: the request is fine, the moment is not.
						return fail(
							res,
							503,
							'unavailable',
							'The receiver cannot reach its database and stored nothing from this request. Send it again after Retry-After seconds.',
							{ 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) }
						);
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
	const {
		port = 4175,
		host = '127.0.0.1',
		requestTimeoutMs = REQUEST_TIMEOUT_MS,
		...receiverOptions
	} = options;
	const receiver = createReceiver(receiverOptions);
	try {
		await receiver.ready;
	} catch (error) {
		await receiver.close();
		throw error;
	}
	// A client that trickles its headers or body must not hold a connection for minutes. Node
	// checks these limits on a timer (every 30 s by default) and gives headers 60 s of their
	// own, which let a slow client stay for up to 90 s: the same limit for both, checked often.
	const server = createServer(
		{
			requestTimeout: requestTimeoutMs,
			headersTimeout: requestTimeoutMs,
			connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(requestTimeoutMs / 10)))
		},
		receiver.handle
	);
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

/** How long a client waits before sending again while the database cannot be reached. */
const UNAVAILABLE_RETRY_SECONDS = 5;

/**
 * Whether an error says the database could not be reached or went away (refused or lost
 * connections; PostgreSQL's SQLSTATE classes 08 connection exception and 57P admin shutdown,
 * crash shutdown, cannot connect now), rather than that something is wrong with the request.
 * @param {unknown} error
 */
export function databaseUnreachable(error) {
	const { code, message } = /** @type {{ code?: unknown, message?: unknown }} */ (error ?? {});
	if (
		typeof code === 'string' &&
		/^(08|57P0[1-3]|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT)/.test(code)
	) {
		return true;
	}
	return (
		typeof message === 'string' &&
		/Connection terminated|connection (?:is )?closed|Client has encountered a connection error/i.test(
			message
		)
	);
}
