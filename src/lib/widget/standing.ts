/**
 * Reads the subject's standing from its backend for the widget (SPEC section 8): the records
 * through the adapter, the backend's receipt key at `<sync-url>/key` (once per page), and each
 * record checked before it is trusted. Never throws: what could not be checked is said.
 */
import type { EvidenceKey } from '../core/evidence';
import {
	checkStanding,
	readReceiptKey,
	type RefusedRemote,
	type RemoteRecord
} from '../core/standing';
import { StandingError, readStandingResult, type SyncAdapter } from '../sync/types';

/** Why the backend's standing was not checked. */
export type StandingUnchecked =
	/** The widget has no `subject-token`: a standing is read only with one. */
	| 'no-token'
	/** The widget has no `sync-url`, or its adapter has no standing. */
	| 'no-backend'
	/** The backend could not be reached (offline, timeout, 5xx). */
	| 'offline'
	/** The backend has no standing endpoint (404). */
	| 'no-endpoint'
	/** The backend refused the subject token (401, 403). */
	| 'token-refused'
	/** The backend answered something that is not a standing. */
	| 'bad-response'
	/** The backend's receipt key could not be read, so no record could be checked. */
	| 'key-unavailable'
	/** The standing is being read. */
	| 'checking';

/** Whether the backend was asked where the subject stands, and what it said. */
export type BackendCheck =
	| {
			checked: true;
			/** When the standing was read (ISO 8601). */
			at: string;
			/** Records of other devices that were trusted (this browser's own are not counted). */
			records: number;
			/** Records that failed their digest or receipt check: ignored. */
			ignored: number;
	  }
	| { checked: false; reason: StandingUnchecked; message?: string };

export type StandingRead =
	| { checked: true; at: string; trusted: RemoteRecord[]; refused: RefusedRemote[] }
	| {
			checked: false;
			reason: StandingUnchecked;
			message: string;
			/** Set when the partner's developers must be told (`assent:error`). */
			error?: StandingError;
	  };

/** The keys of this page, by URL: fetched once, shared by every widget of the page. */
const keys = new Map<string, Promise<EvidenceKey>>();

/** Where a backend publishes its receipt key: `<sync-url>/key`. */
export function receiptKeyUrl(syncUrl: string): string {
	const url = new URL(syncUrl);
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/key`;
	url.search = '';
	url.hash = '';
	return url.href;
}

function receiptKey(url: string, fetcher: typeof fetch): Promise<EvidenceKey> {
	let key = keys.get(url);
	if (!key) {
		key = (async () => {
			const response = await fetcher(url, { credentials: 'omit' });
			if (!response.ok) throw new Error(`it answered HTTP ${response.status}`);
			return readReceiptKey(await response.json());
		})();
		// A failure is not kept: the next read asks again.
		key.catch(() => keys.delete(url));
		keys.set(url, key);
	}
	return key;
}

const REASONS: Record<StandingError['reason'], StandingUnchecked> = {
	'no-endpoint': 'no-endpoint',
	refused: 'token-refused',
	unreachable: 'offline',
	'bad-response': 'bad-response'
};

/**
 * The subject's standing as its backend holds it, each record checked against the backend's
 * receipt key. `adapter` is the sync URL's HTTP adapter; without `standing` it is not asked.
 */
export async function readStanding(options: {
	adapter: Pick<SyncAdapter, 'standing'>;
	syncUrl: string;
	subject: string;
	token: string;
	/** @default globalThis.fetch */
	fetch?: typeof fetch;
	/** @default () => new Date() */
	now?: () => Date;
}): Promise<StandingRead> {
	const { adapter } = options;
	if (!adapter.standing) {
		return {
			checked: false,
			reason: 'no-backend',
			message: 'The sync adapter reads no standing.'
		};
	}
	const fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
	const keyUrl = receiptKeyUrl(options.syncUrl);
	let entries;
	try {
		entries = readStandingResult(await adapter.standing(options.subject, options.token)).records;
	} catch (error) {
		const failure =
			error instanceof StandingError
				? error
				: new StandingError({
						reason: 'unreachable',
						message: `The standing could not be read (${error instanceof Error ? error.message : String(error)}); the widget decides from this browser's records.`,
						cause: error
					});
		const reason = REASONS[failure.reason];
		return {
			checked: false,
			reason,
			message: failure.message,
			// A refused token or a garbled answer is the partner's to fix; offline or no
			// endpoint is how things may be, and the widget works as without a backend.
			...(reason === 'token-refused' || reason === 'bad-response' ? { error: failure } : {})
		};
	}
	let key: EvidenceKey;
	try {
		key = await receiptKey(keyUrl, fetcher);
	} catch (error) {
		return {
			checked: false,
			reason: 'key-unavailable',
			message: `The backend's receipt key could not be read from ${keyUrl} (${error instanceof Error ? error.message : String(error)}), so no record of the standing can be trusted; the widget decides from this browser's records.`
		};
	}
	const { trusted, refused } = await checkStanding({ entries, subject: options.subject, key });
	return {
		checked: true,
		at: (options.now?.() ?? new Date()).toISOString(),
		trusted,
		refused
	};
}
