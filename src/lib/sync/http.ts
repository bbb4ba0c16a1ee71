/**
 * The HTTP adapter: SPEC section 7's wire protocol. Batches go out oldest first as
 * `POST <url>` with `{ records }`; the answer settles records one by one.
 */
import type { AcceptanceRecord } from '../core/record';
import { RetryableSyncError, type PushOptions, type PushResult, type SyncAdapter } from './types';

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
}

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

async function describe(response: Response): Promise<string> {
	let detail = '';
	try {
		const text = (await response.text()).slice(0, 500);
		try {
			const body = JSON.parse(text) as { message?: unknown; error?: unknown };
			detail = String(body.message ?? body.error ?? text);
		} catch {
			detail = text;
		}
	} catch {
		// The body is gone; the status says enough.
	}
	return `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${detail ? `: ${detail}` : ''}`;
}

/** The HTTP adapter always answers asynchronously. */
export interface HttpAdapter extends SyncAdapter {
	push(records: AcceptanceRecord[], options: PushOptions): Promise<PushResult>;
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
		let response: Response;
		try {
			response = await fetcher(options.url, {
				method: 'POST',
				headers,
				body: JSON.stringify({ records }),
				signal: push.signal,
				keepalive: push.keepalive === true,
				credentials: 'omit'
			});
		} catch (error) {
			if (push.signal.aborted) throw error;
			throw new RetryableSyncError({
				message: `The sync receiver at ${options.url} could not be reached (${error instanceof Error ? error.message : String(error)}). The records stay pending and are sent again.`,
				cause: error
			});
		}
		const ids = records.map((r) => r.id);
		if (response.status === 409) return { accepted: ids, rejected: [] };
		if (
			response.status === 408 ||
			response.status === 429 ||
			(response.status >= 500 && response.status <= 599)
		) {
			const wait = retryAfterMs(response.headers.get('Retry-After'));
			throw new RetryableSyncError({
				message: `The sync receiver answered ${await describe(response)}. The records stay pending and are sent again.`,
				...(wait !== undefined ? { retryAfterMs: wait } : {})
			});
		}
		if (response.status >= 400) {
			const reason = await describe(response);
			return { accepted: [], rejected: ids.map((id) => ({ id, reason, retryable: false })) };
		}
		if (response.status < 200 || response.status > 299) {
			throw new RetryableSyncError({
				message: `The sync receiver answered ${response.status}, which the protocol does not use. The records stay pending.`
			});
		}
		let body: unknown;
		try {
			const text = await response.text();
			body = text.trim() ? JSON.parse(text) : undefined;
		} catch {
			body = undefined;
		}
		const shaped =
			typeof body === 'object' &&
			body !== null &&
			(Array.isArray((body as PushResult).accepted) ||
				Array.isArray((body as PushResult).rejected));
		// A 2xx without per-record results settles the whole batch as accepted.
		if (!shaped) return { accepted: ids, rejected: [] };
		const result = body as Partial<PushResult>;
		return {
			accepted: Array.isArray(result.accepted) ? result.accepted : [],
			rejected: Array.isArray(result.rejected) ? result.rejected : []
		};
	}

	return {
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
