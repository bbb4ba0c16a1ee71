import { describe, expect, it } from 'vitest';
import { loadSigningKey, publicKeyDocument, signReceipt } from '../../../../receiver/receipts.js';
import { appendAll, memoryLog } from './records-fixtures';
import { sampleAct } from '$lib/core/record-fixtures';
import type { OutboxEntry } from '$lib/store/db';
import { checkReceipt } from './receipt';

const SYNC_URL = 'https://api.shop.example/acceptances';

async function signedRecord(options: { key?: ReturnType<typeof loadSigningKey> } = {}) {
	const key = options.key ?? loadSigningKey({});
	const [record] = await appendAll({ log: memoryLog(), acts: [sampleAct({ subject: 'alice' })] });
	const receipt = signReceipt({
		key,
		id: record!.id,
		digest: record!.digest,
		receivedAt: '2026-11-24T06:31:00.000Z'
	});
	const entry: OutboxEntry = {
		id: record!.id,
		seq: record!.seq,
		state: 'synced',
		attempts: 1,
		updatedAt: '2026-11-24T06:31:00.000Z',
		receivedAt: '2026-11-24T06:31:00.000Z',
		receipt,
		target: SYNC_URL
	};
	return { key, record: record!, entry };
}

/** A backend that publishes `key` at `<sync-url>/key`, and notes what was asked. */
function backend(key: ReturnType<typeof loadSigningKey> | 'down' | 500) {
	const asked: string[] = [];
	const fetch = (async (input: string | URL | Request) => {
		asked.push(String(input));
		if (key === 'down') throw new TypeError('Failed to fetch');
		if (key === 500) return new Response('oops', { status: 500 });
		return new Response(JSON.stringify(publicKeyDocument({ key })), {
			headers: { 'Content-Type': 'application/json' }
		});
	}) as typeof globalThis.fetch;
	return { fetch, asked };
}

describe('checkReceipt', () => {
	it('verifies a receipt signed by the key the backend publishes at <sync-url>/key', async () => {
		const { key, record, entry } = await signedRecord();
		const { fetch, asked } = backend(key);
		expect(await checkReceipt({ record, entry, fetch })).toEqual({
			state: 'verified',
			kid: key.kid,
			keyUrl: `${SYNC_URL}/key`
		});
		expect(asked).toEqual([`${SYNC_URL}/key`]);
	});

	it('refuses a receipt signed by another key, or changed after signing', async () => {
		const { record, entry } = await signedRecord();
		const other = loadSigningKey({});
		const result = await checkReceipt({ record, entry, fetch: backend(other).fetch });
		expect(result).toMatchObject({ state: 'invalid', reason: 'key' });

		const { key, record: r2, entry: e2 } = await signedRecord();
		const forged = {
			...e2,
			receipt: { ...(e2.receipt as object), receivedAt: '2030-01-01T00:00:00.000Z' }
		};
		expect(
			await checkReceipt({ record: r2, entry: forged, fetch: backend(key).fetch })
		).toMatchObject({
			state: 'invalid',
			reason: 'signature',
			detail: `its signature does not verify against the key at ${SYNC_URL}/key.`
		});
	});

	it('refuses a receipt for another record', async () => {
		const { key, entry } = await signedRecord();
		const [other] = await appendAll({ log: memoryLog(), acts: [sampleAct({ subject: 'bob' })] });
		expect(
			await checkReceipt({
				record: other!,
				entry: { ...entry, id: other!.id },
				fetch: backend(key).fetch
			})
		).toMatchObject({ state: 'invalid', reason: 'record' });
	});

	it('says "not checked" and why when the key cannot be fetched or the backend is unknown', async () => {
		const { record, entry } = await signedRecord();
		expect(await checkReceipt({ record, entry, fetch: backend('down').fetch })).toEqual({
			state: 'not-checked',
			reason: 'key-unavailable',
			keyUrl: `${SYNC_URL}/key`,
			error: 'Failed to fetch',
			detail: `the backend’s key could not be fetched from ${SYNC_URL}/key (Failed to fetch).`
		});
		expect(await checkReceipt({ record, entry, fetch: backend(500).fetch })).toMatchObject({
			state: 'not-checked',
			detail: expect.stringContaining('(it answered HTTP 500)')
		});
		const unknown: OutboxEntry = { ...entry };
		delete unknown.target;
		expect(
			await checkReceipt({ record, entry: unknown, fetch: backend('down').fetch })
		).toMatchObject({
			state: 'not-checked',
			reason: 'no-target'
		});
		const bare: OutboxEntry = { ...entry };
		delete bare.receipt;
		expect(await checkReceipt({ record, entry: bare })).toMatchObject({
			state: 'not-checked',
			reason: 'no-receipt'
		});
	});
});
