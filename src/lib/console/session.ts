/**
 * Where the console keeps the receiver's URL and the operator token: this tab's
 * `sessionStorage`, gone when the tab closes; never `localStorage`, never the page's URL.
 */
export interface ConsoleSession {
	url: string;
	token: string;
}

export const SESSION_KEY = 'assent.console';

function storage(): Storage | undefined {
	try {
		return globalThis.sessionStorage;
	} catch {
		// Storage refused (a privacy setting): the console still works, for this page only.
		return undefined;
	}
}

export function readSession(): ConsoleSession | undefined {
	try {
		const value: unknown = JSON.parse(storage()?.getItem(SESSION_KEY) ?? 'null');
		if (value && typeof value === 'object') {
			const { url, token } = value as Record<string, unknown>;
			if (typeof url === 'string' && typeof token === 'string') return { url, token };
		}
	} catch {
		// Unreadable: as if nothing were kept.
	}
	return undefined;
}

export function saveSession(session: ConsoleSession): void {
	try {
		storage()?.setItem(SESSION_KEY, JSON.stringify(session));
	} catch {
		// Full or refused: kept in the page only.
	}
}

export function forgetSession(): void {
	try {
		storage()?.removeItem(SESSION_KEY);
	} catch {
		// Nothing to forget.
	}
}
