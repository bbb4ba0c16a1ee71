import { afterEach, describe, expect, it, vi } from 'vitest';
import { claim, readNewest, UNCLAIMED_MS } from './early-read';
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
