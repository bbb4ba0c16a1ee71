import { describe, expect, it } from 'vitest';
import { sampleChain } from '$lib/core/record-fixtures';
import type { OutboxEntry } from '$lib/store/db';
import {
	buildRecordsExport,
	exportBlob,
	exportFileName,
	filterChoices,
	NO_FILTER,
	NO_PARTNER,
	selectRecords
} from './records';
import { variedActs } from './records-fixtures';

const entry = (id: string, seq: number): OutboxEntry => ({
	id,
	seq,
	state: 'pending',
	attempts: 0,
	updatedAt: '2026-11-24T06:30:00.000Z'
});

describe('records of the records page', () => {
	it('orders newest first and combines filters', async () => {
		const records = await sampleChain({ acts: variedActs() });
		const seqs = (filter = NO_FILTER) => selectRecords({ records, filter }).map((r) => r.seq);
		expect(seqs()).toEqual([4, 3, 2, 1]);
		expect(seqs({ ...NO_FILTER, subject: 'alice', partner: NO_PARTNER })).toEqual([1]);
		expect(seqs({ ...NO_FILTER, subject: 'alice', action: 'associate' })).toEqual([]);
	});

	it('offers the values that occur, sorted', async () => {
		const records = await sampleChain({ acts: variedActs() });
		expect(filterChoices(records)).toEqual({
			subjects: ['alice', 'bob', 'carol'],
			statements: ['partner-association', 'terms'],
			partners: ['harbor-books', 'lumen-travel'],
			actions: ['accept', 'decline', 'associate', 'disassociate'],
			withoutPartner: true
		});
	});

	it('exports records oldest first with the sync state of those records only', async () => {
		const records = await sampleChain({ acts: variedActs().slice(0, 2) });
		const file = buildRecordsExport({
			records: [...records].reverse(),
			entries: [entry(records[1]!.id, 2), entry('not-a-held-record', 9)],
			origin: 'https://statements.example.com',
			now: new Date('2026-11-25T23:59:59.999Z')
		});
		expect(file.records).toEqual(records);
		expect(file.sync).toEqual({
			[records[1]!.id]: {
				seq: 2,
				state: 'pending',
				attempts: 0,
				updatedAt: '2026-11-24T06:30:00.000Z'
			}
		});
	});

	it.each([
		{ name: 'several chunks', count: 4, size: 3 },
		{ name: 'one chunk', count: 2, size: 10 },
		{ name: 'no records', count: 0, size: 10 }
	])(
		'writes the export a chunk at a time, byte for byte the file made at once ($name)',
		async ({ count, size }) => {
			const records = count ? await sampleChain({ acts: variedActs().slice(0, count) }) : [];
			const entries = [...records.map((r) => entry(r.id, r.seq)), entry('not-a-held-record', 9)];
			entries[0] &&= { ...entries[0], state: 'rejected', reason: 'Subject unknown.' };
			const chunks = async function* <T>(list: T[]) {
				for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
			};
			const now = new Date('2026-11-25T08:00:00.000Z');
			const origin = 'https://statements.example.com';
			const blob = await exportBlob({
				records: chunks(records),
				entries: () => chunks(entries),
				origin,
				now
			});
			const file = buildRecordsExport({ records, entries, origin, now });
			expect(blob.type).toBe('application/json');
			expect(await blob.text()).toBe(JSON.stringify(file, null, 2) + '\n');
		}
	);

	it('names the file after the UTC day', () => {
		expect(exportFileName(new Date('2026-11-25T23:59:59.999Z'))).toBe(
			'assent-records-2026-11-25.json'
		);
	});
});
