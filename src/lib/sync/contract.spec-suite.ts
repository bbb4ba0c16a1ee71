/**
 * The contract every sync adapter passes (SPEC section 7), run by each adapter's spec file
 * against a real backend: records accepted once each however often they are resent, results
 * that name only what was sent, refusals with reasons, and aborts honoured.
 *
 * Test code: only spec files import it (it is no `*.spec.ts`, so it runs only through them).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AcceptanceRecord } from '../core/record';
import { sampleAct, sampleChain } from '../core/record-fixtures';
import { StandingError, readPushResult, readStandingResult, type SyncAdapter } from './types';

export interface ContractBackend {
	adapter: SyncAdapter;
	/** What the backend holds, once per record. */
	received(): Promise<AcceptanceRecord[]>;
	/**
	 * A token that vouches for `subject`, for the backend's standing (SPEC section 8). Present
	 * when the adapter has `standing`: the contract's standing half then runs.
	 */
	token?(subject: string): Promise<string>;
	close(): Promise<void>;
}

export function adapterContract(options: {
	name: string;
	/** A backend that refuses records whose subject is `refuse-me`. */
	create: () => Promise<ContractBackend>;
}): void {
	describe(`${options.name} (sync adapter contract)`, () => {
		let backend: ContractBackend;
		let records: AcceptanceRecord[];
		const push = (batch: AcceptanceRecord[]) =>
			Promise.resolve(backend.adapter.push(batch, { signal: new AbortController().signal }));

		beforeEach(async () => {
			backend = await options.create();
			records = await sampleChain({
				acts: [sampleAct(), sampleAct({ subject: 'customer-2' }), sampleAct({ subject: 'c-3' })]
			});
		});
		afterEach(() => backend.close());

		it('accepts a batch and the backend holds each record as sent, oldest first', async () => {
			const result = readPushResult({ result: await push(records), sent: records });
			expect(result.accepted.map((a) => a.id).sort()).toEqual(records.map((r) => r.id).sort());
			expect(result.rejected).toEqual([]);
			const held = await backend.received();
			expect(held.map((r) => r.id)).toEqual(records.map((r) => r.id));
			expect(held).toEqual(records);
		});

		it('stores each record once however often a batch is resent', async () => {
			await push(records);
			await push(records.slice(1));
			const again = readPushResult({ result: await push(records), sent: records });
			expect(again.accepted.map((a) => a.id).sort()).toEqual(records.map((r) => r.id).sort());
			expect(await backend.received()).toHaveLength(records.length);
		});

		it('names only records that were sent', async () => {
			const answer = await push(records.slice(0, 1));
			const ids = [
				...answer.accepted.map((a) => (typeof a === 'string' ? a : a.id)),
				...answer.rejected.map((r) => r.id)
			];
			expect(ids).toEqual([records[0]!.id]);
		});

		it('refuses a record with a reason and keeps accepting the rest', async () => {
			const [bad] = await sampleChain({ acts: [sampleAct({ subject: 'refuse-me' })] });
			const batch = [...records.slice(0, 2), bad!];
			const result = readPushResult({ result: await push(batch), sent: batch });
			expect(result.accepted.map((a) => a.id).sort()).toEqual(
				records
					.slice(0, 2)
					.map((r) => r.id)
					.sort()
			);
			expect(result.rejected).toEqual([
				expect.objectContaining({ id: bad!.id, reason: expect.stringMatching(/\S/) })
			]);
			expect((await backend.received()).map((r) => r.id)).not.toContain(bad!.id);
		});

		it('settles a batch holding a record it cannot take record by record, never failing the push', async () => {
			// 3,000 characters that do not compress: past PostgreSQL's 2,704-byte index rows and
			// the record schema's 512 characters. A backend may refuse it, alone.
			let seed = 7;
			const subject = Array.from({ length: 3000 }, () => {
				seed = (seed * 1103515245 + 12345) % 2 ** 31;
				return 'abcdefghijklmnopqrstuvwxyz0123456789'[(seed >> 8) % 36];
			}).join('');
			const [huge] = await sampleChain({ acts: [sampleAct({ subject })] });
			const batch = [records[0]!, huge!, records[1]!];
			const result = readPushResult({ result: await push(batch), sent: batch });
			const named = [...result.accepted.map((a) => a.id), ...result.rejected.map((r) => r.id)];
			expect(named.sort()).toEqual(batch.map((r) => r.id).sort());
			expect(result.accepted.map((a) => a.id)).toEqual(
				expect.arrayContaining([records[0]!.id, records[1]!.id])
			);
		});

		describe('standing (SPEC section 8)', () => {
			const standing = async (subject: string, token: string) =>
				readStandingResult(await backend.adapter.standing!(subject, token));
			const refusal = (subject: string, token: string) =>
				Promise.resolve()
					.then(() => backend.adapter.standing!(subject, token))
					.then(
						() => undefined,
						(error: unknown) => error
					);

			it("answers a subject's records from every device, each with its receive time, and no one else's", async (context) => {
				if (!backend.token || !backend.adapter.standing) return context.skip();
				// Two devices of customer-123 (two chains), and another customer.
				const [other] = await sampleChain({ acts: [sampleAct()] });
				await push(records);
				await push([other!]);
				const result = await standing('customer-123', await backend.token('customer-123'));
				const ids = result.records.map((e) => e.record.id).sort();
				expect(ids).toEqual([records[0]!.id, other!.id].sort());
				for (const entry of result.records) {
					expect(entry.record).toEqual([records[0]!, other!].find((r) => r.id === entry.record.id));
					expect(Date.parse(entry.receivedAt!)).not.toBeNaN();
				}
				expect((await standing('nobody-yet', await backend.token('nobody-yet'))).records).toEqual(
					[]
				);
			});

			it("refuses another subject's token, saying the token was refused", async (context) => {
				if (!backend.token || !backend.adapter.standing) return context.skip();
				await push(records);
				const failure = await refusal('customer-123', await backend.token('customer-2'));
				expect(failure).toBeInstanceOf(StandingError);
				expect(failure).toMatchObject({ reason: 'refused', code: 'standing/refused' });
				const forged = await refusal('customer-123', 'not-a-token');
				expect(forged).toMatchObject({ reason: 'refused' });
			});
		});

		it("honours an aborted signal: rejects with the signal's reason and stores nothing", async () => {
			const controller = new AbortController();
			controller.abort();
			const failure = await Promise.resolve()
				.then(() => backend.adapter.push(records, { signal: controller.signal }))
				.then(
					() => undefined,
					(error: unknown) => error
				);
			// The engine tells an abort from a failure by the signal; the error is what fetch and
			// AbortSignal.throwIfAborted give: the signal's own reason, an AbortError.
			expect(failure).toBe(controller.signal.reason);
			expect(failure).toMatchObject({ name: 'AbortError' });
			expect(await backend.received()).toEqual([]);
		});
	});
}
