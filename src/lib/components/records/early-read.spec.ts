import { afterEach, describe, expect, it, vi } from 'vitest';
import { claim, headWords, readNewest, takeOver, UNCLAIMED_MS, type HeadRead } from './early-read';
import type { RecordsPage } from './records-query';
import { appendAll, memoryLog, variedActs } from './records-fixtures';

afterEach(() => {
	vi.useRealTimers();
});

describe('the newest records read before the records page is built', () => {
	it('are the newest page, with the count, read through the log it opened', async () => {
		const log = memoryLog();
		await appendAll({ log, acts: variedActs() });
		const read = readNewest({ log });
		expect(read.log).toBe(log);
		const first = await read.first;
		expect(first.records.map((r) => r.seq)).toEqual([4, 3, 2, 1]);
		expect(first.total).toBe(4);
		claim(log);
		log.close();
	});

	it('close the database when no page took them (a link hovered, not followed)', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		const log = memoryLog();
		await appendAll({ log, acts: variedActs().slice(0, 1) });
		const { first } = readNewest({ log });
		await first;
		expect(log.db.isOpen()).toBe(true);
		vi.advanceTimersByTime(UNCLAIMED_MS);
		expect(log.db.isOpen()).toBe(false);
	});

	it('keep the database open for the page that took them', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		const log = memoryLog();
		await appendAll({ log, acts: variedActs().slice(0, 1) });
		const { first } = readNewest({ log });
		claim(log);
		await first;
		vi.advanceTimersByTime(UNCLAIMED_MS);
		expect(log.db.isOpen()).toBe(true);
		log.close();
	});
});

describe("the newest records the page's head script read", () => {
	/** A head script's read that has finished with `page`. */
	const headWith = (page: RecordsPage | null): HeadRead => ({
		taken: false,
		page,
		read: Promise.resolve(page)
	});

	it('are taken over, not read again, and the script draws no more', async () => {
		const log = memoryLog();
		await appendAll({ log, acts: variedActs() });
		const page: RecordsPage = { records: [], sync: new Map(), total: 9, matching: 9, page: 0 };
		const read = readNewest({ log, head: headWith(page) });
		await expect(read.first).resolves.toBe(page);
		expect(takeOver(read)).toBe(page);
		expect(read.head?.taken).toBe(true);
		claim(log);
		log.close();
	});

	it('are read through the log when the script found nothing to read', async () => {
		const log = memoryLog();
		await appendAll({ log, acts: variedActs() });
		const read = readNewest({ log, head: headWith(null) });
		expect((await read.first).records.map((r) => r.seq)).toEqual([4, 3, 2, 1]);
		expect(takeOver(read)).toBeUndefined();
		claim(log);
		log.close();
	});

	it("come with the words to draw them in each of the site's languages", () => {
		const words = JSON.parse(headWords(['en', 'zh-CN'])) as Record<string, Record<string, string>>;
		expect(words.en?.['records.count.other']).toBe('{count} records in this browser.');
		expect(words['zh-CN']?.['column.details']).toBe('详情');
		expect(Object.keys(words['zh-CN'] ?? {})).toEqual(Object.keys(words.en ?? {}));
	});
});
