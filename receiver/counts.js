/**
 * Acts per statement, version, kind and UTC day, kept beside the records so a statement's
 * summary reads a few hundred rows instead of counting millions of records. Kept in the
 * transaction that stores the records: only records stored then are counted, so a resent
 * record (stored the first time) and a refused one are never counted.
 */

/** @typedef {import('./types.js').Queryable} Queryable */

/** The schema step that adds the table and counts the records already stored. */
export const COUNTS_MIGRATION = [
	`create table assent_counts (
		statement_id text not null,
		statement_version text not null,
		action text not null,
		day date not null,
		count bigint not null,
		primary key (statement_id, statement_version, action, day)
	)`,
	`comment on table assent_counts is 'Records stored per statement, version, action and UTC day of their "at"; kept in the transaction that stores them.'`,
	(/** @type {Queryable} */ tx) => fillCounts(tx)
];

/**
 * Counts every record stored, replacing what the table held (the schema step, and the benchmark,
 * whose records are inserted by SQL).
 * @param {Queryable} tx
 */
export async function fillCounts(tx) {
	await tx.query('delete from assent_counts');
	await tx.query(
		`insert into assent_counts (statement_id, statement_version, action, day, count)
		select statement_id, statement_version, action, (at at time zone 'UTC')::date, count(*)
		from assent_records group by 1, 2, 3, 4`
	);
}

/**
 * Adds the records just stored to the counts, in the caller's transaction. `rows` are the rows
 * it inserted, each once (not records already held, not those the database refused).
 * @param {Queryable} tx
 * @param {{ record: Record<string, any> }[]} rows  each record's action, at and statement id and version are read
 */
export async function updateCounts(tx, rows) {
	const upsert = countsUpsert(rows);
	if (upsert) await tx.query(upsert.sql(1), upsert.params);
}

/**
 * The statement that adds `rows` to the counts (see `updateCounts`), its parameters numbered
 * from `first`, to be run alone or with others in one statement; undefined for no rows.
 * @param {{ record: Record<string, any> }[]} rows
 * @returns {import('./operator/standings.js').Upsert | undefined}
 */
export function countsUpsert(rows) {
	if (rows.length === 0) return undefined;
	const records = rows.map((row) => row.record);
	return {
		// In key order, so two transactions adding to the same rows lock them in one order.
		sql: (n) => `insert into assent_counts (statement_id, statement_version, action, day, count)
		select s, v, a, (t::timestamptz at time zone 'UTC')::date as d, count(*)
		from unnest($${n}::text[], $${n + 1}::text[], $${n + 2}::text[], $${n + 3}::text[]) as r(s, v, a, t)
		group by 1, 2, 3, 4 order by 1, 2, 3, 4
		on conflict (statement_id, statement_version, action, day)
		do update set count = assent_counts.count + excluded.count`,
		params: [
			records.map((r) => String(r.statement.id)),
			records.map((r) => String(r.statement.version)),
			records.map((r) => String(r.action)),
			records.map((r) => String(r.at))
		]
	};
}
