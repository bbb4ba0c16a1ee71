/**
 * The deciding records of each subject, kept beside the records for the operator's lists and
 * summaries on millions of records: per statement and subject, the version of the latest
 * acceptance (`assent_acceptance`); per partner and subject, the latest associate or disassociate
 * act (`assent_association`). Both are chosen by the core's own rules (`core/status.js`) in the
 * transaction that stores the records, under a per-subject lock, so they never disagree with
 * the records. Whether a subject must accept again depends on nothing but the version it last
 * accepted, so the operator's API asks the core once per version and counts subjects per version.
 */
import { associationStatus, lastAcceptance } from '../core/status.js';
import { recordsOf } from './standing.js';

/** @typedef {import('../types.js').Queryable} Queryable */

/** The schema step that adds the tables and fills them from the records already stored. */
export const STANDINGS_MIGRATION = [
	`create table assent_acceptance (
		statement_id text not null,
		subject text not null,
		accepted_version text,
		accepted_id uuid,
		primary key (statement_id, subject)
	)`,
	`comment on table assent_acceptance is 'Per statement and subject with records of it: the latest acceptance, chosen by core/status.js (lastAcceptance); null when never accepted.'`,
	'create index assent_acceptance_version on assent_acceptance (statement_id, accepted_version, subject)',
	`create table assent_association (
		partner text not null,
		subject text not null,
		statement_id text not null,
		associated boolean not null,
		record_id uuid not null,
		primary key (partner, subject)
	)`,
	`comment on table assent_association is 'Per partner and subject: the latest associate or disassociate act, chosen by core/status.js (associationStatus).'`,
	'create index assent_association_statement on assent_association (statement_id, partner)',
	(/** @type {Queryable} */ tx) => fillStandings(tx, ['acceptance', 'association'])
];

/**
 * The schema step that adds the latest acceptance per statement, partner and subject (only the
 * partner's acts count, as `core/status.js` counts them when a standing names a partner) and
 * fills it from the records already stored.
 */
export const PARTNER_ACCEPTANCE_MIGRATION = [
	`create table assent_partner_acceptance (
		statement_id text not null,
		partner text not null,
		subject text not null,
		accepted_version text,
		accepted_id uuid,
		primary key (statement_id, partner, subject)
	)`,
	`comment on table assent_partner_acceptance is 'Per statement, partner and subject with records of the statement on the partner''s behalf: the latest acceptance among them, chosen by core/status.js (lastAcceptance with the partner); null when none.'`,
	'create index assent_partner_acceptance_version on assent_partner_acceptance (statement_id, partner, accepted_version, subject)',
	(/** @type {Queryable} */ tx) => fillStandings(tx, ['partnerAcceptance'])
];

/** @typedef {'acceptance' | 'association' | 'partnerAcceptance'} StandingTable */
/** @type {StandingTable[]} */
const ALL_TABLES = ['acceptance', 'association', 'partnerAcceptance'];

/**
 * Fills the tables from every record stored, a thousand subjects at a time (the schema step, and
 * the benchmark, whose records are inserted by SQL).
 * @param {Queryable} tx
 * @param {StandingTable[]} [tables]  the tables to fill, all by default
 */
export async function fillStandings(tx, tables = ALL_TABLES) {
	/** @type {string | undefined} */
	let after;
	for (;;) {
		const { rows } = await tx.query(
			`select distinct subject from assent_records ${after !== undefined ? 'where subject > $1' : ''} order by subject limit 1000`,
			after !== undefined ? [after] : []
		);
		if (rows.length === 0) break;
		const subjects = rows.map((r) => String(r.subject));
		await updateStandings(tx, { subjects, tables });
		after = subjects.at(-1);
	}
}

/**
 * Locks the subjects for the rest of the transaction, in one order, so two transactions storing
 * records of one subject update its standing one after the other. Taken before the records are
 * inserted.
 * @param {Queryable} tx
 * @param {string[]} subjects
 */
export async function lockSubjects(tx, subjects) {
	const sorted = [...new Set(subjects)].sort();
	if (sorted.length === 0) return;
	await tx.query(
		'select pg_advisory_xact_lock(hashtextextended(s, 7318)) from unnest($1::text[]) with ordinality as t(s, n) order by n',
		[sorted]
	);
}

/**
 * Recomputes the deciding records of `subjects` (for `only` the statements and partners given,
 * else all of theirs) from the records stored, in the caller's transaction.
 * @param {Queryable} tx
 * @param {{ subjects: string[], statements?: Set<string>, partners?: Set<string>, tables?: StandingTable[] }} scope
 */
export async function updateStandings(tx, scope) {
	const bySubject = await recordsOf({ database: tx, subjects: scope.subjects });
	const parts = standingUpserts(standingsOf(bySubject, scope));
	if (parts.length > 0) await tx.query(...oneStatement(parts));
}

/**
 * @typedef {{
 *   acceptance: { statement: string[], subject: string[], version: (string | null)[], id: (string | null)[] },
 *   partnerAcceptance: { statement: string[], partner: string[], subject: string[], version: (string | null)[], id: (string | null)[] },
 *   association: { partner: string[], subject: string[], statement: string[], associated: boolean[], id: string[] }
 * }} Standings
 * @typedef {{ sql: (first: number) => string, params: unknown[] }} Upsert  one data-modifying
 *   statement, its parameters numbered from `first`
 */

