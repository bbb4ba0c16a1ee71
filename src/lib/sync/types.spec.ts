import { describe, expect, it } from 'vitest';
import { sampleAct, sampleChain } from '../core/record-fixtures';
import { readPushResult } from './types';

describe('readPushResult', () => {
	it('keeps only ids that were sent, and accepted wins over rejected', async () => {
		const sent = await sampleChain({ acts: [sampleAct(), sampleAct()] });
		const result = readPushResult({
			sent,
			result: {
				accepted: [sent[0]!.id, { id: 'someone-else', receivedAt: 'x' }, sent[0]!.id],
				rejected: [
					{ id: sent[0]!.id, reason: 'late duplicate' },
					{ id: sent[1]!.id, reason: '', retryable: true },
					{ id: 'someone-else', reason: 'n/a' }
				]
			}
		});
		expect(result).toEqual({
			accepted: [{ id: sent[0]!.id }],
			rejected: [{ id: sent[1]!.id, reason: 'no reason given', retryable: true }]
		});
	});

	it.each([
		null,
		'ok',
		{ accepted: [] },
		{ accepted: [42], rejected: [] },
		{ accepted: [], rejected: ['x'] }
	])('refuses %j so the records stay pending', async (answer) => {
		const sent = await sampleChain({ acts: [sampleAct()] });
		expect(() => readPushResult({ sent, result: answer })).toThrow(
			expect.objectContaining({ code: 'sync/bad-response' })
		);
	});
});
