import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { sampleChain } from '$lib/core/record-fixtures';
import { AssentDatabase } from '$lib/store/db';
import { RecordLog } from '$lib/store/log';
import { loadSigningKey, publicKeyDocument, signReceipt } from '../../../../receiver/receipts.js';
import RecordsView from './RecordsView.svelte';
import { loadNames } from './names';
import { NO_FILTER } from './records';
import { readPage } from './records-query';
import { checkReceipt } from './receipt';
import {
	appendAll,
	disableIndexedDB,
	enableLiveQueries,
	memoryLog,
	variedActs
} from './records-fixtures';

beforeAll(enableLiveQueries);
afterEach(cleanup);

const granted = () => Promise.resolve('granted' as const);

/** The `#seq` of every row of the table, top to bottom. */
function listedSeqs(): string[] {
	const table = screen.getByRole('table');
	return within(table)
		.getAllByRole('rowheader')
		.map((cell) => cell.textContent!.trim());
}

async function showing(count: number, timeout?: number): Promise<void> {
	await waitFor(
		() => expect(screen.getByRole('table').querySelectorAll('tbody tr')).toHaveLength(count),
		{ timeout }
	);
}

describe('the records of this browser', () => {
	it('says so when the browser holds no records yet', async () => {
		render(RecordsView, { log: memoryLog(), persist: granted });
		await screen.findByText(/No records in this browser yet/);
		expect(screen.queryByRole('table')).toBeNull();
		expect(screen.queryByRole('button', { name: 'Export records' })).toBeNull();
	});

	it('lists every record newest first, with its count and a captioned table', async () => {
		const log = memoryLog();
		const records = await appendAll({ log, acts: variedActs() });
		render(RecordsView, { log, persist: granted });
		await showing(4);
		expect(screen.getByTestId('records-count')).toHaveTextContent('4 records in this browser.');
		expect(listedSeqs()).toEqual(['#4', '#3', '#2', '#1']);
		const table = screen.getByRole('table', { name: 'Records, newest first' });
		for (const header of ['No.', 'Time', 'Action', 'Subject', 'Partner', 'Statement', 'Sync']) {
			expect(within(table).getByRole('columnheader', { name: header })).toHaveAttribute(
				'scope',
				'col'
			);
		}
		const newest = table.querySelector(`tr[data-id="${records[3]!.id}"]`)!;
		expect(newest.querySelector('time')).toHaveAttribute('datetime', records[3]!.at);
		expect(newest.querySelector('time')).toHaveAttribute('title', records[3]!.at);
		expect(newest).toHaveTextContent('Disassociate');
		expect(newest).toHaveTextContent('carol');
		expect(newest).toHaveTextContent('lumen-travel');
		const link = within(newest as HTMLElement).getByRole('link', {
			name: 'partner-association 2.0'
		});
		expect(link).toHaveAttribute('href', '/statements/partner-association/2.0/en/');
		const first = table.querySelector(`tr[data-id="${records[0]!.id}"]`)!;
		expect(first).toHaveTextContent('No partner');
	});

	it.each([
		{ label: 'Subject', value: 'alice', seqs: ['#3', '#1'] },
		{ label: 'Statement', value: 'partner-association', seqs: ['#4', '#2'] },
		{ label: 'Partner', value: 'harbor-books', seqs: ['#3', '#2'] },
		{ label: 'Partner', value: '-', seqs: ['#1'] },
		{ label: 'Action', value: 'decline', seqs: ['#3'] }
	])('filters by $label ($value)', async ({ label, value, seqs }) => {
		const log = memoryLog();
		await appendAll({ log, acts: variedActs() });
		render(RecordsView, { log, persist: granted });
		await showing(4);
		await fireEvent.change(await screen.findByLabelText(label), { target: { value } });
		await showing(seqs.length);
		expect(listedSeqs()).toEqual(seqs);
		expect(screen.getByText(`Showing ${seqs.length} of 4.`)).toBeInTheDocument();
		// The chain and the count stay those of every record, whatever is shown.
		expect(screen.getByTestId('records-count')).toHaveTextContent('4 records');
		await fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
		await showing(4);
	});

	it('offers only the values that occur, and says when no record matches', async () => {
		const log = memoryLog();
		await appendAll({ log, acts: variedActs() });
		render(RecordsView, { log, persist: granted });
		await showing(4);
		const subjects = [...((await screen.findByLabelText('Subject')) as HTMLSelectElement).options];
		expect(subjects.map((o) => o.textContent)).toEqual(['All', 'alice', 'bob', 'carol']);
		const actions = [...(screen.getByLabelText('Action') as HTMLSelectElement).options];
		expect(actions.map((o) => o.value)).toEqual([
			'',
			'accept',
			'decline',
			'associate',
			'disassociate'
		]);
		await fireEvent.change(screen.getByLabelText('Subject'), { target: { value: 'bob' } });
		await fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'accept' } });
		await screen.findByText('No record matches these filters.');
		expect(screen.queryByRole('table')).toBeNull();
	});

	it('shows each record’s sync state: pending, synced with the receive time, rejected with the reason', async () => {
		const log = memoryLog();
		const [pending, synced, rejected] = await appendAll({ log, acts: variedActs().slice(0, 3) });
		await log.settle([{ id: pending!.id, state: 'pending', error: 'Network unreachable' }]);
		await log.settle([
			{ id: synced!.id, state: 'synced', receivedAt: '2026-11-24T06:31:00.000Z' },
			{ id: rejected!.id, state: 'pending', error: 'HTTP 503' }
		]);
		await log.settle([
			{ id: rejected!.id, state: 'rejected', reason: 'Subject unknown to the partner.' }
		]);
		render(RecordsView, { log, persist: granted });
		await showing(3);
		const cell = (id: string) => document.querySelector(`tr[data-id="${id}"] td.sync`)!;
		expect(cell(pending!.id)).toHaveAttribute('data-state', 'pending');
		expect(cell(pending!.id)).toHaveTextContent(
			/Pending\s*1 attempt\s*Last error: Network unreachable/
		);
		expect(cell(synced!.id)).toHaveAttribute('data-state', 'synced');
		expect(cell(synced!.id)).toHaveTextContent(/Synced\s*received/);
		expect(cell(synced!.id).querySelector('time')).toHaveAttribute(
			'datetime',
			'2026-11-24T06:31:00.000Z'
		);
		expect(cell(rejected!.id)).toHaveAttribute('data-state', 'rejected');
		expect(cell(rejected!.id)).toHaveTextContent(
			/Rejected\s*Subject unknown to the partner\.\s*2 attempts/
		);
	});

	it('lists a long chain a page at a time, newest first, and pages to the oldest', async () => {
		const log = memoryLog();
		const acts = Array.from({ length: 60 }, (_, i) => variedActs()[i % 4]!);
		const records = await sampleChain({ acts });
		await log.db.records.bulkAdd(records);
		await log.db.outbox.bulkAdd(
			records.map((r) => ({ id: r.id, seq: r.seq, state: 'pending', attempts: 0, updatedAt: r.at }))
		);
		render(RecordsView, { log, persist: granted });
		await showing(50, 10_000);
		expect(screen.getByTestId('records-count')).toHaveTextContent('60 records in this browser.');
		expect(listedSeqs().slice(0, 2)).toEqual(['#60', '#59']);
		expect(screen.getByTestId('records-range')).toHaveTextContent(
			'Records 1 to 50 of 60, newest first.'
		);
		const pages = screen.getByRole('navigation', { name: 'Pages of records' });
		expect(within(pages).getByRole('button', { name: 'Newer' })).toBeDisabled();
		await fireEvent.click(within(pages).getByRole('button', { name: 'Older' }));
		await waitFor(() => expect(listedSeqs()[0]).toBe('#10'), { timeout: 10_000 });
		await fireEvent.click(within(pages).getByRole('button', { name: 'Newest' }));
		await waitFor(() => expect(listedSeqs()[0]).toBe('#60'), { timeout: 10_000 });
		await fireEvent.click(within(pages).getByRole('button', { name: 'Oldest' }));
		await showing(10, 10_000);
		expect(listedSeqs().at(-1)).toBe('#1');
		expect(screen.getByTestId('records-range')).toHaveTextContent(
			'Records 51 to 60 of 60, newest first.'
		);
		expect(within(pages).getByRole('button', { name: 'Older' })).toBeDisabled();
		await waitFor(
			() =>
				expect(screen.getByTestId('chain-status')).toHaveTextContent(
					'Chain intact: 60 records verified'
				),
			{ timeout: 10_000 }
		);
		// A filter starts again at its newest record.
		await fireEvent.change(screen.getByLabelText('Subject'), { target: { value: 'carol' } });
		await showing(15, 10_000);
		expect(listedSeqs()[0]).toBe('#60');
		expect(screen.getByText('Showing 15 of 60.')).toBeInTheDocument();
	}, 30_000);

	it('shows a record appended after the page opened, without reloading', async () => {
		const log = memoryLog();
		await appendAll({ log, acts: variedActs().slice(0, 1) });
		render(RecordsView, { log, persist: granted });
		await showing(1);
		await appendAll({ log, acts: variedActs().slice(1, 2) });
		await showing(2);
		expect(listedSeqs()).toEqual(['#2', '#1']);
		await waitFor(() =>
			expect(screen.getByTestId('chain-status')).toHaveTextContent(
				'Chain intact: 2 records verified'
			)
		);
	});

	it('shows the newest records read before it was built at once, then keeps the list live', async () => {
		const log = memoryLog();
		await appendAll({ log, acts: variedActs().slice(0, 2) });
		// Read as the page's load reads them, before the view exists; a record comes after.
		const first = readPage(log.db, { filter: { ...NO_FILTER }, page: 0 });
		await first;
		await appendAll({ log, acts: variedActs().slice(2, 3) });
		render(RecordsView, { log, persist: granted, first });
		await showing(2);
		expect(listedSeqs()).toEqual(['#2', '#1']);
		await showing(3);
		expect(listedSeqs()).toEqual(['#3', '#2', '#1']);
		await waitFor(() =>
			expect(screen.getByTestId('chain-status')).toHaveTextContent(
				'Chain intact: 3 records verified'
			)
		);
	});

	it('says the records cannot be read when the early read failed too', async () => {
		const restore = disableIndexedDB();
		onTestFinished(restore);
		const log = new RecordLog({ db: new AssentDatabase({ name: 'no-storage-early' }) });
		const first = readPage(log.db, { filter: { ...NO_FILTER }, page: 0 });
		render(RecordsView, { log, persist: granted, first });
		const alert = await screen.findByRole('alert');
		expect(alert).toHaveTextContent('The records of this browser cannot be read');
		expect(alert).toHaveTextContent('store/unavailable');
	});

	it('shows the chain broken at a record whose subject was changed in storage', async () => {
		const log = memoryLog();
		const records = await appendAll({ log, acts: variedActs() });
		render(RecordsView, { log, persist: granted });
		await waitFor(() =>
			expect(screen.getByTestId('chain-status')).toHaveTextContent(
				'Chain intact: 4 records verified'
			)
		);
		await log.db.records.put({ ...records[1]!, subject: 'mallory' });
		await waitFor(() =>
			expect(screen.getByTestId('chain-status')).toHaveTextContent(
				/^Chain broken at record #2: its content does not match its digest/
			)
		);
		expect(screen.getByTestId('chain-status')).toHaveAttribute('data-state', 'broken');
	});

	it('says clearly that the records cannot be read when the browser offers no storage', async () => {
		const restore = disableIndexedDB();
		onTestFinished(restore);
		const log = new RecordLog({ db: new AssentDatabase({ name: 'no-storage' }) });
		render(RecordsView, { log, persist: granted });
		const alert = await screen.findByRole('alert');
		expect(alert).toHaveTextContent('The records of this browser cannot be read');
		expect(alert).toHaveTextContent(/offers no IndexedDB storage here/);
		expect(alert).toHaveTextContent('store/unavailable');
		expect(screen.queryByText(/Reading the records/)).toBeNull();
	});

	it.each([
		{ result: 'granted' as const, text: /^Persistent storage granted/ },
		{ result: 'denied' as const, text: /^Persistent storage not granted.*Export them/ },
		{ result: 'unsupported' as const, text: /^Persistent storage is not offered by this browser/ }
	])('asks for persistent storage and shows that it was $result', async ({ result, text }) => {
		let asked = 0;
		const persist = () => {
			asked++;
			return Promise.resolve(result);
		};
		render(RecordsView, { log: memoryLog(), persist });
		await waitFor(() => expect(screen.getByTestId('persistence')).toHaveTextContent(text));
		expect(asked).toBe(1);
	});

	it('speaks Chinese for a zh-CN browser', async () => {
		const log = memoryLog();
		await appendAll({ log, acts: variedActs().slice(0, 2) });
		render(RecordsView, { log, locale: 'zh-CN', persist: granted });
		await showing(2);
		expect(screen.getByTestId('records-count')).toHaveTextContent('此浏览器中有 2 条记录。');
		expect(screen.getByRole('table', { name: '记录（最新的在前）' })).toBeInTheDocument();
		expect(await screen.findByLabelText('合作伙伴')).toBeInTheDocument();
		await waitFor(() =>
			expect(screen.getByTestId('chain-status')).toHaveTextContent('记录链完整：已验证 2 条记录')
		);
		expect(screen.getByTestId('persistence')).toHaveTextContent('已获得持久存储');
	});

	it('says a record made without a sync target is kept in this browser only, not pending', async () => {
		const log = memoryLog();
		const [local] = await appendAll({ log, acts: variedActs().slice(0, 1) });
		const synced = await log.append({
			act: variedActs()[1]!,
			target: 'https://api.shop.example/acceptances'
		});
		await log.db.outbox.update(local!.id, { target: null });
		render(RecordsView, { log, persist: granted });
		await showing(2);
		const cell = (id: string) => document.querySelector(`tr[data-id="${id}"] td.sync`)!;
		expect(cell(local!.id)).toHaveTextContent(
			/^Kept in this browser only\s*The widget that made it had no sync-url/
		);
		expect(cell(local!.id)).not.toHaveTextContent(/Pending|attempt/);
		expect(cell(synced.id)).toHaveTextContent(/Pending\s*0 attempts/);
	});

	it('shows statement titles and partner names from the site instead of ids', async () => {
		const log = memoryLog();
		const records = await appendAll({ log, acts: variedActs() });
		const documents: Record<string, unknown> = {
			'/statements/index.json': {
				statements: [
					{
						id: 'partner-association',
						title: 'Statement for Account Association with a Partner',
						versions: [
							{
								version: '2.0',
								locales: { en: { title: 'Statement for Account Association with a Partner' } }
							}
						]
					}
				]
			},
			'/partners.json': {
				partners: [
					{ id: 'harbor-books', name: 'Harbor Books' },
					{ id: 'lumen-travel', name: 'Lumen Travel' }
				]
			}
		};
		const fetch = (async (input: string | URL | Request) =>
			new Response(JSON.stringify(documents[String(input)] ?? {}), {
				status: documents[String(input)] ? 200 : 404
			})) as typeof globalThis.fetch;
		render(RecordsView, { log, persist: granted, names: () => loadNames({ fetch }) });
		await showing(4);
		const newest = document.querySelector(`tr[data-id="${records[3]!.id}"]`) as HTMLElement;
		await waitFor(() => expect(newest).toHaveTextContent('Lumen Travel'));
		expect(newest).not.toHaveTextContent('lumen-travel');
		expect(
			within(newest).getByRole('link', {
				name: 'Statement for Account Association with a Partner 2.0'
			})
		).toHaveAttribute('href', '/statements/partner-association/2.0/en/');
		const partners = [...((await screen.findByLabelText('Partner')) as HTMLSelectElement).options];
		expect(partners.map((o) => [o.value, o.textContent])).toContainEqual([
			'harbor-books',
			'Harbor Books'
		]);
	});

	describe('the details of a record', () => {
		const SYNC_URL = 'https://api.shop.example/acceptances';
		async function syncedWithReceipt() {
			const key = loadSigningKey({});
			const log = memoryLog();
			const [first] = await appendAll({ log, acts: variedActs().slice(0, 1) });
			const second = await log.append({ act: variedActs()[1]!, target: SYNC_URL });
			const receipt = signReceipt({
				key,
				id: second.id,
				digest: second.digest,
				receivedAt: '2026-11-24T06:31:00.000Z'
			});
			await log.settle([
				{ id: second.id, state: 'synced', receivedAt: '2026-11-24T06:31:00.000Z', receipt }
			]);
			return { key, log, first: first!, second };
		}

		it('shows its digest, prev and receipt, and verifies the receipt against the backend key', async () => {
			const { key, log, first, second } = await syncedWithReceipt();
			const asked: string[] = [];
			const fetch = (async (input: string | URL | Request) => {
				asked.push(String(input));
				return new Response(JSON.stringify(publicKeyDocument({ key })));
			}) as typeof globalThis.fetch;
			render(RecordsView, {
				log,
				persist: granted,
				check: (o) => checkReceipt({ ...o, fetch })
			});
			await showing(2);
			const button = screen.getByRole('button', { name: 'Details of record #2' });
			expect(button).toHaveAttribute('aria-expanded', 'false');
			await fireEvent.click(button);
			expect(button).toHaveAttribute('aria-expanded', 'true');
			const panel = screen.getByRole('region', { name: 'Record #2' });
			expect(panel).toHaveTextContent(second.id);
			expect(panel).toHaveTextContent(second.digest);
			expect(panel).toHaveTextContent(first.digest);
			expect(within(panel).getByTestId('record-target')).toHaveTextContent(SYNC_URL);
			await waitFor(() =>
				expect(within(panel).getByTestId('receipt-check')).toHaveTextContent(
					`Receipt verified: signed by the backend’s key ${key.kid} (${SYNC_URL}/key).`
				)
			);
			expect(asked).toEqual([`${SYNC_URL}/key`]);
			expect(within(panel).getByRole('button', { name: 'Copy: Digest' })).toBeInTheDocument();
			await fireEvent.click(within(panel).getByRole('button', { name: 'Hide details' }));
			expect(screen.queryByRole('region', { name: 'Record #2' })).toBeNull();
		});

		it('says "not checked" and why when the backend key cannot be fetched', async () => {
			const { log } = await syncedWithReceipt();
			const fetch = (async () => {
				throw new TypeError('Failed to fetch');
			}) as typeof globalThis.fetch;
			render(RecordsView, { log, persist: granted, check: (o) => checkReceipt({ ...o, fetch }) });
			await showing(2);
			await fireEvent.click(screen.getByRole('button', { name: 'Details of record #2' }));
			await waitFor(() =>
				expect(screen.getByTestId('receipt-check')).toHaveTextContent(
					`Receipt not checked: the backend’s key could not be fetched from ${SYNC_URL}/key (Failed to fetch).`
				)
			);
			expect(screen.getByTestId('receipt-check')).toHaveAttribute('data-state', 'not-checked');
		});

		it('says why in Chinese for a zh-CN browser', async () => {
			const { log } = await syncedWithReceipt();
			const fetch = (async () => new Response('', { status: 404 })) as typeof globalThis.fetch;
			render(RecordsView, {
				log,
				locale: 'zh-CN',
				persist: granted,
				check: (o) => checkReceipt({ ...o, fetch })
			});
			await showing(2);
			await fireEvent.click(screen.getByRole('button', { name: '记录 #2 的详情' }));
			await waitFor(() =>
				expect(screen.getByTestId('receipt-check')).toHaveTextContent(
					`回执未核验：无法从 ${SYNC_URL}/key 获取后端的密钥（it answered HTTP 404）。`
				)
			);
		});

		it('says a record without a backend is kept here only, and has no receipt', async () => {
			const log = memoryLog();
			await log.append({ act: variedActs()[0]!, target: null });
			render(RecordsView, { log, persist: granted });
			await showing(1);
			await fireEvent.click(screen.getByRole('button', { name: 'Details of record #1' }));
			const panel = screen.getByRole('region', { name: 'Record #1' });
			expect(within(panel).getByTestId('record-target')).toHaveTextContent(
				'nowhere: kept in this browser only'
			);
			expect(panel).toHaveTextContent('none: the first record of this browser');
			expect(panel).toHaveTextContent(/Receipt\s*none received/);
		});
	});
});
