/**
 * The PostgreSQL connection under the receiver going away: a server restart or an operator's
 * terminate fails the transaction in progress, never the receiver's process, and the next
 * query gets a fresh connection.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { postgresSchema, postgresUrl } from './fixtures';
import type { Database } from './types.js';

describe.skipIf(!postgresUrl)('the PostgreSQL connection, lost', () => {
	let schema: { url: string; drop(): Promise<void> };
	let database: Database;
	const logged: string[] = [];

	beforeAll(async () => {
		schema = await postgresSchema(postgresUrl!);
		database = await openDatabase({ database: schema.url, log: (line) => logged.push(line) });
	});
	afterAll(async () => {
		await database?.close();
		await schema?.drop();
	});

	it('fails the transaction whose connection the server ended between two queries, and goes on', async () => {
		const admin = new pg.Client({ connectionString: postgresUrl });
		await admin.connect();
		try {
			const outcome = database.transaction(async (tx) => {
				const { rows } = await tx.query('select pg_backend_pid() as pid');
				// Ended while the transaction waits between queries, as a restart would.
				await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
				await new Promise((resolve) => setTimeout(resolve, 300));
				await tx.query('select 1');
				return 'committed';
			});
			await expect(outcome).rejects.toThrow();
			expect(logged.join('\n')).toContain('PostgreSQL connection lost mid-transaction');
			const { rows } = await database.query('select 2 as two');
			expect(rows).toEqual([{ two: 2 }]);
		} finally {
			await admin.end();
		}
	});
});
