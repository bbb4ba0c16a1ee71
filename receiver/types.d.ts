// The reference receiver's public types. The code is plain JavaScript; these declarations are
// what editors and `npm run check` read.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import type { Receipt } from '../src/lib/core/evidence';

export interface ReceiverOptions {
	/**
	 * Where records are kept: a `postgres://` URL (a PostgreSQL server), a folder (embedded
	 * PGlite keeps its data there), `memory://` (PGlite for the life of the process), or a
	 * database opened with `openDatabase`, which the caller then closes.
	 */
	database: string | Database;
	/**
	 * The statements site, as its base URL (`https://statements.example.com/`) or its built
	 * folder (`build`): each record's `statement.hash` is checked against the site's
	 * `statements/index.json`.
	 */
	site: string;
	/**
	 * Web origins whose pages may send records from a browser, matched exactly
	 * (`https://partner.example`, no trailing slash). Requests without an `Origin` header
	 * (servers, scripts) are not limited by it.
	 * @default [] (no browser page may send)
	 */
	origins?: string[];
	/**
	 * The Ed25519 key that signs receipts: a PKCS#8 PEM file (made there on first start when
	 * missing), a private `KeyObject`, or what `loadSigningKey` returned.
	 * @default a new key in memory: its receipts cannot be verified after the process ends
	 */
	signingKey?: string | KeyObject | SigningKey;
	/** The former name of `signingKey`. @deprecated */
	key?: SigningKey;
	/**
	 * A secret every POST must carry as `Authorization: Bearer <token>`.
	 * @default none: any client allowed by `origins` (and any server) may send
	 */
	token?: string;
	/**
	 * Where records are posted. `<path>/key` (the receipt key) and `<path>/health` sit beside it.
	 * @default '/acceptances'
	 */
	path?: string;
	/**
	 * The least time, in seconds, between two reads of the statements index when a record names
	 * a version not seen yet (a site just rebuilt). Known versions never cause a read.
	 * @default 30
	 */
	refreshSeconds?: number;
	/**
	 * The statements site's origin (`https://statements.example.com`): records made in the
	 * widget's frame (`presentation.embed: "iframe"`) must be sent from it.
	 * @default the origin of each record's `statement.url`
	 */
	siteOrigin?: string;
	/**
	 * How many seconds a record's `at` may be ahead of the receiver's clock (browsers' clocks
	 * drift); also the leeway around the day a version comes into force.
	 * @default 300
	 */
	skewSeconds?: number;
	/**
	 * The operator's own rules, run on each record that passed every check, e.g. verifying
	 * `subjectToken` with the partner. Answer a refusal to reject the record.
	 * @default every checked record is accepted
	 */
	policy?: (options: {
		record: Record<string, unknown>;
	}) => PolicyRefusal | undefined | Promise<PolicyRefusal | undefined>;
	/**
	 * Whether a record needs a subject token (SPEC section 8): `verified` refuses records without
	 * one (`subject-token/missing`); `unverified` accepts them, marked unverified in the database
	 * (`subject_verified`) and in their receipt (`"subject": "unverified"`). A token that is given
	 * is verified under both; a failed one refuses the record for good.
	 * @default 'verified'
	 */
	subjects?: 'verified' | 'unverified';
	/**
	 * Tokens of the operator's API (SPEC section 9, `<path>/subjects…`, `<path>/statements/…`,
	 * `<path>/webhooks/…`), by name: each call is logged with the name of the token it carried.
	 * @default none: the operator's API answers 401 to everyone
	 */
	operatorTokens?: Record<string, string>;
	/**
	 * Where each stored record, and each change of standing it causes, is posted, signed as
	 * Standard Webhooks says with `secret` (`whsec_<base64>`).
	 * @default none: no events are kept or sent
	 */
	webhooks?: WebhookOptions;
	/**
	 * The origin subject tokens must name as `aud`.
	 * @default the origin of the site's published `baseUrl` (statements/index.json), else of
	 *   `site` when it is a URL
	 */
	audience?: string;
	/**
	 * Where one line per batch, and each failure, is written.
	 * @default console.log
	 */
	log?: (line: string) => void;
	/**
	 * The clock for `receivedAt`.
	 * @default () => new Date()
	 */
	now?: () => Date;
}

export interface PolicyRefusal {
	/** Shown to people beside the record: say what is wrong. */
	reason: string;
	/** Whether the same record may be accepted later. @default false */
	retryable?: boolean;
}

export interface StartReceiverOptions extends ReceiverOptions {
	/** The port to listen on; 0 picks a free one. @default 4175 */
	port?: number;
	/** The interface to listen on. @default '127.0.0.1' */
	host?: string;
	/**
	 * How long a client has to send its whole request (headers and body), in ms; a slower one
	 * is answered `408` and disconnected. @default 30000
	 */
	requestTimeoutMs?: number;
}

