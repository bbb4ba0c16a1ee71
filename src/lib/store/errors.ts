import { AssentError, type AssentErrorCode } from '../core/errors';

/** What can go wrong with the browser's record store, for the UI to show and programs to test. */
export type StoreErrorCode = Extract<AssentErrorCode, `store/${string}`>;

const ADVICE: Record<StoreErrorCode, string> = {
	'store/unavailable':
		'This browser offers no IndexedDB storage here (private browsing, blocked site data or an old browser). Allow site data for this site or use another browser; nothing was saved.',
	'store/blocked':
		'The record store is being upgraded in another tab of this site. Close the other tabs and try again; nothing was saved.',
	'store/quota':
		'The browser has no storage left for this site. Free up disk space or site data, then try again; nothing was saved.',
	'store/closed':
		'The browser closed the record store (site data cleared or storage lost). Reload the page and try again; nothing was saved.',
	'store/conflict':
		'Other tabs kept writing records at the same moment. Try again; nothing was saved.',
	'store/failed': 'The browser could not save the record. Try again; nothing was saved.'
};

/** An AssentError with a `store/*` code and the advice for it. */
export function storeError(code: StoreErrorCode, detail?: string, cause?: unknown): AssentError {
	return new AssentError(code, detail ? `${ADVICE[code]} (${detail})` : ADVICE[code], { cause });
}

export function isStoreError(error: unknown): error is AssentError & { code: StoreErrorCode } {
	return error instanceof AssentError && error.code.startsWith('store/');
}

function names(error: unknown): string[] {
	const found: string[] = [];
	let current: unknown = error;
	for (let depth = 0; current && depth < 5; depth++) {
		const e = current as { name?: string; inner?: unknown; cause?: unknown };
		if (typeof e.name === 'string') found.push(e.name);
		current = e.inner ?? e.cause;
	}
	return found;
}

/** Turns whatever IndexedDB or Dexie threw into an AssentError (store/*) that says what to do. */
export function toStoreError(error: unknown): AssentError {
	if (isStoreError(error)) return error;
	const found = names(error);
	const detail = error instanceof Error ? error.message : String(error);
	if (found.some((n) => n === 'QuotaExceededError'))
		return storeError('store/quota', detail, error);
	if (found.includes('MissingAPIError')) return storeError('store/unavailable', detail, error);
	if (found.some((n) => n === 'BlockedError' || n === 'VersionChangeError')) {
		return storeError('store/blocked', detail, error);
	}
	if (
		found.some(
			(n) => n === 'DatabaseClosedError' || n === 'InvalidStateError' || n === 'UnknownError'
		)
	) {
		return storeError('store/closed', detail, error);
	}
	if (found.includes('OpenFailedError')) return storeError('store/unavailable', detail, error);
	return storeError('store/failed', detail, error);
}