/**
 * The deciding records of each subject of `bySubject` (all its records, in the shape `recordsOf`
 * gives), by the core's rules, for `scope`'s statements, partners and tables.
 * @param {Map<string, any[]>} bySubject
 * @param {{ statements?: Set<string>, partners?: Set<string>, tables?: StandingTable[] }} scope
 * @returns {Standings}
 */
export function standingsOf(bySubject, scope) {
	const tables = new Set(scope.tables ?? ALL_TABLES);
	/** @type {Standings} */
	const out = {
		acceptance: { statement: [], subject: [], version: [], id: [] },
		partnerAcceptance: { statement: [], partner: [], subject: [], version: [], id: [] },
		association: { partner: [], subject: [], statement: [], associated: [], id: [] }
	};
	const { acceptance, partnerAcceptance, association } = out;
	for (const [subject, records] of bySubject) {
		const statements = new Set(records.map((r) => String(r.statement.id)));
		for (const statementId of statements) {
			if (scope.statements && !scope.statements.has(statementId)) continue;
			if (tables.has('acceptance')) {
				const last = lastAcceptance({ records, subject, statementId });
				acceptance.statement.push(statementId);
				acceptance.subject.push(subject);
				acceptance.version.push(last ? last.statement.version : null);
				acceptance.id.push(last ? last.id : null);
			}
			if (!tables.has('partnerAcceptance')) continue;
			const onBehalf = new Set(
				records
					.filter((r) => r.statement.id === statementId && r.partner != null)
					.map((r) => String(r.partner))
			);
			for (const partner of onBehalf) {
				if (scope.partners && !scope.partners.has(partner)) continue;
				const last = lastAcceptance({ records, subject, statementId, partner });
				partnerAcceptance.statement.push(statementId);
				partnerAcceptance.partner.push(partner);
				partnerAcceptance.subject.push(subject);
				partnerAcceptance.version.push(last ? last.statement.version : null);
				partnerAcceptance.id.push(last ? last.id : null);
			}
		}
		if (!tables.has('association')) continue;
		const partners = new Set(
			records
				.filter((r) => r.action === 'associate' || r.action === 'disassociate')
				.map((r) => String(r.partner))
		);
		for (const partner of partners) {
			if (scope.partners && !scope.partners.has(partner)) continue;
			const link = associationStatus({ records, subject, partner });
			if (!link.record) continue;
			association.partner.push(partner);
			association.subject.push(subject);
			association.statement.push(link.record.statement.id);
			association.associated.push(link.associated);
			association.id.push(link.record.id);
		}
	}
	return out;
}

/**
 * The upserts that write `standings`, none for an empty table.
 * @param {Standings} standings
 * @returns {Upsert[]}
 */
export function standingUpserts(standings) {
	const { acceptance, partnerAcceptance, association } = standings;
	/** @type {Upsert[]} */
	const parts = [];
	if (acceptance.subject.length > 0) {
		parts.push({
			sql: (
				n
			) => `insert into assent_acceptance (statement_id, subject, accepted_version, accepted_id)
			select * from unnest($${n}::text[], $${n + 1}::text[], $${n + 2}::text[], $${n + 3}::uuid[])
			on conflict (statement_id, subject) do update
			set accepted_version = excluded.accepted_version, accepted_id = excluded.accepted_id`,
			params: [acceptance.statement, acceptance.subject, acceptance.version, acceptance.id]
		});
	}
	if (partnerAcceptance.subject.length > 0) {
		parts.push({
			sql: (
				n
			) => `insert into assent_partner_acceptance (statement_id, partner, subject, accepted_version, accepted_id)
			select * from unnest($${n}::text[], $${n + 1}::text[], $${n + 2}::text[], $${n + 3}::text[], $${n + 4}::uuid[])
			on conflict (statement_id, partner, subject) do update
			set accepted_version = excluded.accepted_version, accepted_id = excluded.accepted_id`,
			params: [
				partnerAcceptance.statement,
				partnerAcceptance.partner,
				partnerAcceptance.subject,
				partnerAcceptance.version,
				partnerAcceptance.id
			]
		});
	}
	if (association.subject.length > 0) {
		parts.push({
			sql: (
				n
			) => `insert into assent_association (partner, subject, statement_id, associated, record_id)
			select * from unnest($${n}::text[], $${n + 1}::text[], $${n + 2}::text[], $${n + 3}::boolean[], $${n + 4}::uuid[])
			on conflict (partner, subject) do update
			set statement_id = excluded.statement_id, associated = excluded.associated, record_id = excluded.record_id`,
			params: [
				association.partner,
				association.subject,
				association.statement,
				association.associated,
				association.id
			]
		});
	}
	return parts;
}

/**
 * Several upserts of different tables as one statement (one round trip to the database): each
 * is a data-modifying `with` query of its own. `parts` must not be empty.
 * @param {Upsert[]} parts
 * @returns {[string, unknown[]]}
 */
export function oneStatement(parts) {
	/** @type {unknown[]} */
	const params = [];
	const queries = parts.map((part, i) => {
		const sql = `w${i} as (${part.sql(params.length + 1)})`;
		params.push(...part.params);
		return sql;
	});
	return [`with ${queries.join(',\n')}\nselect 1`, params];
}