export interface Receiver {
	/**
	 * A Node request listener for the receiver's paths. Requests for other paths go to `next`
	 * when given (so it mounts in a server of your own), else get a 404.
	 */
	handle(req: IncomingMessage, res: ServerResponse, next?: () => void): void;
	/** The path records are posted to, without a trailing slash. */
	path: string;
	/** What `<path>/key` serves. */
	publicKey: PublicKeyDocument;
	/**
	 * Settles once the database is open (tables created) and the statements index read;
	 * rejects with what to fix when either fails. Requests wait for it.
	 */
	ready: Promise<void>;
	/** The database, once `ready`. */
	readonly database: Database | undefined;
	/** Closes the database when the receiver opened it. */
	close(): Promise<void>;
}

export interface RunningReceiver {
	/** Where records are posted, e.g. `http://127.0.0.1:4175/acceptances`. */
	url: string;
	/** `http://host:port`. */
	origin: string;
	port: number;
	receiver: Receiver;
	/** Stops listening (requests in progress finish), then closes the receiver. */
	close(): Promise<void>;
}

export interface Queryable {
	/** One statement with `$1`-style parameters. */
	query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface Database extends Queryable {
	kind: 'pglite' | 'postgresql';
	/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
	transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
	close(): Promise<void>;
}

export interface OpenDatabaseOptions {
	/**
	 * A `postgres://` or `postgresql://` URL for a PostgreSQL server, a folder for embedded
	 * PGlite data, or `memory://` for PGlite in memory (tests, benchmarks).
	 * @default 'memory://'
	 */
	database?: string;
	/** Connections to a PostgreSQL server. @default 10 */
	poolSize?: number;
	/** Where lost connections are reported. @default console.error */
	log?: (line: string) => void;
}

export interface PublishedStatementsOptions {
	/** The statements site's base URL, its built folder, or its `statements/index.json`. */
	site: string;
	/**
	 * The least time, in seconds, between two reads of the index, so records naming an unknown
	 * version cannot flood the site.
	 * @default 30
	 */
	refreshSeconds?: number;
	/** @default globalThis.fetch */
	fetch?: typeof fetch;
	/** The clock, in milliseconds. @default Date.now */
	now?: () => number;
}

export interface SigningKey {
	privateKey: KeyObject;
	publicKey: KeyObject;
	/** The RFC 7638 thumbprint of the public key (base64url): the receipts' `kid`. */
	kid: string;
	/** The PEM file the key was read from or written to. */
	path: string | undefined;
	/** Whether this call made the key rather than reading it. */
	created: boolean;
}

export interface PublicKeyDocument {
	alg: 'Ed25519';
	kid: string;
	/** The public key as a JWK (`kty: "OKP"`, `crv: "Ed25519"`), with `kid`, `alg` and `use`. */
	jwk: JsonWebKey & { kid: string; alg: 'EdDSA'; use: 'sig' };
	/** The public key as SPKI PEM. */
	pem: string;
}

/**
 * The receiver's signed word that it holds a record (SPEC section 6): the one type the browser,
 * the verifier and the receiver share.
 */
export type { Receipt };

export interface Accepted {
	id: string;
	receivedAt: string;
	receipt: Receipt;
}

export interface Rejected {
	id: string;
	reason: string;
	retryable: boolean;
}

export interface ReceiverDefaults {
	/** @default 4175 */
	port?: number;
	/** @default '127.0.0.1' */
	host?: string;
	/** The statements site's URL or built folder. @default 'build' */
	site?: string;
	/** Browser origins allowed when `ASSENT_RECEIVER_ORIGINS` is not set. @default [] */
	origins?: string[];
}

export interface WebhookOptions {
	/** The endpoints, each sent every event. */
	urls: string[];
	/** The Standard Webhooks secret, `whsec_<base64 of 24 to 64 bytes>`. */
	secret: string;
	/** Delay before the first retry, in ms; doubled after each failure. @default 5000 */
	retryMs?: number;
	/** The longest delay between two attempts, in ms. @default 3600000 (an hour) */
	maxRetryMs?: number;
	/** How often the outbox is looked at when nothing woke it, in ms. @default 1000 */
	pollMs?: number;
	/** How long one delivery may take, in ms. @default 10000 */
	timeoutMs?: number;
	/**
	 * Attempts after which a delivery is given up: `failed` in the delivery log, not tried again
	 * until an operator sends it again. @default 30 (about 20 hours of backoff at the defaults)
	 */
	maxAttempts?: number;
	/** @default globalThis.fetch */
	fetch?: typeof fetch;
}
