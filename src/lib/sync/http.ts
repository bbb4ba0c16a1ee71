/**
 * The HTTP adapter: SPEC section 7's wire protocol. Batches go out oldest first as
 * `POST <url>` with `{ records }`; the answer settles records one by one.
 */
import type { AcceptanceRecord } from '../core/record';
import {
	RetryableSyncError,
	StandingError,
	readStandingResult,
	type PushOptions,
	type PushResult,
	type StandingEntry,
	type StandingOptions,
	type StandingResult,
	type SyncAdapter
} from './types';

/** The largest request body the adapter sends. */
export const MAX_BATCH_BYTES = 512 * 1024;
/** Browsers refuse `keepalive` requests whose bodies together pass 64 KB. */
export const MAX_KEEPALIVE_BYTES = 60 * 1024;

export interface HttpAdapterOptions {
	/** The receiver's URL (`sync-url`). */
	url: string;
	/** Extra headers for every request, e.g. an authorization token. @default no extra headers */
	headers?: () => Record<string, string> | Promise<Record<string, string>>;
	/** @default globalThis.fetch */
	fetch?: typeof fetch;
	/** The largest request body in bytes. @default 524288 (512 KB) */
	maxBytes?: number;
	/**
	 * How long to wait for the answer, body included, in ms; a request not answered by then is
	 * abandoned and the records are sent again later. @default 30000
	 */
	timeoutMs?: number;
	/**
	 * The least wait in ms after a `401`, `403` or `404`: the backend or its configuration is
	 * wrong, which retrying every second will not fix. @default 300000 (5 minutes)
	 */
	misconfiguredRetryMs?: number;
}

/** How long a request may go unanswered. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** The least wait after an answer saying the backend is misconfigured. */
export const MISCONFIGURED_RETRY_MS = 300_000;

const encoder = new TextEncoder();
const size = (value: unknown) => encoder.encode(JSON.stringify(value)).length;

/**
 * Splits records, oldest first, into request bodies under `maxBytes`. A record too large for
 * any request is returned apart, to be refused rather than retried forever.
 */
export function splitBatches(options: { records: AcceptanceRecord[]; maxBytes: number }): {
	batches: AcceptanceRecord[][];
	oversized: AcceptanceRecord[];
} {
	const envelope = size({ records: [] });
	const batches: AcceptanceRecord[][] = [];
	const oversized: AcceptanceRecord[] = [];
	let current: AcceptanceRecord[] = [];
	let bytes = envelope;
	for (const record of options.records) {
		const recordBytes = size(record) + 1;
		if (envelope + recordBytes > options.maxBytes) {
			oversized.push(record);
			continue;
		}
		if (bytes + recordBytes > options.maxBytes) {
			batches.push(current);
			current = [];
			bytes = envelope;
		}
		current.push(record);
		bytes += recordBytes;
	}
	if (current.length > 0) batches.push(current);
	return { batches, oversized };
}

/** `Retry-After` as milliseconds from now: seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
	if (!header) return undefined;
	const trimmed = header.trim();
	if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
	const date = Date.parse(trimmed);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A stable key for one batch: the same records resent get the same key. */
async function idempotencyKey(records: AcceptanceRecord[]): Promise<string> {
	const ids = records.map((r) => r.id).join(',');
	const digest = await crypto.subtle.digest('SHA-256', encoder.encode(ids));
	return [...new Uint8Array(digest).slice(0, 16)]
		.map((b) => b.toString(16).padStart(2, '0'))
		.join('');
}

function describe(response: Response, text: string): string {
	let detail = text.slice(0, 500);
	try {
		const body = JSON.parse(detail) as { message?: unknown; error?: unknown };
		detail = String(body.message ?? body.error ?? detail);
	} catch {
		// Not JSON: the text is the detail.
	}
	return `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${detail ? `: ${detail}` : ''}`;
}

/** The most pages of a standing read in one call: a runaway `next` chain stops there. */
export const MAX_STANDING_PAGES = 100;

