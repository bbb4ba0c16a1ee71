import { beforeAll, describe, expect, it } from 'vitest';
import { ChainChecker, verifyChain } from './chain';
import { recordDigest } from './digest';
import type { AcceptanceRecord } from './record';
import { buildRecord } from './record-builder';
import { sampleAct, sampleChain } from './record-fixtures';

let chain: AcceptanceRecord[];

beforeAll(async () => {
	chain = await sampleChain({
		acts: [
			sampleAct(),
			sampleAct({ action: 'decline' }),
			sampleAct({ action: 'associate', partner: 'acme' }),
			sampleAct({ subject: 'customer-456' }),
			sampleAct({ action: 'disassociate', partner: 'acme' })
		]
	});
});

/** The record at `index` of the chain, which always has five. */
function at(index: number): AcceptanceRecord {
	return chain[index]!;
}

describe('verifyChain', () => {
	it('accepts an empty list and a whole chain', async () => {
		expect(await verifyChain({ records: [] })).toEqual({ ok: true, count: 0 });
		expect(await verifyChain({ records: chain })).toEqual({ ok: true, count: 5 });
	});

	it('accepts records that went through JSON, as in an export file', async () => {
		const exported = JSON.parse(JSON.stringify(chain)) as unknown[];
		expect(await verifyChain({ records: exported })).toEqual({ ok: true, count: 5 });
	});

	it('finds a tampered field', async () => {
		const records = [...chain];
		records[2] = { ...at(2), partner: 'evil-corp' };
		expect(await verifyChain({ records })).toEqual({
			ok: false,
			index: 2,
			id: at(2).id,
			problem: 'digest-mismatch',
			message:
				'Record 3 (seq 3): its content does not match its digest: it was changed after it was written.'
		});
	});

	it('finds a tampered record whose digest was recomputed, at the next link', async () => {
		const forged = { ...at(1), subject: 'someone-else' };
		forged.digest = await recordDigest(forged);
		const records = [at(0), forged, at(2), at(3), at(4)];
		const verdict = await verifyChain({ records });
		expect(verdict).toMatchObject({ ok: false, index: 2, problem: 'broken-link' });
	});

	it('finds a removed record', async () => {
		const records = [at(0), at(1), at(3), at(4)];
		const verdict = await verifyChain({ records });
		expect(verdict).toMatchObject({ ok: false, index: 2, id: at(3).id, problem: 'missing' });
		expect(verdict.ok || verdict.message).toMatch(/seq 3 are missing/);
	});

	it('finds several removed records', async () => {
		const verdict = await verifyChain({ records: [at(0), at(4)] });
		expect(verdict.ok || verdict.message).toMatch(/seq 2 to 4 are missing/);
	});

	it('finds removed first records, unless the export is partial on purpose', async () => {
		const records = chain.slice(2);
		expect(await verifyChain({ records })).toMatchObject({
			ok: false,
			index: 0,
			problem: 'missing'
		});
		expect(await verifyChain({ records, allowPartialStart: true })).toEqual({
			ok: true,
			count: 3
		});
	});

	it('still checks the first record of a partial export for tampering', async () => {
		const records = [{ ...at(2), subject: 'x' }, at(3)];
		expect(await verifyChain({ records, allowPartialStart: true })).toMatchObject({
			index: 0,
			problem: 'digest-mismatch'
		});
	});

	it('finds two swapped records', async () => {
		const records = [at(0), at(2), at(1), at(3), at(4)];
		expect(await verifyChain({ records })).toMatchObject({
			ok: false,
			index: 1,
			id: at(2).id,
			problem: 'reordered'
		});
	});

	it('finds a chain exported newest first', async () => {
		const records = [...chain].reverse();
		expect(await verifyChain({ records, allowPartialStart: true })).toMatchObject({
			index: 1,
			problem: 'reordered'
		});
	});

	it('finds a duplicated record', async () => {
		const records = [at(0), at(1), at(1), at(2)];
		expect(await verifyChain({ records })).toMatchObject({
			ok: false,
			index: 2,
			id: at(1).id,
			problem: 'duplicate'
		});
	});

	it('finds a fork: two records written on the same head', async () => {
		const fork = await buildRecord({
			act: sampleAct({ subject: 'other-tab' }),
			prev: { digest: at(0).digest, seq: 1 }
		});
		const verdict = await verifyChain({ records: [at(0), at(1), fork] });
		expect(verdict).toMatchObject({ index: 2, id: fork.id, problem: 'duplicate' });
		expect(verdict.ok || verdict.message).toMatch(/seq 2 was already used/);
	});

	it('finds a record linked correctly but numbered wrongly', async () => {
		const skipped = await buildRecord({
			act: sampleAct(),
			prev: { digest: at(1).digest, seq: 5 }
		});
		expect(await verifyChain({ records: [at(0), at(1), skipped] })).toMatchObject({
			index: 2,
			problem: 'seq-gap'
		});
	});

	it('requires the first record of a chain to have prev null', async () => {
		const first: AcceptanceRecord = { ...at(0), prev: at(4).digest };
		first.digest = await recordDigest(first);
		expect(await verifyChain({ records: [first] })).toMatchObject({ problem: 'broken-link' });
	});

	it('reports values that are not records', async () => {
		const verdict = await verifyChain({ records: [at(0), { hello: 'world' }] });
		expect(verdict).toMatchObject({ ok: false, index: 1, id: null, problem: 'schema' });
		const extra = await verifyChain({ records: [{ ...at(0), synced: true }] });
		expect(extra).toMatchObject({ index: 0, id: at(0).id, problem: 'schema' });
		expect(extra.ok || extra.message).toMatch(/synced: is not a record field/);
	});

	it('reports the first problem in list order', async () => {
		const records = [at(0), { ...at(1), subject: 'x' }, at(3), at(3)];
		expect(await verifyChain({ records })).toMatchObject({ index: 1, problem: 'digest-mismatch' });
	});
});

