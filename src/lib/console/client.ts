/**
 * The console's connection to a receiver's operator API (SPEC section 9): `GET`s under the sync
 * URL with `Authorization: Bearer <operator token>` (and the one `POST` that sends failed webhook
 * deliveries again), each failure sorted into what the operator
 * can act on (a wrong token, a receiver that does not answer, one that refuses this page's
 * origin, an answer that is not the API's JSON).
 */
import type { components } from '../schemas/sync-openapi.types';

export type OperatorStanding = components['schemas']['OperatorStanding'];
export type SubjectList = components['schemas']['SubjectList'];
export type StatementSummary = components['schemas']['StatementSummary'];
export type ActCounts = components['schemas']['ActCounts'];
export type DeliveryLog = components['schemas']['DeliveryLog'];
export type Delivery = DeliveryLog['deliveries'][number];
export type Redelivered = components['schemas']['Redelivered'];

/** What went wrong, each with its own words in the console's catalogue (`console.error.<kind>`). */
export type ConsoleErrorKind =
	'invalid-url' | 'missing-token' | 'unauthorized' | 'unreachable' | 'cors' | 'not-json' | 'http';

export class ConsoleError extends Error {
	readonly kind: ConsoleErrorKind;
	/** The values the words name: `{url}`, `{status}`, `{error}`, `{message}`, `{origin}`, `{type}`. */
	readonly values: Record<string, string | number>;

	constructor(kind: ConsoleErrorKind, values: Record<string, string | number> = {}) {
		super(`${kind}: ${JSON.stringify(values)}`);
		this.name = 'ConsoleError';
		this.kind = kind;
		this.values = values;
	}
}

/**
 * The receiver's sync URL as the operator typed it, without a trailing slash, query or
 * fragment; a `ConsoleError('invalid-url')` when it is not an http(s) URL.
 */
export function receiverBase(text: string): string {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		throw new ConsoleError('invalid-url', { url: text.trim() });
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new ConsoleError('invalid-url', { url: text.trim() });
	}
	url.search = '';
	url.hash = '';
	return url.href.replace(/\/+$/, '');
}

export interface OperatorClientOptions {
	/** The receiver's sync URL, e.g. `https://api.example.com/acceptances`. */
	base: string;
	token: string;
	/** @default globalThis.fetch */
	fetch?: typeof fetch;
	/** The page's origin, named in the CORS message. @default location.origin */
	origin?: string;
}

export class OperatorClient {
	readonly base: string;
	readonly #token: string;
	readonly #fetch: typeof fetch;
	readonly #origin: string;

	constructor(options: OperatorClientOptions) {
		this.base = receiverBase(options.base);
		if (!options.token.trim()) throw new ConsoleError('missing-token');
		this.#token = options.token.trim();
		this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
		this.#origin = options.origin ?? globalThis.location?.origin ?? '';
	}

