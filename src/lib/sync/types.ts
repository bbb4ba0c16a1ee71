/**
 * The sync port (SPEC section 7): an adapter pushes records to a backend and says which it
 * accepted and which it refused. The HTTP adapter speaks the wire protocol; any other backend is
 * reached by an object with the same `push`.
 */
import { AssentError } from '../core/errors';
import type { AcceptanceRecord } from '../core/record';

/** The backend's acknowledgement of one record, kept beside it. */
export interface Acceptance {
	id: string;
	/** The backend's own receive time. */
	receivedAt?: string;
	/** The backend's signed receipt, kept as sent. */
	receipt?: unknown;
}

export interface Rejection {
	id: string;
	reason: string;
	/** Whether sending the same record later may succeed. @default false */
	retryable?: boolean;
}

export interface PushResult {
	accepted: (string | Acceptance)[];
	rejected: Rejection[];
}

export interface PushOptions {
	signal: AbortSignal;
	/** The page is going away: send what fits in one request that outlives it. */
	keepalive?: boolean;
}

/** One record a backend holds for a subject, as its standing answers it (SPEC section 8). */
export interface StandingEntry {
	/** The record as the backend holds it: checked (digest, receipt) before it is trusted. */
	record: AcceptanceRecord;
	/** The backend's own receive time. */
	receivedAt?: string;
	/** The backend's signed receipt for the record. */
	receipt?: unknown;
}

export interface StandingResult {
	records: StandingEntry[];
}

export interface StandingOptions {
	/** @default never aborted */
	signal?: AbortSignal;
}

export interface SyncAdapter {
	push(records: AcceptanceRecord[], options: PushOptions): Promise<PushResult> | PushResult;
	/**
	 * The records the backend holds for `subject`, from every device, read with the subject's
	 * token (SPEC section 8). Optional: a backend without it leaves the widget deciding from
	 * this browser's records. Throws `StandingError`.
	 */
	standing?(
		subject: string,
		token: string,
		options?: StandingOptions
	): Promise<StandingResult> | StandingResult;
}

/** Why a standing could not be read. */
export type StandingFailure = 'no-endpoint' | 'refused' | 'unreachable' | 'bad-response';

/**
 * A standing that could not be read: `no-endpoint` (the backend has none: 404), `refused` (the
 * token was refused: 401, 403), `unreachable` (network, timeout, 408, 429, 5xx: worth asking
 * again later) or `bad-response` (an answer that is not a standing).
 */
export class StandingError extends AssentError {
	readonly reason: StandingFailure;

	constructor(options: { reason: StandingFailure; message: string; cause?: unknown }) {
		super(`standing/${options.reason}`, options.message, { cause: options.cause });
		this.reason = options.reason;
	}
}

/**
 * A failure worth trying again (network, timeout, 408, 429, 5xx, an answer that is not the
 * protocol's, a misconfigured backend), with the backend's `Retry-After`.
 */
export class RetryableSyncError extends AssentError {
	/** Milliseconds the backend asked (or the adapter chose) to wait, when said. */
	readonly retryAfterMs: number | undefined;
	/**
	 * `backend` when the failure cannot come from the records sent (a 401, a 429, a captive
	 * portal): splitting the batch to find a bad record would not help. @default 'batch'
	 */
	readonly scope: 'batch' | 'backend';

	constructor(options: {
		message: string;
		retryAfterMs?: number;
		scope?: 'batch' | 'backend';
		cause?: unknown;
		/** @default 'sync/retry' */
		code?: 'sync/retry' | 'sync/cors';
	}) {
		super(options.code ?? 'sync/retry', options.message, { cause: options.cause });
		this.retryAfterMs = options.retryAfterMs;
		this.scope = options.scope ?? 'batch';
	}
}

/** A result reduced to the ids that were sent, with every accepted id in one shape. */
export interface SettledResult {
	accepted: Acceptance[];
	rejected: Rejection[];
}

/**
 * Checks what an adapter answered. Ids that were not sent are ignored, an id both accepted and
 * rejected counts as accepted, and anything malformed is an error: the records stay pending.
 */
export function readPushResult(options: {
	result: unknown;
	sent: readonly AcceptanceRecord[];
}): SettledResult {
	const { result } = options;
	const bad = (detail: string) =>
		new AssentError(
			'sync/bad-response',
			`The sync adapter answered ${detail}; expected { accepted: [ids], rejected: [{ id, reason }] }. The records stay pending.`
		);
	if (typeof result !== 'object' || result === null) throw bad(String(result));
	const { accepted, rejected } = result as Record<string, unknown>;
	if (!Array.isArray(accepted) || !Array.isArray(rejected)) throw bad('without both arrays');
	const sent = new Set(options.sent.map((r) => r.id));
	const settled: SettledResult = { accepted: [], rejected: [] };
	const acceptedIds = new Set<string>();
	for (const entry of accepted) {
		const acceptance: Acceptance | undefined =
			typeof entry === 'string'
				? { id: entry }
				: typeof entry === 'object' && entry !== null && typeof entry.id === 'string'
					? {
							id: entry.id,
							...(typeof entry.receivedAt === 'string' ? { receivedAt: entry.receivedAt } : {}),
							...(entry.receipt !== undefined ? { receipt: entry.receipt } : {})
						}
					: undefined;
		if (!acceptance) throw bad(`an accepted entry ${JSON.stringify(entry)}`);
		if (!sent.has(acceptance.id) || acceptedIds.has(acceptance.id)) continue;
		acceptedIds.add(acceptance.id);
		settled.accepted.push(acceptance);
	}
	for (const entry of rejected) {
		if (typeof entry !== 'object' || entry === null || typeof entry.id !== 'string') {
			throw bad(`a rejected entry ${JSON.stringify(entry)}`);
		}
		if (!sent.has(entry.id) || acceptedIds.has(entry.id)) continue;
		settled.rejected.push({
			id: entry.id,
			reason: typeof entry.reason === 'string' && entry.reason ? entry.reason : 'no reason given',
			retryable: entry.retryable === true
		});
	}
	return settled;
}

/**
 * Checks the shape of what a standing call answered: `{ records: [{ record, receivedAt?,
 * receipt? }] }`. Throws `StandingError` `bad-response` otherwise. Shape only: each record's
 * digest and receipt are checked before it is trusted (`checkStanding` in core).
 */
export function readStandingResult(result: unknown): StandingResult {
	const bad = (detail: string) =>
		new StandingError({
			reason: 'bad-response',
			message: `The standing answer ${detail}; expected { "subject", "records": [{ "record", "receivedAt", "receipt" }] }. The widget decides from this browser's records.`
		});
	if (typeof result !== 'object' || result === null || Array.isArray(result)) {
		throw bad(`is ${Array.isArray(result) ? 'an array' : String(result)}`);
	}
	const { records } = result as Record<string, unknown>;
	if (!Array.isArray(records)) throw bad('has no "records" array');
	return {
		records: records.map((entry, i) => {
			if (
				typeof entry !== 'object' ||
				entry === null ||
				typeof (entry as StandingEntry).record !== 'object' ||
				(entry as StandingEntry).record === null
			) {
				throw bad(`has an entry ${i} without a "record" object`);
			}
			const { record, receivedAt, receipt } = entry as StandingEntry;
			return {
				record,
				...(typeof receivedAt === 'string' ? { receivedAt } : {}),
				...(receipt !== undefined ? { receipt } : {})
			};
		})
	};
}
