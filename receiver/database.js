/**
 * The receiver's storage: PostgreSQL, either embedded (PGlite, data in a local folder, nothing to
 * install) or a server reached by a connection URL. Both sit behind one small interface, so the
 * receiver's SQL is the same on each.
 */
import { mkdirSync } from 'node:fs';
import { STANDINGS_MIGRATION } from './operator/standings.js';

/**
 * @typedef {import('./types.js').Database} Database
 * @typedef {import('./types.js').Queryable} Queryable
 */

/**
 * The schema, one step per version, each step a list of statements (SQL, or a function run in the
 * step's transaction). Applied in order at start, each step once; a change is a new step, never
 * an edit of a shipped one.
 * @type {(string | ((tx: Queryable) => Promise<void>))[][]}
 */
export const MIGRATIONS = [
	[
		`create table assent_records (
			id uuid primary key,
			digest text not null,
			raw text not null,
			record jsonb not null,
			action text not null,
			subject text not null,
			partner text,
			statement_id text not null,
			statement_version text not null,
			statement_locale text not null,
			statement_hash text not null,
			at timestamptz not null,
			received_at timestamptz not null,
			receipt jsonb not null
		)`,
		`comment on column assent_records.raw is 'The record''s JSON text exactly as received, before any parsing.'`,
		'create index assent_records_subject on assent_records (subject, statement_id, at)',
		'create index assent_records_partner on assent_records (partner, subject) where partner is not null',
		'create index assent_records_received on assent_records (received_at)'
	],
	[
		// Who vouched for the subject (SPEC section 8). Records stored before this step were
		// accepted without a token: unverified.
		'alter table assent_records add column subject_verified boolean not null default false',
		'alter table assent_records add column subject_issuer text',
		'alter table assent_records add column subject_kid text',
		`comment on column assent_records.subject_verified is 'Whether a subject token (subject_issuer''s key subject_kid) vouched for the subject when the record was received; false: accepted unverified.'`,
		// A subject's standing, in order: GET <path>/standing.
		'create index assent_records_subject_at on assent_records (subject, at, id)'
	],
	[
		// The operator's API (SPEC section 9): subjects of a statement, in subject order.
		'create index assent_records_statement_subject on assent_records (statement_id, subject)',
		// Webhooks: an outbox written in the transaction that stores the records, and one row per
		// event and endpoint saying how its delivery went.
		`create table assent_webhook_events (
			id text primary key,
			position bigint generated always as identity,
			type text not null,
			payload text not null,
			created_at timestamptz not null
		)`,
		`comment on column assent_webhook_events.payload is 'The JSON text posted, exactly as signed.'`,
		`create table assent_webhook_deliveries (
			event_id text not null references assent_webhook_events (id),
			url text not null,
			status text not null default 'pending',
			attempts integer not null default 0,
			next_attempt_at timestamptz not null,
			last_attempt_at timestamptz,
			last_status integer,
			last_error text,
			delivered_at timestamptz,
			primary key (event_id, url)
		)`,
		`create index assent_webhook_due on assent_webhook_deliveries (next_attempt_at) where status = 'pending'`
	],
	// The operator's lists and summaries: each subject's deciding records, kept up to date.
	STANDINGS_MIGRATION
];

/** Taken while migrating, so receivers starting together against one server do not race. */
const MIGRATION_LOCK = 7_318_214_551;

/**
 * Opens the database and brings its schema up to date.
 * @param {import('./types.js').OpenDatabaseOptions} [options]
 * @returns {Promise<Database>}
 */
export async function openDatabase(options = {}) {
	const log = options.log ?? console.error;
	const location = options.database ?? 'memory://';
	const database = /^postgres(ql)?:\/\//i.test(location)
		? await openServer({ url: location, poolSize: options.poolSize ?? 10, log })
		: await openEmbedded({ location });
	try {
		await migrate({ database });
	} catch (error) {
		await database.close();
		throw error;
	}
	return database;
}

/**
 * @param {{ url: string, poolSize: number, log: (line: string) => void }} options
 * @returns {Promise<Database>}
 */
async function openServer(options) {
	const { default: pg } = await import('pg');
	const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize });
	// An idle connection dropped by the server must not take the process down; the pool reconnects.
	pool.on('error', (error) =>
		options.log(`receiver: PostgreSQL connection lost: ${error.message}`)
	);
	try {
		await pool.query('select 1');
	} catch (error) {
		await pool.end();
		const where = new URL(options.url);
		throw new Error(
			`The receiver cannot reach PostgreSQL at ${where.host}${where.pathname} (${/** @type {Error} */ (error).message}). Check DATABASE_URL.`,
			{ cause: error }
		);
	}
	return {
		kind: 'postgresql',
		query: (sql, params) => pool.query(sql, params),
		async transaction(work) {
			const client = await pool.connect();
			/** @type {Queryable} */
			const tx = { query: (sql, params) => client.query(sql, params) };
			let broken = false;
			// The server may end the connection between two queries of the transaction (a restart,
			// an operator's terminate): pg then reports it as an 'error' event, which unheard would
			// end the process. The next query fails instead, the transaction with it.
			const lost = (/** @type {Error} */ error) => {
				broken = true;
				options.log(`receiver: PostgreSQL connection lost mid-transaction: ${error.message}`);
			};
			client.on('error', lost);
			try {
				await client.query('begin');
				const result = await work(tx);
				await client.query('commit');
				return result;
			} catch (error) {
				await client.query('rollback').catch(() => (broken = true));
				throw error;
			} finally {
				client.off('error', lost);
				// A connection that could not even roll back is not given to the next request.
				client.release(broken);
			}
		},
		close: () => pool.end()
	};
}

/**
 * @param {{ location: string }} options
 * @returns {Promise<Database>}
 */
async function openEmbedded(options) {
	const { PGlite } = await import('@electric-sql/pglite');
	const memory = options.location.startsWith('memory://');
	if (!memory) mkdirSync(options.location, { recursive: true });
	const lite = await PGlite.create(memory ? 'memory://' : options.location);
	return {
		kind: 'pglite',
		query: (sql, params) => lite.query(sql, params),
		transaction: (work) => lite.transaction((tx) => work({ query: (sql, p) => tx.query(sql, p) })),
		close: () => lite.close()
	};
}

/**
 * Applies the steps of `MIGRATIONS` not yet applied, each in its own transaction.
 * @param {{ database: Database }} options
 */
export async function migrate(options) {
	const { database } = options;
	await database.transaction(async (tx) => {
		await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
		await tx.query(
			`create table if not exists assent_receiver_schema (
				version integer primary key,
				applied_at timestamptz not null default now()
			)`
		);
	});
	for (let version = 1; version <= MIGRATIONS.length; version++) {
		await database.transaction(async (tx) => {
			await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
			const { rows } = await tx.query('select 1 from assent_receiver_schema where version = $1', [
				version
			]);
			if (rows.length > 0) return;
			for (const statement of MIGRATIONS[version - 1] ?? []) {
				if (typeof statement === 'function') await statement(tx);
				else await tx.query(statement);
			}
			await tx.query('insert into assent_receiver_schema (version) values ($1)', [version]);
		});
	}
}
