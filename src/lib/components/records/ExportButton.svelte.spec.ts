import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import schema from '../../../../static/schemas/record.json';
import { verifyChain } from '$lib/core/chain';
import ExportButton from './ExportButton.svelte';
import type { RecordsExport } from './records';
import { appendAll, enableLiveQueries, memoryLog, variedActs } from './records-fixtures';

beforeAll(enableLiveQueries);
afterEach(() => {
	cleanup();
	vi.restoreAllMocks();
});

// The schema's formats are checked by its patterns; ajv-formats is not needed for them.
const validateRecord = new Ajv2020({ strict: true, validateFormats: false }).compile(schema);

/** Clicks Export and returns the file the browser was handed: its name and its text. */
async function exportFile(): Promise<{ name: string; text: string }> {
	let blob: Blob | undefined;
	let name = '';
	vi.spyOn(URL, 'createObjectURL').mockImplementation((value) => {
		blob = value as Blob;
		return 'blob:records';
	});
	vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
	vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
		this: HTMLAnchorElement
	) {
		expect(this.href).toBe('blob:records');
		name = this.download;
	});
	await fireEvent.click(screen.getByRole('button', { name: 'Export records' }));
	expect(blob?.type).toBe('application/json');
	const text = await new Promise<string>((resolve, reject) => {
		const reader = new FileReader();
		reader.onload = () => resolve(reader.result as string);
		reader.onerror = () => reject(reader.error ?? new Error('unreadable export'));
		reader.readAsText(blob!);
	});
	return { name, text };
}

describe('the export', () => {
	it('downloads every record as stored, each valid against the record schema, with sync state beside', async () => {
		const log = memoryLog();
		const records = await appendAll({ log, acts: variedActs() });
		await log.settle([
			{ id: records[0]!.id, state: 'synced', receivedAt: '2026-11-24T06:40:00.000Z' },
			{ id: records[1]!.id, state: 'rejected', reason: 'Subject unknown to the partner.' }
		]);
		const stored = await log.all();
		const entries = await log.entries();
		render(ExportButton, {
			records: [...stored].reverse(),
			entries,
			now: () => new Date('2026-11-25T08:00:00.000Z')
		});
		const { name, text } = await exportFile();
		expect(name).toBe('assent-records-2026-11-25.json');
		const file = JSON.parse(text) as RecordsExport;
		expect(Object.keys(file)).toEqual(['format', 'exportedAt', 'origin', 'records', 'sync']);
		expect(file.format).toBe('assent.records-export/1');
		expect(file.exportedAt).toBe('2026-11-25T08:00:00.000Z');
		expect(file.origin).toBe(location.origin);
		// Oldest first and byte for byte as stored, whatever order they were shown in.
		expect(JSON.stringify(file.records)).toBe(JSON.stringify(stored));
		for (const record of file.records) {
			expect(validateRecord(record), JSON.stringify(validateRecord.errors)).toBe(true);
		}
		await expect(verifyChain({ records: file.records })).resolves.toEqual({ ok: true, count: 4 });
		expect(Object.keys(file.sync)).toEqual(records.map((r) => r.id));
		expect(file.sync[records[0]!.id]).toMatchObject({
			seq: 1,
			state: 'synced',
			attempts: 1,
			receivedAt: '2026-11-24T06:40:00.000Z'
		});
		expect(file.sync[records[1]!.id]).toMatchObject({
			state: 'rejected',
			reason: 'Subject unknown to the partner.'
		});
		expect(file.sync[records[2]!.id]).toMatchObject({ state: 'pending', attempts: 0 });
		expect(file.sync[records[0]!.id]).not.toHaveProperty('id');
	});

	it('is disabled while there is nothing to export', () => {
		render(ExportButton, { records: [], entries: [] });
		expect(screen.getByRole('button', { name: 'Export records' })).toBeDisabled();
		expect(screen.getByText('Nothing to export yet.')).toBeInTheDocument();
	});
});
