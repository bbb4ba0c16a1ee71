import { describe, expect, it } from 'vitest';
import { describeAssurance, recordAssurance } from './assurance';

describe('a record’s assurance', () => {
	it('reads the receipt’s subject and relayed marks and the record’s visibility', () => {
		const shown = { presentation: { visible: true } };
		expect(
			recordAssurance({ record: shown, receipt: { subject: 'unverified', relayed: true } })
		).toEqual({ subject: 'unverified', relayed: true, visible: true });
		expect(
			recordAssurance({ record: { presentation: { visible: 'unknown' } }, receipt: {} })
		).toEqual({
			subject: 'verified',
			relayed: false,
			visible: false
		});
		// No receipt: nothing says whether a subject token was checked.
		expect(recordAssurance({ record: {}, receipt: undefined })).toEqual({
			subject: 'unknown',
			relayed: false,
			visible: false
		});
	});

	it('says it in the reader’s language', () => {
		const assurance = { subject: 'verified', relayed: true, visible: true } as const;
		expect(describeAssurance({ assurance })).toBe(
			'subject verified by a token · relayed from the partner page’s storage · seen visibly shown'
		);
		expect(
			describeAssurance({
				assurance: { subject: 'unknown', relayed: false, visible: false },
				locale: 'zh-CN'
			})
		).toBe('没有回执：无法确认主体是否经过验证 · 无法确认是否可见');
	});
});
