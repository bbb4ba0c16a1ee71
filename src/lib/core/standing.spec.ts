import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceKey } from './evidence';
import { canonicalJson } from './jcs';
import type { AcceptanceRecord } from './record';
import { sampleAct, sampleChain } from './record-fixtures';
import { jwkThumbprint } from './signature';
import { checkStanding, combineRecords, decidingRecords, readReceiptKey } from './standing';

interface Backend {
	key: EvidenceKey;
	receipt: (record: AcceptanceRecord) => Promise<Record<string, unknown>>;
}

/** A backend's signing key and its receipts, as the reference receiver makes them. */
async function backend(): Promise<Backend> {
	const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
		'sign',
		'verify'
	])) as CryptoKeyPair;
	const { x } = await crypto.subtle.exportKey('jwk', pair.publicKey);
	const jwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: x! };
	const kid = await jwkThumbprint(jwk);
	return {
		key: { alg: 'Ed25519', kid, jwk },
		receipt: async (record) => {
			const fields = {
				schema: 'assent.receipt/1',
				alg: 'Ed25519',
				kid,
				id: record.id,
				digest: record.digest,
				receivedAt: '2026-11-24T06:31:00.000Z'
			};
			const signature = await crypto.subtle.sign(
				{ name: 'Ed25519' },
				pair.privateKey,
				new TextEncoder().encode(canonicalJson(fields))
			);
			return { ...fields, signature: Buffer.from(signature).toString('base64url') };
		}
	};
}

let ours: Backend;
let forger: Backend;
let records: AcceptanceRecord[];

beforeAll(async () => {
	[ours, forger] = await Promise.all([backend(), backend()]);
	records = await sampleChain({
		acts: [
			sampleAct({ action: 'associate', partner: 'acme' }),
			sampleAct(),
			sampleAct({ subject: 'someone-else' })
		]
	});
});

describe('checkStanding', () => {
	it('trusts records whose digest and receipt check out, and refuses every other, saying why', async () => {
		const [associate, accept, other] = records as [
			AcceptanceRecord,
			AcceptanceRecord,
			AcceptanceRecord
		];
		const broken = { ...accept, subject: 'customer-123', at: '2030-01-01T00:00:00.000Z' };
		const entries = [
			{
				record: associate,
				receivedAt: '2026-11-24T06:31:00.000Z',
				receipt: await ours.receipt(associate)
			},
			// Changed after it was made: the digest no longer matches.
			{ record: broken, receipt: await ours.receipt(broken) },
			// Signed by a key the backend does not publish, with its kid swapped in.
			{ record: accept, receipt: { ...(await forger.receipt(accept)), kid: ours.key.kid } },
			// Another subject's record in this subject's standing.
			{ record: other, receipt: await ours.receipt(other) },
			// No receipt at all, and not a record.
			{ record: accept },
			{ record: { id: 'x' }, receipt: {} }
		];
		const result = await checkStanding({ entries, subject: 'customer-123', key: ours.key });
		expect(result.trusted.map((t) => t.record)).toEqual([associate]);
		expect(result.trusted[0]!.receivedAt).toBe('2026-11-24T06:31:00.000Z');
		expect(result.refused.map((r) => [r.id, r.problem])).toEqual([
			[accept.id, 'digest'],
			[accept.id, 'receipt'],
			[other.id, 'subject'],
			[accept.id, 'receipt'],
			['x', 'shape']
		]);
		expect(result.refused[1]!.message).toMatch(/signature does not verify against key/);
		expect(result.refused[3]!.message).toMatch(/without the backend’s signed receipt/);
	});

	it('refuses a receipt signed by another key, by its kid', async () => {
		const [associate] = records;
		const result = await checkStanding({
			entries: [{ record: associate!, receipt: await forger.receipt(associate!) }],
			subject: 'customer-123',
			key: ours.key
		});
		expect(result.trusted).toEqual([]);
		expect(result.refused[0]!.message).toContain(`but the backend publishes key ${ours.key.kid}`);
	});
});

describe('readReceiptKey', () => {
	it('takes a published key whose kid is its thumbprint, and refuses one that lies about it', async () => {
		expect(await readReceiptKey(ours.key)).toEqual(ours.key);
		await expect(readReceiptKey({ ...ours.key, kid: forger.key.kid })).rejects.toThrow(
			/is not the key's thumbprint/
		);
		await expect(readReceiptKey({ kid: 'k', jwk: { kty: 'RSA' } })).rejects.toThrow(/Ed25519/);
	});
});

describe('combineRecords and decidingRecords', () => {
	it('counts a synced record once, as this browser’s, and names the records that decide', async () => {
		const [associate, accept] = records as [AcceptanceRecord, AcceptanceRecord];
		const combined = combineRecords({ local: [accept], remote: [accept, associate] });
		expect(combined.records).toEqual([accept, associate]);
		const decided = decidingRecords({
			...combined,
			subject: 'customer-123',
			statementIds: ['terms', 'privacy'],
			partner: 'acme',
			perPartner: true
		});
		expect(Object.fromEntries(decided.statements)).toEqual({
			terms: { id: associate.id, source: 'remote' }
		});
		expect(decided.association).toEqual({ id: associate.id, source: 'remote' });
		const any = decidingRecords({ ...combined, subject: 'customer-123', statementIds: ['terms'] });
		// The accept came later in the chain: without a partner it is the latest acceptance.
		expect(any.statements.get('terms')).toEqual({ id: accept.id, source: 'local' });
		expect(any.association).toBeUndefined();
	});
});
