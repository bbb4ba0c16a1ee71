import { describe, expect, it } from 'vitest';
import { loadSigningKey, signReceipt, verifyReceipt } from './receipts.js';
import { SIGN_CHUNK, SIGN_IN_THREAD_FROM, batchSigner } from './signer.js';

const key = loadSigningKey({});
const fields = (n: number) =>
	Array.from({ length: n }, (_, i) => ({
		id: `019ab000-0000-7000-8000-${String(i).padStart(12, '0')}`,
		digest: `sha256:${String(i).padStart(64, '0')}`,
		receivedAt: '2026-11-30T12:00:00.000Z',
		...(i % 3 === 0 ? { subject: 'unverified' as const } : {})
	}));

describe('batchSigner', () => {
	it.each([1, SIGN_IN_THREAD_FROM - 1, SIGN_IN_THREAD_FROM, SIGN_CHUNK * 3 + 5, 500])(
		'gives %i records each its own receipt, in order, the one signReceipt makes',
		async (size) => {
			const signer = batchSigner({ key, size });
			const wanted = fields(size);
			for (const f of wanted) signer.add(f);
			const receipts = await signer.receipts();
			expect(receipts).toEqual(wanted.map((f) => signReceipt({ key, ...f })));
			for (const receipt of receipts) {
				expect(verifyReceipt({ receipt, publicKey: key.publicKey })).toBe(true);
			}
		}
	);

	it('signs for two keys at once without mixing them up', async () => {
		const other = loadSigningKey({});
		const a = batchSigner({ key, size: 100 });
		const b = batchSigner({ key: other, size: 100 });
		for (const f of fields(100)) {
			a.add(f);
			b.add(f);
		}
		const [mine, theirs] = await Promise.all([a.receipts(), b.receipts()]);
		expect(mine.every((receipt) => verifyReceipt({ receipt, publicKey: key.publicKey }))).toBe(
			true
		);
		expect(theirs.every((receipt) => verifyReceipt({ receipt, publicKey: other.publicKey }))).toBe(
			true
		);
		expect(theirs[0]!.kid).toBe(other.kid);
	});
});
