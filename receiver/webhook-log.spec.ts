/**
 * The webhook delivery log read a page at a time (`readDeliveries`, `GET …/webhooks/deliveries`):
 * every delivery listed exactly once across the pages, newest event first, whatever the page
 * size and however many URLs each event goes to; on PGlite and (with ASSENT_TEST_DATABASE_URL)
 * PostgreSQL.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { postgresSchema, postgresUrl } from './fixtures';
import { parseDeliveryCursor, readDeliveries } from './webhooks.js';
import type { Database } from './types.js';

const backends = [
	{ name: 'PGlite', database: async () => ({ url: 'memory://', drop: async () => {} }) },
	...(postgresUrl ? [{ name: 'PostgreSQL', database: () => postgresSchema(postgresUrl!) }] : [])
];

/** A URL for webhook endpoint `n`: URLs in the log sort as their numbers do, in any collation. */
const hook = (n: number) => `https://hooks-${String(n).padStart(2, '0')}.example.com/assent`;

/** A cursor the log gave, read back; it must be readable. */
function readable(cursor: ReturnType<typeof parseDeliveryCursor>) {
	if ('error' in cursor) throw new Error(cursor.error);
	return cursor;
}

describe.each(backends)('the webhook delivery log on $name', (backend) => {
	let database: Database;
	let drop: () => Promise<void>;
	let made = 0;

	beforeAll(async () => {
		const place = await backend.database();
		drop = place.drop;
		database = await openDatabase({ database: place.url, log: () => {} });
	});
	afterAll(async () => {
		await database?.close();
		await drop?.();
	});

	/**
	 * An outbox of `events` events (oldest first), each to the given number of URLs; answers
	 * each event's id, oldest first.
	 */
	async function outbox(urlsPerEvent: number[]) {
		await database.query('delete from assent_webhook_deliveries');
		await database.query('delete from assent_webhook_events');
		const ids: string[] = [];
		for (const count of urlsPerEvent) {
			const id = `msg_${made++}`;
			ids.push(id);
			const payload = JSON.stringify({
				type: 'record.stored',
				timestamp: '2026-11-30T12:00:00.000Z',
				data: { record: { id: `rec_${id}`, subject: 'ada', statement: { id: 'terms' } } }
			});
			await database.query(
				`insert into assent_webhook_events (id, type, payload, created_at)
				values ($1, 'record.stored', $2, '2026-11-30T12:00:00Z')`,
				[id, payload]
			);
			for (let n = 0; n < count; n++) {
				await database.query(
					`insert into assent_webhook_deliveries (event_id, url, next_attempt_at)
					values ($1, $2, '2026-11-30T12:00:00Z')`,
					[id, hook(n)]
				);
			}
		}
		return ids;
	}

	/** Every page of the log at `limit`, concatenated, and how many pages it took. */
	async function allPages(limit: number) {
		const rows: { event: string; url: string }[] = [];
		let cursor: string | undefined;
		let pages = 0;
		do {
			const page = await readDeliveries({
				database,
				limit,
				...(cursor !== undefined ? { after: readable(parseDeliveryCursor(cursor)) } : {})
			});
			pages++;
			expect(page.deliveries.length).toBeLessThanOrEqual(limit);
			if (page.next !== undefined) expect(page.deliveries).toHaveLength(limit);
			rows.push(...page.deliveries.map((d) => ({ event: d.event, url: d.url })));
			cursor = page.next;
			if (pages > 500) throw new Error('the log never ends');
		} while (cursor !== undefined);
		return { rows, pages };
	}

	it('lists an event with more deliveries than a page holds on the pages after it, too', async () => {
		const [older, newer] = await outbox([2, 5]);
		const { rows } = await allPages(2);
		expect(rows).toEqual([
			...[0, 1, 2, 3, 4].map((n) => ({ event: newer, url: hook(n) })),
			...[0, 1].map((n) => ({ event: older, url: hook(n) }))
		]);
	});

	it('lists every delivery once, newest event first, across pages of any size', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 0, maxLength: 7 }),
				fc.integer({ min: 1, max: 12 }),
				async (urlsPerEvent, limit) => {
					const ids = await outbox(urlsPerEvent);
					const expected = ids
						.map((event, i) => ({ event, count: urlsPerEvent[i]! }))
						.reverse()
						.flatMap(({ event, count }) =>
							Array.from({ length: count }, (_, n) => ({ event, url: hook(n) }))
						);
					const { rows, pages } = await allPages(limit);
					expect(rows).toEqual(expected);
					expect(pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
				}
			),
			{ numRuns: 40 }
		);
	});
});