describe('ChainChecker', () => {
	/** The verdict of `records` pushed `size` at a time, and the seq of the record it names. */
	async function inChunks(records: unknown[], size: number) {
		const checker = new ChainChecker();
		for (let start = 0; start < records.length; start += size) {
			const verdict = await checker.push(records.slice(start, start + size));
			if (verdict) return { verdict, culprit: checker.culprit };
		}
		return { verdict: checker.finish(), culprit: checker.culprit };
	}

	it.each([
		{ name: 'a whole chain', records: () => [...chain] },
		{
			name: 'a tampered record',
			records: () => chain.map((r, i) => (i === 3 ? { ...r, subject: 'x' } : r))
		},
		{ name: 'two swapped records', records: () => [at(0), at(2), at(1), at(3), at(4)] },
		{
			name: 'a record that follows the last one',
			records: () => [at(0), at(4), at(1), at(2), at(3)]
		},
		{ name: 'a removed record', records: () => [at(0), at(1), at(3), at(4)] },
		{ name: 'a removed last-but-one record', records: () => [at(0), at(1), at(2), at(4)] },
		{ name: 'a duplicate', records: () => [at(0), at(1), at(1), at(2)] },
		{ name: 'a value that is not a record', records: () => [at(0), { seq: 2 }, at(2)] },
		{ name: 'a chain newest first', records: () => [...chain].reverse() }
	])('gives the verdict verifyChain gives, whatever the chunks: $name', async ({ records }) => {
		const list = records() as unknown[];
		const whole = await verifyChain({ records: list });
		for (const size of [1, 2, 3, 5]) {
			const { verdict, culprit } = await inChunks(list, size);
			expect(verdict, `chunks of ${size}`).toEqual(whole);
			if (!whole.ok) expect(culprit).toBe(list[whole.index]);
		}
	});
});
