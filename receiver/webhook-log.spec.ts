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

type Status = 'pending' | 'delivered' | 'failed';

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
	 * An outbox of events (oldest first), each to as many URLs as it has states, its delivery to
	 * URL `n` in state `n`; answers each event's id, oldest first.
	 */
	async function outbox(events: (number | Status[])[]) {
		await database.query('delete from assent_webhook_deliveries');
		await database.query('delete from assent_webhook_events');
		const ids: string[] = [];
		for (const event of events) {
			const states = typeof event === 'number' ? Array<Status>(event).fill('pending') : event;
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
			for (const [n, status] of states.entries()) {
				await database.query(
					`insert into assent_webhook_deliveries (event_id, url, status, next_attempt_at)
					values ($1, $2, $3, '2026-11-30T12:00:00Z')`,
					[id, hook(n), status]
				);
			}
		}
		return ids;
	}

	/** Every page of the log at `limit`, concatenated, and how many pages it took. */
	async function allPages(limit: number, status?: Status) {
		const rows: { event: string; url: string; status: string }[] = [];
		let cursor: string | undefined;
		let pages = 0;
		do {
			const page = await readDeliveries({
				database,
				limit,
				...(status ? { status } : {}),
				...(cursor !== undefined ? { after: readable(parseDeliveryCursor(cursor)) } : {})
			});
			pages++;
			expect(page.deliveries.length).toBeLessThanOrEqual(limit);
			if (page.next !== undefined) expect(page.deliveries).toHaveLength(limit);
			rows.push(
				...page.deliveries.map((d) => ({
					event: String(d.event),
					url: String(d.url),
					status: String(d.status)
				}))
			);
			cursor = page.next;
			if (pages > 500) throw new Error('the log never ends');
		} while (cursor !== undefined);
		return { rows, pages };
	}

	it('lists an event with more deliveries than a page holds on the pages after it, too', async () => {
		const [older, newer] = await outbox([2, 5]);
		const { rows } = await allPages(2);
		expect(rows).toEqual([
			...[0, 1, 2, 3, 4].map((n) => ({ event: newer, url: hook(n), status: 'pending' })),
			...[0, 1].map((n) => ({ event: older, url: hook(n), status: 'pending' }))
		]);
	});

	it('lists every delivery once, newest event first, across pages of any size, of one state or all', async () => {
		const state = fc.constantFrom<Status>('pending', 'delivered', 'failed');
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.array(state, { minLength: 1, maxLength: 6 }), { minLength: 0, maxLength: 7 }),
				fc.integer({ min: 1, max: 12 }),
				fc.option(state, { nil: undefined }),
				async (events, limit, status) => {
					const ids = await outbox(events);
					const expected = ids
						.map((event, i) => ({ event, states: events[i]! }))
						.reverse()
						.flatMap(({ event, states }) =>
							states.map((s, n) => ({ event, url: hook(n), status: s }))
						)
						.filter((d) => !status || d.status === status);
					const { rows, pages } = await allPages(limit, status);
					expect(rows).toEqual(expected);
					expect(pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
				}
			),
			{ numRuns: 40 }
		);
	});
});