	/** The text of `GET <base><path>` (or `method`), after the status and content type are checked. */
	async text(
		path: string,
		options: { signal?: AbortSignal; anonymous?: boolean; method?: 'GET' | 'POST' } = {}
	): Promise<string> {
		const url = `${this.base}${path}`;
		let response: Response;
		try {
			response = await this.#fetch(url, {
				method: options.method ?? 'GET',
				headers: options.anonymous
					? { accept: 'application/json' }
					: { authorization: `Bearer ${this.#token}`, accept: 'application/json' },
				cache: 'no-store',
				credentials: 'omit',
				...(options.signal ? { signal: options.signal } : {})
			});
		} catch (error) {
			if (options.signal?.aborted) throw error;
			throw await this.#unreached();
		}
		const type = response.headers.get('content-type') ?? '';
		const text = await response.text();
		const json = /^application\/([\w.+-]+\+)?json\b/i.test(type);
		if (!response.ok) {
			const body = json ? safeParse(text) : undefined;
			const error = typeof body?.error === 'string' ? body.error : '';
			const message = typeof body?.message === 'string' ? body.message : '';
			if (response.status === 401) throw new ConsoleError('unauthorized', { url, message });
			if (!json)
				throw new ConsoleError('not-json', { url, status: response.status, type: type || '—' });
			throw new ConsoleError('http', { url, status: response.status, error, message });
		}
		if (!json || safeParse(text) === undefined) {
			throw new ConsoleError('not-json', { url, status: response.status, type: type || '—' });
		}
		return text;
	}

	async json<T>(
		path: string,
		options: { signal?: AbortSignal; anonymous?: boolean; method?: 'GET' | 'POST' } = {}
	): Promise<T> {
		return JSON.parse(await this.text(path, options)) as T;
	}

	/**
	 * Why a request got no answer: the receiver's public key (readable from any origin) answers
	 * when the receiver is there but refuses this page's origin; nothing answers when it is not.
	 */
	async #unreached(): Promise<ConsoleError> {
		try {
			const probe = await this.#fetch(`${this.base}/key`, {
				cache: 'no-store',
				credentials: 'omit'
			});
			if (probe.ok) return new ConsoleError('cors', { url: this.base, origin: this.#origin });
		} catch {
			// Nothing answers.
		}
		return new ConsoleError('unreachable', { url: this.base });
	}

	summary(statement: string, options: { signal?: AbortSignal } = {}): Promise<StatementSummary> {
		return this.json(`/statements/${encodeURIComponent(statement)}/summary`, options);
	}

	/** One page of the subjects who must accept `statement` again (or all, with `needs: null`). */
	subjects(
		options: {
			statement: string;
			needs?: 'acceptance' | null;
			partner?: string;
			limit?: number;
			cursor?: string;
		},
		request: { signal?: AbortSignal } = {}
	): Promise<SubjectList> {
		const query = new URLSearchParams({ statement: options.statement });
		if (options.needs !== null) query.set('needs', options.needs ?? 'acceptance');
		if (options.partner) query.set('partner', options.partner);
		if (options.limit) query.set('limit', String(options.limit));
		if (options.cursor) query.set('cursor', options.cursor);
		return this.json(`/subjects?${query}`, request);
	}

	standing(
		options: { subject: string; statement: string; partner?: string },
		request: { signal?: AbortSignal } = {}
	): Promise<OperatorStanding> {
		const query = new URLSearchParams({ statement: options.statement });
		if (options.partner) query.set('partner', options.partner);
		return this.json(`/subjects/${encodeURIComponent(options.subject)}/standing?${query}`, request);
	}

	/** The subject's evidence bundle, as the exact text the receiver sent. */
	evidence(subject: string, request: { signal?: AbortSignal } = {}): Promise<string> {
		return this.text(`/subjects/${encodeURIComponent(subject)}/evidence`, request);
	}

	/** One page of the webhook delivery log, newest event first; with `status`, of that state only. */
	deliveries(
		options: { limit?: number; cursor?: string; status?: Delivery['status'] } = {},
		request: { signal?: AbortSignal } = {}
	): Promise<DeliveryLog> {
		const query = new URLSearchParams();
		if (options.status) query.set('status', options.status);
		if (options.limit) query.set('limit', String(options.limit));
		if (options.cursor) query.set('cursor', options.cursor);
		return this.json(`/webhooks/deliveries${query.size ? `?${query}` : ''}`, request);
	}

	/** Sends one failed delivery (an event, to one URL) again; answers how many are pending again. */
	redeliver(options: { event: string; url: string }): Promise<Redelivered> {
		const query = new URLSearchParams({ event: options.event, url: options.url });
		return this.json(`/webhooks/deliveries/redeliver?${query}`, { method: 'POST' });
	}

	/** The receiver's public key document (`{ alg, kid, jwk }`), which needs no token. */
	key(request: { signal?: AbortSignal } = {}): Promise<{ kid: string; alg: string }> {
		return this.json('/key', { ...request, anonymous: true });
	}
}

function safeParse(text: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(text);
		return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
	} catch {
		return undefined;
	}
}