/** Where a backend answers standings: `<sync-url>/standing`. */
export function standingUrl(syncUrl: string): string {
	const url = new URL(syncUrl);
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/standing`;
	url.search = '';
	url.hash = '';
	return url.href;
}

/** The HTTP adapter always answers asynchronously. */
export interface HttpAdapter extends SyncAdapter {
	push(records: AcceptanceRecord[], options: PushOptions): Promise<PushResult>;
	standing(subject: string, token: string, options?: StandingOptions): Promise<StandingResult>;
}

export function httpAdapter(options: HttpAdapterOptions): HttpAdapter {
	const maxBytes = options.maxBytes ?? MAX_BATCH_BYTES;

	async function send(records: AcceptanceRecord[], push: PushOptions): Promise<PushResult> {
		const fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
		const headers: Record<string, string> = {
			...(await options.headers?.()),
			'Content-Type': 'application/json',
			'Idempotency-Key': await idempotencyKey(records)
		};
		const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		// One signal for the caller's abort and the timeout; the timeout also covers the body,
		// which a server can start and never finish.
		const request = new AbortController();
		let timedOut = false;
		const onAbort = () => request.abort(push.signal.reason);
		if (push.signal.aborted) onAbort();
		else push.signal.addEventListener('abort', onAbort, { once: true });
		const timer = setTimeout(() => {
			timedOut = true;
			request.abort(new Error(`no answer within ${timeoutMs / 1000} s`));
		}, timeoutMs);
		const unreachable = (error: unknown) => {
			if (push.signal.aborted) return error;
			return new RetryableSyncError({
				message: timedOut
					? `The sync receiver at ${options.url} did not answer within ${timeoutMs / 1000} s. The records stay pending and are sent again.`
					: `The sync receiver at ${options.url} could not be reached (${error instanceof Error ? error.message : String(error)}). The records stay pending and are sent again.`,
				cause: error
			});
		};
		try {
			let response: Response;
			try {
				response = await fetcher(options.url, {
					method: 'POST',
					headers,
					body: JSON.stringify({ records }),
					signal: request.signal,
					keepalive: push.keepalive === true,
					credentials: 'omit'
				});
			} catch (error) {
				throw unreachable(error);
			}
			let text: string;
			try {
				text = await response.text();
			} catch (error) {
				throw unreachable(error);
			}
			return answer(records, response, text);
		} finally {
			clearTimeout(timer);
			push.signal.removeEventListener('abort', onAbort);
		}
	}

	/** What one answer settles (SPEC section 7); everything that settles nothing is thrown. */
	function answer(records: AcceptanceRecord[], response: Response, text: string): PushResult {
		const ids = records.map((r) => r.id);
		const { status } = response;
		const said = describe(response, text);
		if (status === 409) return { accepted: ids, rejected: [] };
		if (status === 408 || status === 429 || (status >= 500 && status <= 599)) {
			const wait = retryAfterMs(response.headers.get('Retry-After'));
			throw new RetryableSyncError({
				message: `The sync receiver answered ${said}. The records stay pending and are sent again.`,
				// A 500 may come from one record the backend cannot handle: worth splitting.
				scope: status === 500 || status === 502 || status === 504 ? 'batch' : 'backend',
				...(wait !== undefined ? { retryAfterMs: wait } : {})
			});
		}
		if (status === 401 || status === 403 || status === 404) {
			const slow = options.misconfiguredRetryMs ?? MISCONFIGURED_RETRY_MS;
			const wait = Math.max(slow, retryAfterMs(response.headers.get('Retry-After')) ?? 0);
			throw new RetryableSyncError({
				message: `The sync receiver at ${options.url} answered ${said}: the backend or its configuration (sync-url, token, allowed origins) is wrong, not the records. They stay pending and are sent again in ${Math.round(wait / 60_000)} min.`,
				scope: 'backend',
				retryAfterMs: wait
			});
		}
		if (status >= 400 && status <= 499) {
			return { accepted: [], rejected: ids.map((id) => ({ id, reason: said, retryable: false })) };
		}
		if (status < 200 || status > 299) {
			throw new RetryableSyncError({
				message: `The sync receiver answered ${status}, which the protocol does not use. The records stay pending.`,
				scope: 'backend'
			});
		}
		if (status === 204) return { accepted: ids, rejected: [] };
		let body: unknown;
		try {
			body = JSON.parse(text);
		} catch {
			body = undefined;
		}
		const result = body as Partial<PushResult> | undefined;
		const shaped =
			typeof result === 'object' &&
			result !== null &&
			!Array.isArray(result) &&
			(Array.isArray(result.accepted) || Array.isArray(result.rejected));
		if (!shaped) {
			// A captive portal, a proxy's error page, a misrouted URL: nobody has the records.
			const type = response.headers.get('Content-Type') ?? 'no Content-Type';
			throw new RetryableSyncError({
				message: `The sync receiver at ${options.url} answered ${status} with ${type} that is not { "accepted", "rejected" } (${text.slice(0, 80).trim() || 'an empty body'}); a login page or proxy may stand in the way. The records stay pending and are sent again.`,
				scope: 'backend'
			});
		}
		return {
			accepted: Array.isArray(result.accepted) ? result.accepted : [],
			rejected: Array.isArray(result.rejected) ? result.rejected : []
		};
	}

	/**
	 * One page of `GET <sync-url>/standing?subject=…` with the token, under the same timeout as
	 * a push; every answer that is not a standing page is a `StandingError`.
	 */
	async function standingPage(
		subject: string,
		token: string,
		cursor: string | undefined,
		signal: AbortSignal | undefined
	): Promise<{ records: StandingEntry[]; next?: string }> {
		const fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
		const url = new URL(standingUrl(options.url));
		url.searchParams.set('subject', subject);
		if (cursor !== undefined) url.searchParams.set('cursor', cursor);
		const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		const request = new AbortController();
		let timedOut = false;
		const onAbort = () => request.abort(signal?.reason);
		if (signal?.aborted) onAbort();
		else signal?.addEventListener('abort', onAbort, { once: true });
		const timer = setTimeout(() => {
			timedOut = true;
			request.abort(new Error(`no answer within ${timeoutMs / 1000} s`));
		}, timeoutMs);
		const unreachable = (error: unknown) =>
			signal?.aborted
				? error
				: new StandingError({
						reason: 'unreachable',
						message: timedOut
							? `The standing at ${url.origin}${url.pathname} did not answer within ${timeoutMs / 1000} s; the widget decides from this browser's records.`
							: `The standing at ${url.origin}${url.pathname} could not be read (${error instanceof Error ? error.message : String(error)}); the widget decides from this browser's records.`,
						cause: error
					});
		try {
			let response: Response;
			let text: string;
			try {
				response = await fetcher(url.href, {
					method: 'GET',
					headers: {
						...(await options.headers?.()),
						Accept: 'application/json',
						Authorization: `Bearer ${token}`
					},
					signal: request.signal,
					credentials: 'omit',
					cache: 'no-store'
				});
				text = await response.text();
			} catch (error) {
				throw unreachable(error);
			}
			const { status } = response;
			const said = describe(response, text);
			if (status === 404) {
				throw new StandingError({
					reason: 'no-endpoint',
					message: `The backend has no standing endpoint at ${url.origin}${url.pathname} (${said}); the widget decides from this browser's records.`
				});
			}
			if (status === 401 || status === 403) {
				throw new StandingError({
					reason: 'refused',
					message: `The backend refused the subject token for the standing of "${subject}" (${said}). Check the token the partner's backend mints: its sub, iss, aud and expiry (SPEC section 8).`
				});
			}
			if (status === 408 || status === 429 || (status >= 500 && status <= 599)) {
				throw new StandingError({
					reason: 'unreachable',
					message: `The standing could not be read now (${said}); the widget decides from this browser's records.`
				});
			}
			let body: unknown;
			try {
				body = status >= 200 && status <= 299 ? JSON.parse(text) : undefined;
			} catch {
				body = undefined;
			}
			if (body === undefined) {
				const type = response.headers.get('Content-Type') ?? 'no Content-Type';
				throw new StandingError({
					reason: 'bad-response',
					message: `The standing at ${url.origin}${url.pathname} answered ${said.slice(0, 120)} with ${type}, not a standing's JSON; a login page or proxy may stand in the way.`
				});
			}
			const page = readStandingResult(body);
			const next = (body as { next?: unknown }).next;
			return { records: page.records, ...(typeof next === 'string' && next ? { next } : {}) };
		} finally {
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
		}
	}

	return {
		async standing(subject, token, standing = {}) {
			const records: StandingEntry[] = [];
			let cursor: string | undefined;
			for (let page = 0; page < MAX_STANDING_PAGES; page++) {
				const answer = await standingPage(subject, token, cursor, standing.signal);
				records.push(...answer.records);
				if (answer.next === undefined || answer.next === cursor) return { records };
				cursor = answer.next;
			}
			throw new StandingError({
				reason: 'bad-response',
				message: `The standing of "${subject}" runs past ${MAX_STANDING_PAGES} pages; the widget decides from this browser's records.`
			});
		},
		async push(records, push) {
			const limit = push.keepalive ? Math.min(maxBytes, MAX_KEEPALIVE_BYTES) : maxBytes;
			const { batches, oversized } = splitBatches({ records, maxBytes: limit });
			const result: PushResult = {
				accepted: [],
				rejected: push.keepalive
					? []
					: oversized.map((r) => ({
							id: r.id,
							reason: `The record is larger than the ${Math.round(limit / 1024)} KB a request may carry.`,
							retryable: false
						}))
			};
			// One request when the page is going away: later ones would not outlive it.
			for (const batch of push.keepalive ? batches.slice(0, 1) : batches) {
				const part = await send(batch, push);
				result.accepted.push(...part.accepted);
				result.rejected.push(...part.rejected);
			}
			return result;
		}
	};
}
