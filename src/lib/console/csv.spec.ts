import { describe, expect, it } from 'vitest';
import type { OperatorStanding, SubjectList } from './client';
import { csvExport, csvField, standingLine } from './csv';

const standing = (subject: string): OperatorStanding => ({
	subject,
	statement: 'terms',
	inForce: '2.0',
	accepted: '1.0',
	acceptedAt: '2026-01-02T10:00:00.000Z',
	mustAccept: true,
	reason: 'material-change',
	changedSince: [
		{ version: '1.1', change: 'minor' },
		{ version: '2.0', change: 'material' }
	],
	records: { acceptance: '019ab000-0000-7000-8000-000000000001' }
});

describe('the CSV of who must accept again', () => {
	it('quotes commas, quotes and line breaks, and keeps a subject from becoming a formula', () => {
		expect(csvField('plain')).toBe('plain');
		expect(csvField('a,b')).toBe('"a,b"');
		expect(csvField('say "hi"')).toBe('"say ""hi"""');
		expect(csvField('two\nlines')).toBe('"two\nlines"');
		expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
		expect(csvField('+1')).toBe("'+1");
		expect(csvField('@sum')).toBe("'@sum");
		expect(csvField(null)).toBe('');
		expect(csvField(true)).toBe('true');
		expect(standingLine(standing('cust-1'))).toBe(
			'cust-1,terms,2.0,1.0,2026-01-02T10:00:00.000Z,true,material-change,1.1 (minor); 2.0 (material),019ab000-0000-7000-8000-000000000001\r\n'
		);
	});

	it('asks for every page with the cursor of the one before, and reports progress after each', async () => {
		const pages: SubjectList[] = [
			{ statement: 'terms', subjects: [standing('a'), standing('b')], next: 'c1' },
			{ statement: 'terms', subjects: [], next: 'c2' },
			{ statement: 'terms', subjects: [standing('c')] }
		];
		const cursors: (string | undefined)[] = [];
		const progress: { rows: number; pages: number }[] = [];
		const pieces = await csvExport({
			page: async (cursor) => {
				cursors.push(cursor);
				return pages[cursors.length - 1]!;
			},
			onProgress: (p) => progress.push(p)
		});
		expect(cursors).toEqual([undefined, 'c1', 'c2']);
		expect(progress).toEqual([
			{ rows: 2, pages: 1 },
			{ rows: 2, pages: 2 },
			{ rows: 3, pages: 3 }
		]);
		const lines = pieces.join('').split('\r\n');
		expect(lines[0]).toMatch(/^subject,statement,/);
		expect(lines.slice(1, -1).map((l) => l.split(',')[0])).toEqual(['a', 'b', 'c']);
	});

	it('stops when cancelled, and fails as a whole when a page fails', async () => {
		const abort = new AbortController();
		await expect(
			csvExport({
				page: async () => {
					abort.abort(new Error('cancelled'));
					return { statement: 'terms', subjects: [standing('a')], next: 'more' };
				},
				signal: abort.signal
			})
		).rejects.toThrow('cancelled');
		await expect(
			csvExport({
				page: async (cursor) => {
					if (cursor) throw new Error('HTTP 500');
					return { statement: 'terms', subjects: [standing('a')], next: 'more' };
				}
			})
		).rejects.toThrow('HTTP 500');
	});
});
