export interface paths {
	'/acceptances': {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * Deliver a batch of acceptance records
		 * @description Each record is checked on its own: a record that fails is listed in `rejected` and the others are still accepted. The reference receiver checks each record against the `Record` schema (also published on its own at `/schemas/record.json`), recomputes its `digest` (SHA-256 of the RFC 8785 canonical JSON of the record without `digest`), compares `statement.hash` with the hash the statements site publishes in `/statements/index.json` (an unknown version is `retryable`, a wrong hash is not), stores it once by id with its JSON text exactly as sent, and answers with its receive time and a signed receipt.
		 */
		post: operations['pushRecords'];
		delete?: never;
		/**
		 * CORS preflight
		 * @description Allowed origins get `Access-Control-Allow-Origin` (the origin itself), `Access-Control-Allow-Methods: POST`, `Access-Control-Allow-Headers: content-type, authorization, idempotency-key` and `Access-Control-Max-Age`. Browsers cache the answer, so a record sent as the page closes (`fetch` with `keepalive`) needs no new preflight.
		 */
		options: operations['preflight'];
		head?: never;
		patch?: never;
		trace?: never;
	};
	'/acceptances/key': {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/**
		 * The public key that verifies receipts (reference receiver)
		 * @description Readable from any origin. Keep the keys of earlier `kid`s when the key is rotated: old receipts stay verifiable with them.
		 */
		get: operations['receiptKey'];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	'/acceptances/health': {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/** Readiness (reference receiver) */
		get: operations['health'];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	'/acceptances/standing': {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/** A subject's records, with a subject token (SPEC section 8) */
		get: operations['subjectRecords'];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	'/acceptances/subjects/{subject}/standing': {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/** A subject's standing with a statement and a partner (operator) */
		get: operations['operatorStanding'];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	'/acceptances/subjects': {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/** Subjects of a statement and their standing, paged (operator) */
		get: operations['operatorSubjects'];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	'/acceptances/statements/{statement}/summary': {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/** A statement's acts per version and day, who must accept again, associations per partner (operator) */
		get: operations['operatorSummary'];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	'/acceptances/subjects/{subject}/evidence': {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/** A subject's evidence bundle, assent.evidence/1 (operator) */
		get: operations['operatorEvidence'];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	'/acceptances/webhooks/deliveries': {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		/** The webhook delivery log, newest event first (operator) */
		get: operations['webhookDeliveries'];
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	'/acceptances/webhooks/deliveries/redeliver': {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * Send failed webhook deliveries again (operator)
		 * @description Deliveries given up after the attempt limit (`failed` in the delivery log) go back to `pending`, due now, with a fresh run of attempts; their `lastStatus` and `lastError` stay until the next attempt. With `event`, that event's failed deliveries (only to `url`, if given); without it, every failed delivery (to `url`, if given). Pending and delivered deliveries are left as they are.
		 */
		post: operations['redeliverWebhooks'];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
}
export interface webhooks {
	recordStored: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * A record was stored
		 * @description Signed as the Standard Webhooks specification says with ASSENT_WEBHOOK_SECRET (verify with the `standardwebhooks` library); retried with exponential backoff until a 2xx, at least once, also across a restart. Deduplicate by `webhook-id`.
		 */
		post: operations['recordStored'];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
	standingChanged: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		get?: never;
		put?: never;
		/**
		 * A stored record changed a subject's standing
		 * @description Signed as the Standard Webhooks specification says with ASSENT_WEBHOOK_SECRET (verify with the `standardwebhooks` library); retried with exponential backoff until a 2xx, at least once, also across a restart. Deduplicate by `webhook-id`.
		 */
		post: operations['standingChanged'];
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
}
export interface components {
	schemas: {
		/**
		 * Assent acceptance record
		 * @description One act (accept, decline, associate, disassociate), append-only, never edited (SPEC section 6). `prev` and `digest` chain the records of one browser. Beyond this schema, Assent also requires `at` to be a real instant, `statement.locale` to be a canonical BCP 47 tag, `statement.url` to parse as a URL and `presentation.origin` to be an origin as browsers serialize it. Text fields have bounded lengths (maxLength, in characters), so a record fits any store's index.
		 */
		Record: {
			/**
			 * @description The shape of this record. A new shape gets a new number.
			 * @constant
			 */
			schema: 'assent.record/1';
			/**
			 * Format: uuid
			 * @description A lowercase UUIDv7 whose time is `at` (or slightly later, when the browser's clock went back since its previous record: the ids of one browser sort in creation order); the backend's idempotency key.
			 */
			id: string;
			/** @enum {unknown} */
			action: 'accept' | 'decline' | 'associate' | 'disassociate';
			/**
			 * Format: date-time
			 * @description When the act happened by the browser's clock: ISO 8601, UTC, with milliseconds.
			 */
			at: string;
			/** @description The browser's sequence number: 1 for its first record, then one more each time. */
			seq: number;
			/** @description The host's opaque id of the customer, at most 512 characters. */
			subject: string;
			/** @description Optional, at most 8,192 characters: an opaque assertion of the subject from the partner's backend, never interpreted by Assent. */
			subjectToken?: string;
			/** @description A partner id from partners.yaml, at most 128 characters; null when no partner was involved (accept and decline only). */
			partner: string | null;
			/** @description The statement version the act answered, as published. */
			statement: {
				/** @description The statement id. */
				id: string;
				/** @description The version shown, dotted numbers. */
				version: string;
				/** @description The locale shown, a canonical BCP 47 tag. */
				locale: string;
				/** @description The published hash of that version and locale. */
				hash: components['schemas']['RecordSha256'];
				/**
				 * Format: uri
				 * @description The absolute http(s) URL of that version's page.
				 */
				url: string;
			};
			/** @description How the statement was put in front of the customer. */
			presentation: {
				/** @enum {unknown} */
				embed: 'iframe' | 'inline' | 'page';
				/** @description The web origin of the page the customer was on. */
				origin: string;
				/** @description The exact words next to the checkbox, as shown, at most 2,000 characters. */
				label: string;
				/** @description Optional: whether the customer scrolled the statement to its end. */
				scrolledToEnd?: boolean;
				/**
				 * @description Optional: whether the browser reported the widget visibly shown, unobscured, when the customer answered (true), or "unknown" where it cannot tell (inline mode, browsers without IntersectionObserver v2). The widget refuses to record while it is hidden, so it never writes false.
				 * @enum {unknown}
				 */
				visible?: true | false | 'unknown';
			};
			client: {
				/** @description navigator.userAgent; may be empty; at most 2,048 characters. */
				userAgent: string;
				/** @description assent/<version> of the widget that wrote the record. */
				widget: string;
			};
			/** @description The digest of the previous record of this browser; null only for seq 1. */
			prev: string | null;
			/** @description sha256: + hex SHA-256 of the record's canonical JSON (RFC 8785) without digest. */
			digest: components['schemas']['RecordSha256'];
		};
		/** @description "sha256:" and 64 lowercase hex digits. */
		RecordSha256: string;
		Batch: {
			/** @description Pending records of one browser, oldest first (by `seq`). `maxItems` is the reference receiver's limit. */
			records: components['schemas']['Record'][];
			/** @description `true`: the sender did not build these records and cannot vouch for them (a widget frame sending records the partner page stored for it, which that page could have written). The reference receiver stores them marked relayed and signs `"relayed": true` into their receipts. */
			relayed?: boolean;
		};
		Results: {
			accepted: (string | components['schemas']['Acceptance'])[];
			rejected: components['schemas']['Rejection'][];
		};
		Acceptance: {
			/** @description The record id. */
			id: string;
			/**
			 * Format: date-time
			 * @description When the backend first stored the record (ISO 8601, UTC). The same on every resend.
			 */
			receivedAt?: string;
			receipt?: components['schemas']['Receipt'];
		};
		/** @description Kept by the browser beside the record. This is the reference receiver's shape; other backends may send their own. `signature` is Ed25519 (base64url) over the RFC 8785 canonical JSON of the receipt without `signature`; verify it with the key at `/acceptances/key` whose `kid` matches, and compare `id` and `digest` with the record. */
		Receipt: {
			/** @constant */
			schema: 'assent.receipt/1';
			/** @constant */
			alg: 'Ed25519';
			/** @description The RFC 7638 thumbprint of the signing key. */
			kid: string;
			/** @description The record id. */
			id: string;
			/** @description The record's digest. */
			digest: string;
			/** Format: date-time */
			receivedAt: string;
			/**
			 * @description Present when the record came in a relayed batch: the sender did not vouch for it.
			 * @constant
			 */
			relayed?: true;
			/** @description base64url, no padding. */
			signature: string;
		};
		Rejection: {
			/** @description The record id; empty when the record had none. */
			id: string;
			/** @description Shown to people beside the record: what is wrong. */
			reason: string;
			/**
			 * @description True when sending the same record later may succeed (e.g. a statement version the backend has not seen yet).
			 * @default false
			 */
			retryable: boolean;
		};
		/** @description A refusal of the request as a whole. */
		Problem: {
			/** @description A stable code: invalid-json, invalid-body, too-many-records, unauthorized, origin-not-allowed, not-found, method-not-allowed, payload-too-large, unsupported-media-type, internal-error, unavailable; reading: invalid-query, invalid-token, forbidden-subject, unknown-statement. */
			error: string;
			/** @description What is wrong and what to do, for people. */
			message: string;
		};
		Key: {
			/** @constant */
			alg: 'Ed25519';
			kid: string;
			jwk: {
				/** @constant */
				kty: 'OKP';
				/** @constant */
				crv: 'Ed25519';
				x: string;
				kid: string;
				/** @constant */
				alg?: 'EdDSA';
				/** @constant */
				use?: 'sig';
			};
			/** @description SPKI, PEM. */
			pem: string;
		};
		Health: {
			/** @constant */
			status: 'ok';
			/** @enum {unknown} */
			database?: 'pglite' | 'postgresql';
			path?: string;
		};
		VersionChange: {
			version: string;
			/** @enum {string} */
			change: 'initial' | 'minor' | 'material';
		};
		Association: {
			/**
			 * @description Decided by the newest associate or disassociate record for the partner.
			 * @enum {string}
			 */
			state: 'associated' | 'disassociated' | 'never';
			/**
			 * Format: date-time
			 * @description The `at` of that record.
			 */
			since?: string;
			/** @description The version of the association statement that record names. */
			version?: string;
		};
		/** @description Where a subject stands with a statement (and a partner), by the rules of the widget's `src/lib/core/status.ts`. */
		OperatorStanding: {
			subject: string;
			statement: string;
			/** @description The version in force now; null while every version is announced. */
			inForce: string | null;
			/** @description The version of the newest accept (or associate) record; with `partner`, only acts on that partner's behalf count. */
			accepted: string | null;
			/** Format: date-time */
			acceptedAt: string | null;
			mustAccept: boolean;
			/** @enum {string} */
			reason: 'never-accepted' | 'material-change' | 'up-to-date' | 'nothing-in-force';
			/** @description Versions after the accepted one up to the one in force. */
			changedSince: components['schemas']['VersionChange'][];
			partner?: string;
			association?: components['schemas']['Association'];
			/** @description The ids of the records that decide it. */
			records: {
				/** Format: uuid */
				acceptance?: string;
				/** Format: uuid */
				association?: string;
			};
		};
		SubjectList: {
			statement: string;
			partner?: string;
			/** @enum {string} */
			needs?: 'acceptance';
			subjects: components['schemas']['OperatorStanding'][];
			/** @description Present when more may follow: pass it as `cursor`, with the same query. */
			next?: string;
		};
		ActCounts: {
			accept: number;
			decline: number;
			associate: number;
			disassociate: number;
		};
		StatementSummary: {
			statement: string;
			/** Format: date-time */
			generatedAt: string;
			inForce: string | null;
			versions: {
				version: string;
				/** Format: date */
				issued?: string;
				/** Format: date */
				effective?: string;
				/** @enum {string} */
				change?: 'initial' | 'minor' | 'material';
				acts: components['schemas']['ActCounts'];
				/** @description Subjects whose latest acceptance is this version. */
				subjectsAccepted: number;
				days: (components['schemas']['ActCounts'] & {
					/**
					 * Format: date
					 * @description The UTC day of the acts' `at`.
					 */
					day: string;
				})[];
			}[];
			subjects: {
				total: number;
				mustAccept: number;
				byReason: {
					[key: string]: number;
				};
			};
			partners: {
				partner: string;
				associated: number;
				disassociated: number;
			}[];
		};
		/** @description `assent.evidence/1` (its JSON Schema: /schemas/evidence.json): a subject's records exactly as received with their receipts, the statement versions they name as the site publishes them, the receiver's public key and the steps to verify. /verify/ on the statements site and scripts/verify.js check one. */
		EvidenceBundle: {
			/** @constant */
			format: 'assent.evidence/1';
			subject: string;
			/** Format: date-time */
			generatedAt: string;
			/** @description The receiver's records URL. */
			receiver?: string;
			/** @description The statements site whose /statements/index.json the statement hashes are checked against. */
			site?: string;
			key: {
				/** @constant */
				alg: 'Ed25519';
				/** @description The RFC 7638 thumbprint of jwk: every receipt's kid. */
				kid: string;
				jwk: Record<string, never>;
				/** @description The same key as SPKI PEM. */
				pem?: string;
			};
			/** @description Every record the receiver holds for the subject, in the order it received them. */
			records: {
				/** @description The record's JSON text exactly as received. */
				raw: string;
				record: components['schemas']['Record'];
				/** Format: date-time */
				receivedAt: string;
				receipt: components['schemas']['Receipt'];
			}[];
			/** @description `assent.manifest/1`: the receiver's signed list of the records in the bundle, so a record taken out of the file (or added to it) is caught. Ed25519 with the receipt key over the RFC 8785 canonical JSON of the manifest without `signature`, like a receipt. Bundles from older receivers have none. */
			manifest?: {
				/** @constant */
				schema: 'assent.manifest/1';
				/** @constant */
				alg: 'Ed25519';
				/** @description The thumbprint of the signing key: key.kid. */
				kid: string;
				subject: string;
				/** Format: date-time */
				generatedAt: string;
				/** @description How many records the bundle holds. */
				count: number;
				/** @description Each record's [id, digest], in the bundle's order. */
				records: string[][];
				/** @description Ed25519, base64url without padding. */
				signature: string;
			};
			/** @description Each statement version the records name, once, as the site publishes it at /statements/<id>/<version>/<locale>.json. */
			statements: {
				id: string;
				version: string;
				locale: string;
				title: string;
				/** Format: date */
				issued?: string;
				/** Format: date */
				effective?: string;
				/** @enum {string} */
				change?: 'initial' | 'minor' | 'material';
				summary?: string | null;
				hash: string;
				/** @description The sanitized HTML the site publishes. */
				html: string;
			}[];
			verify: string[];
		};
		DeliveryLog: {
			deliveries: {
				/** @description The webhook-id. */
				event: string;
				/** @enum {string} */
				type: 'record.stored' | 'standing.changed';
				/** @description The subject the event is about: the record's, or the one whose standing changed. */
				subject: string | null;
				/** @description The statement the event is about. */
				statement: string | null;
				/** @description For `record.stored`, the stored record's id; null for `standing.changed`. */
				record: string | null;
				/** Format: date-time */
				createdAt: string;
				url: string;
				/**
				 * @description `failed`: given up after the receiver's attempt limit (ASSENT_WEBHOOK_MAX_ATTEMPTS); sent again only when an operator asks.
				 * @enum {string}
				 */
				status: 'pending' | 'delivered' | 'failed';
				attempts: number;
				/** Format: date-time */
				lastAttemptAt: string | null;
				lastStatus: number | null;
				/** @description The last failure, kept after a later success. */
				lastError: string | null;
				/** Format: date-time */
				deliveredAt: string | null;
				/** Format: date-time */
				nextAttemptAt: string | null;
			}[];
			/** @description Present when more deliveries follow: pass it back as `cursor` for the next page. */
			next?: string;
		};
		Redelivered: {
			/** @description Deliveries pending again. */
			redelivered: number;
		};
		SubjectRecords: {
			subject: string;
			records: {
				record: components['schemas']['Record'];
				/** Format: date-time */
				receivedAt: string;
				receipt: components['schemas']['Receipt'];
			}[];
			next?: string;
		};
		WebhookEvent: {
			/** @enum {string} */
			type: 'record.stored' | 'standing.changed';
			/** Format: date-time */
			timestamp: string;
			/** @description record.stored: `{ record, receivedAt, receipt }`; standing.changed: `{ subject, statement, partner, before, after }`, each side `{ accepted: { version, record } | null }`, with a partner also `acceptedForPartner` and `association: { state, since, version, record }`. */
			data: Record<string, never>;
		};
	};
	responses: {
		/** @description Try again later: browsers back off and honour Retry-After. The reference receiver answers 500 with a Problem when it failed; it stored nothing from the request. */
		Retry: {
			headers: {
				/** @description Seconds, or an HTTP date. */
				'Retry-After'?: string;
				[name: string]: unknown;
			};
			content: {
				'application/json': components['schemas']['Problem'];
			};
		};
		/** @description No operator token, or not one of ASSENT_OPERATOR_TOKENS (`unauthorized`). */
		OperatorUnauthorized: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				'application/json': components['schemas']['Problem'];
			};
		};
		/** @description A browser page on another origin than the statements site (`origin-not-allowed`). */
		OperatorForbidden: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				'application/json': components['schemas']['Problem'];
			};
		};
		/** @description A missing or bad parameter (`invalid-query`); the message names it. */
		InvalidQuery: {
			headers: {
				[name: string]: unknown;
			};
			content: {
				'application/json': components['schemas']['Problem'];
			};
		};
	};
	parameters: never;
	requestBodies: never;
	headers: never;
	pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
	pushRecords: {
		parameters: {
			query?: never;
			header?: {
				/** @description Identifies the batch: the same records resent carry the same key. For logs and traces only; record ids are what make delivery idempotent. */
				'Idempotency-Key'?: string;
				/** @description Set by browsers. The reference receiver answers 403 to an origin it is not configured to allow, and sends CORS headers only to allowed ones. Requests without it (servers) are not limited. */
				Origin?: string;
			};
			path?: never;
			cookie?: never;
		};
		/** @description At most 512 KB (the widget never sends more; the reference receiver answers 413 above it). The widget sends at most 100 records a request by default; the reference receiver takes at most 500 (400 above it). `text/plain` with the same JSON is also taken by the reference receiver, as it is the one type a browser sends without a CORS preflight (e.g. `navigator.sendBeacon`). */
		requestBody: {
			content: {
				'application/json': components['schemas']['Batch'];
				'text/plain': components['schemas']['Batch'];
			};
		};
		responses: {
			/** @description Per-record results: every record sent is named in `accepted` or `rejected`. */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Results'];
				};
			};
			/** @description Every record of the batch accepted (a backend without per-record results). */
			204: {
				headers: {
					[name: string]: unknown;
				};
				content?: never;
			};
			/** @description The body is not JSON (`invalid-json`), has no `records` array (`invalid-body`), or carries more records than the backend takes (`too-many-records`). Not retried: the records are marked rejected with the message. */
			400: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
			/** @description `unauthorized`: the token is missing or wrong. */
			401: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
			/** @description `origin-not-allowed`: the browser page's origin may not send records here. */
			403: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
			/** @description `method-not-allowed`: records are sent with POST. */
			405: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
			408: components['responses']['Retry'];
			/** @description The backend already holds these records: browsers settle them as accepted. */
			409: {
				headers: {
					[name: string]: unknown;
				};
				content?: never;
			};
			/** @description `payload-too-large`: the body is larger than 512 KB. */
			413: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
			/** @description `unsupported-media-type`: the body is not sent as `application/json` (UTF-8). */
			415: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
			429: components['responses']['Retry'];
			500: components['responses']['Retry'];
			503: components['responses']['Retry'];
		};
	};
	preflight: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description The origin may POST. */
			204: {
				headers: {
					'Access-Control-Allow-Origin'?: string;
					'Access-Control-Allow-Methods'?: 'POST';
					'Access-Control-Allow-Headers'?: string;
					'Access-Control-Max-Age'?: string;
					[name: string]: unknown;
				};
				content?: never;
			};
			/** @description `origin-not-allowed`, without CORS headers. */
			403: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
		};
	};
	receiptKey: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description The Ed25519 public key as a JWK and as PEM, with its key id. */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Key'];
				};
			};
		};
	};
	health: {
		parameters: {
			query?: never;
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description Ready: the database answers. */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Health'];
				};
			};
			/** @description `unavailable`: the database does not answer. */
			503: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
		};
	};
	subjectRecords: {
		parameters: {
			query: {
				/** @description The subject the token vouches for. */
				subject: string;
				/** @description Records per page, 1 to 10000. */
				limit?: number;
				/** @description The `next` of the previous page. */
				cursor?: string;
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description The records held for the subject, oldest act first. */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['SubjectRecords'];
				};
			};
			400: components['responses']['InvalidQuery'];
			/** @description No bearer token (`unauthorized`), or a token that failed a check (`invalid-token`). */
			401: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
			/** @description A token for another subject (`forbidden-subject`), or a page on an origin not allowed. */
			403: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
			/** @description The keys cannot be read now (`unavailable`). */
			503: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
		};
	};
	operatorStanding: {
		parameters: {
			query: {
				/** @description The statement id. */
				statement: string;
				/** @description A partner id: acceptance counts acts on its behalf only, and the association with it is given. */
				partner?: string;
			};
			header?: never;
			path: {
				/** @description The subject, URL-encoded. */
				subject: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description The standing. */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['OperatorStanding'];
				};
			};
			400: components['responses']['InvalidQuery'];
			401: components['responses']['OperatorUnauthorized'];
			403: components['responses']['OperatorForbidden'];
			/** @description The site publishes no such statement (`unknown-statement`). */
			404: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
		};
	};
	operatorSubjects: {
		parameters: {
			query: {
				/** @description The statement id. */
				statement: string;
				/** @description `acceptance`: only subjects who must accept the version in force. */
				needs?: 'acceptance';
				/** @description Only subjects with acts for this partner. */
				partner?: string;
				/** @description Subjects per page, 1 to 1000. */
				limit?: number;
				/** @description The `next` of the previous page, with the same query. */
				cursor?: string;
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description A page of subjects in subject order; every page but the last holds `limit` subjects. */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['SubjectList'];
				};
			};
			400: components['responses']['InvalidQuery'];
			401: components['responses']['OperatorUnauthorized'];
			403: components['responses']['OperatorForbidden'];
			/** @description The site publishes no such statement (`unknown-statement`). */
			404: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
		};
	};
	operatorSummary: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				statement: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description The summary. */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['StatementSummary'];
				};
			};
			401: components['responses']['OperatorUnauthorized'];
			403: components['responses']['OperatorForbidden'];
			/** @description The site publishes no such statement (`unknown-statement`). */
			404: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
		};
	};
	operatorEvidence: {
		parameters: {
			query?: never;
			header?: never;
			path: {
				/** @description The subject, URL-encoded. */
				subject: string;
			};
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description The bundle, as an attachment. */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['EvidenceBundle'];
				};
			};
			400: components['responses']['InvalidQuery'];
			401: components['responses']['OperatorUnauthorized'];
			403: components['responses']['OperatorForbidden'];
			/** @description A statement version the records name cannot be read from the statements site now (`unavailable`); try again later. */
			503: {
				headers: {
					/** @description Seconds. */
					'Retry-After'?: string;
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
		};
	};
	webhookDeliveries: {
		parameters: {
			query?: {
				/** @description Rows per page, 1 to 1000. */
				limit?: number;
				/** @description Only the deliveries in this state (e.g. `failed`, to find what needs sending again); left out, every delivery. Pass the same `status` with each page's cursor. */
				status?: 'pending' | 'delivered' | 'failed';
				/** @description The `next` of the previous page, unchanged: an opaque cursor naming the last delivery that page listed, so the next page starts at the delivery after it (an event's deliveries may continue on the next page; each is listed once). A cursor of an earlier receiver (a bare number, naming an event) is refused with `400 invalid-query`: read the log again from its first page. */
				cursor?: string;
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description One row per event and URL. */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['DeliveryLog'];
				};
			};
			400: components['responses']['InvalidQuery'];
			401: components['responses']['OperatorUnauthorized'];
			403: components['responses']['OperatorForbidden'];
		};
	};
	redeliverWebhooks: {
		parameters: {
			query?: {
				/** @description The event's id (its `webhook-id`), as the delivery log gives it. */
				event?: string;
				/** @description Only the deliveries to this endpoint URL, as the delivery log gives it. */
				url?: string;
			};
			header?: never;
			path?: never;
			cookie?: never;
		};
		requestBody?: never;
		responses: {
			/** @description How many deliveries are pending again. */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Redelivered'];
				};
			};
			400: components['responses']['InvalidQuery'];
			401: components['responses']['OperatorUnauthorized'];
			403: components['responses']['OperatorForbidden'];
			/** @description `no-failed-delivery`: the event named has no failed delivery (to that URL): it is pending or delivered, or was never sent. */
			404: {
				headers: {
					[name: string]: unknown;
				};
				content: {
					'application/json': components['schemas']['Problem'];
				};
			};
		};
	};
	recordStored: {
		parameters: {
			query?: never;
			header: {
				'webhook-id': string;
				'webhook-timestamp': string;
				'webhook-signature': string;
			};
			path?: never;
			cookie?: never;
		};
		requestBody: {
			content: {
				'application/json': components['schemas']['WebhookEvent'];
			};
		};
		responses: {
			/** @description Any 2xx settles the delivery. */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content?: never;
			};
		};
	};
	standingChanged: {
		parameters: {
			query?: never;
			header: {
				'webhook-id': string;
				'webhook-timestamp': string;
				'webhook-signature': string;
			};
			path?: never;
			cookie?: never;
		};
		requestBody: {
			content: {
				'application/json': components['schemas']['WebhookEvent'];
			};
		};
		responses: {
			/** @description Any 2xx settles the delivery. */
			200: {
				headers: {
					[name: string]: unknown;
				};
				content?: never;
			};
		};
	};
}
