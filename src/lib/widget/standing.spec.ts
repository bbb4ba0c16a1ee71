import { describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '../core/jcs';
import { sampleAct, sampleChain } from '../core/record-fixtures';
import { jwkThumbprint } from '../core/signature';
import { StandingError } from '../sync/types';
import { readStanding, receiptKeyUrl } from './standing';

async function backend() {
	const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
		'sign',
		'verify'
	])) as CryptoKeyPair;
	const { x } = await crypto.subtle.exportKey('jwk', pair.publicKey);
	const jwk = { kty: 'OKP', crv: 'Ed25519', x: x! };
	const kid = await jwkThumbprint(jwk);
	const [record] = await sampleChain({ acts: [sampleAct()] });
	const fields = {
		schema: 'assent.receipt/1',
		alg: 'Ed25519',
		kid,
		id: record!.id,
		digest: record!.digest,
		receivedAt: '2026-11-24T06:31:00.000Z'
	};
	const signature = await crypto.subtle.sign(
		{ name: 'Ed25519' },
		pair.privateKey,
		new TextEncoder().encode(canonicalJson(fields))
	);
	const receipt = { ...fields, signature: Buffer.from(signature).toString('base64url') };
	return { key: { alg: 'Ed25519', kid, jwk }, record: record!, receipt };
}

describe('readStanding', () => {
	it('fetches the backend key once per page and trusts the records it verifies', async () => {
		const { key, record, receipt } = await backend();
		const keyFetch = vi.fn(async () => Response.json(key));
		const adapter = { standing: vi.fn(async () => ({ records: [{ record, receipt }] })) };
		const options = {
			adapter,
			syncUrl: 'https://api.example/once/acceptances/',
			subject: 'customer-123',
			token: 't',
			fetch: keyFetch as unknown as typeof fetch
		};
		const first = await readStanding(options);
		const second = await readStanding(options);
		expect(first).toMatchObject({ checked: true, trusted: [{ record }], refused: [] });
		expect(second).toMatchObject({ checked: true, trusted: [{ record }] });
		expect(keyFetch).toHaveBeenCalledTimes(1);
		expect(keyFetch.mock.calls[0]).toEqual([
			'https://api.example/once/acceptances/key',
			{ credentials: 'omit' }
		]);
		expect(adapter.standing).toHaveBeenCalledWith('customer-123', 't');
	});

	it('trusts nothing without the key, and asks for it again next time', async () => {
		const { key, record, receipt } = await backend();
		const keyFetch = vi
			.fn()
			.mockResolvedValueOnce(new Response('down', { status: 503 }))
			.mockResolvedValueOnce(Response.json(key));
		const options = {
			adapter: { standing: async () => ({ records: [{ record, receipt }] }) },
			syncUrl: 'https://api.example/retry/acceptances',
			subject: 'customer-123',
			token: 't',
			fetch: keyFetch as unknown as typeof fetch
		};
		expect(await readStanding(options)).toMatchObject({
			checked: false,
			reason: 'key-unavailable',
			message: expect.stringContaining('https://api.example/retry/acceptances/key')
		});
		expect(await readStanding(options)).toMatchObject({ checked: true });
	});

	it('says why the backend was not checked, and flags what the partner must fix', async () => {
		const failing = (reason: StandingError['reason']) => ({
			standing: async () => {
				throw new StandingError({ reason, message: `it said ${reason}` });
			}
		});
		const base = { syncUrl: 'https://api.example/a', subject: 's', token: 't' };
		const offline = await readStanding({ ...base, adapter: failing('unreachable') });
		expect(offline).toEqual({ checked: false, reason: 'offline', message: 'it said unreachable' });
		const none = await readStanding({ ...base, adapter: failing('no-endpoint') });
		expect(none).toEqual({ checked: false, reason: 'no-endpoint', message: 'it said no-endpoint' });
		const refused = await readStanding({ ...base, adapter: failing('refused') });
		expect(refused).toMatchObject({
			checked: false,
			reason: 'token-refused',
			error: { code: 'standing/refused' }
		});
		expect(await readStanding({ ...base, adapter: {} })).toMatchObject({ reason: 'no-backend' });
		expect(receiptKeyUrl('https://api.example/a/?x=1')).toBe('https://api.example/a/key');
	});
});
