/**
 * The receiver's database: PGlite (PostgreSQL in-process, data in a folder) by default, or a
 * PostgreSQL server when a connection URL is given. Both answer the same small interface.
 */
import { mkdirSync } from 'node:fs';

/**
 * @typedef {object} Database
 * @property {(sql: string, params?: unknown[]) => Promise<{ rows: Record<string, any>[] }>} query
 * @property {() => Promise<void>} close
 * @property {'pglite' | 'postgresql'} kind
 */

/** The schema, created at start; later changes are new numbered steps, never edits. */
const MIGRATIONS = [
	`create table if not exists assent_records (
		id uuid primary key,
		digest text not null,
		body text not null,
		record jsonb not null,
		action text not null,
		subject text not null,
		partner text,
		statement_id text not null,
		statement_version text not null,
		statement_hash text not null,
		received_at timestamptz not null,
		receipt jsonb not null
	)`,
	`create index if not exists assent_records_subject on assent_records (subject, statement_id)`
];

/**
 * Opens the database and brings its schema up to date.
 * @param {{ url?: string, dataDir?: string }} options
 *   `url`: a PostgreSQL connection URL (`DATABASE_URL`); without it, PGlite in `dataDir`
 *   (in memory when `dataDir` is absent too).
 * @returns {Promise<Database>}
 */
export async function openDatabase(options) {
	/** @type {Database} */
	let db;
	if (options.url) {
		const { default: pg } = await import('pg');
		const pool = new pg.Pool({ connectionString: options.url, max: 5 });
		db = {
			kind: 'postgresql',
			query: (sql, params) => pool.query(sql, params),
			close: () => pool.end()
		};
	} else {
		const { PGlite } = await import('@electric-sql/pglite');
		if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
		const lite = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
		await lite.waitReady;
		db = {
			kind: 'pglite',
			query: (sql, params) => lite.query(sql, params),
			close: () => lite.close()
		};
	}
	await db.query(
		'create table if not exists assent_migrations (step integer primary key, at timestamptz not null default now())'
	);
	const { rows } = await db.query('select coalesce(max(step), 0) as done from assent_migrations');
	for (let step = Number(rows[0]?.done ?? 0); step < MIGRATIONS.length; step++) {
		await db.query(/** @type {string} */ (MIGRATIONS[step]));
		await db.query('insert into assent_migrations (step) values ($1) on conflict do nothing', [
			step + 1
		]);
	}
	return db;
}
