import { describe, expect, it } from 'vitest';
import { sampleAct, sampleChain } from '../core/record-fixtures';
import { RetryableSyncError } from '../sync/types';
import { CORS_RETRY_MS, corsAwareAdapter } from './sync';

const URL_ = 'https://api.shop.example/acceptances';
const ORIGIN = 'https://partner.example';

/** A browser's fetch: CORS requests fail as the browser fails them; `no-cors` ones as `probe` says. */
function browserFetch(probe: 'answers' | 'down') {
	const modes: string[] = [];
	const fetch = (async (_input: string | URL | Request, init?: RequestInit) => {
		modes.push(init?.mode ?? 'cors');
		if (init?.mode === 'no-cors' && probe === 'answers') return new Response(null, { status: 200 });
		throw new TypeError('Failed to fetch');
	}) as typeof globalThis.fetch;
	return { fetch, modes };
}

describe('corsAwareAdapter', () => {
	it('names the origin to allow when the backend answers but refuses it, and asks to wait minutes', async () => {
		const { fetch, modes } = browserFetch('answers');
		const records = await sampleChain({ acts: [sampleAct()] });
		const adapter = corsAwareAdapter({ url: URL_, origin: ORIGIN, fetch });
		const failure = await Promise.resolve(
			adapter.push(records, { signal: new AbortController().signal })
		).catch((e: unknown) => e);
		expect(failure).toBeInstanceOf(RetryableSyncError);
		expect(failure).toMatchObject({
			code: 'sync/cors',
			retryAfterMs: CORS_RETRY_MS,
			message: expect.stringContaining(
				`The sync backend at ${URL_} does not allow requests from origin ${ORIGIN}: add ${ORIGIN} to its allowed origins`
			)
		});
		expect(modes).toEqual(['cors', 'no-cors']);
	});

	it('says the backend could not be reached when nothing answers at all', async () => {
		const { fetch } = browserFetch('down');
		const records = await sampleChain({ acts: [sampleAct()] });
		const adapter = corsAwareAdapter({ url: URL_, origin: ORIGIN, fetch });
		const failure = await Promise.resolve(
			adapter.push(records, { signal: new AbortController().signal })
		).catch((e: unknown) => e);
		expect(failure).toMatchObject({
			code: 'sync/retry',
			message: expect.stringContaining('could not be reached (Failed to fetch)')
		});
		expect((failure as RetryableSyncError).retryAfterMs).toBeUndefined();
	});
});
