/**
 * A subject's standing with a statement (and a partner), for the operator's API: decided by
 * `core/status.js`, the widget's own rules bundled from `src/lib/core/status.ts`, over the
 * records the receiver holds and the versions the statements site publishes.
 */
import { associationStatus, lastAcceptance, needsAcceptance } from '../core/status.js';

/**
 * @typedef {import('../types.js').Database} Database
 * @typedef {import('../statements.js').StatementTimeline} StatementTimeline
 */

/**
 * The standing of `subject` from its `records` (those of the statement, and the association
 * acts with the partner).
 * @param {{ records: any[], subject: string, statementId: string, partner?: string, versions: StatementTimeline[], now: Date }} options
 */
export function standingFrom(options) {
	const { records, subject, statementId, partner, versions, now } = options;
	const scope = { records, subject, statementId, ...(partner !== undefined ? { partner } : {}) };
	const need = needsAcceptance({ ...scope, versions, now });
	const last = lastAcceptance(scope);
	/** @type {Record<string, unknown>} */
	const standing = {
		subject,
		statement: statementId,
		inForce: need.inForce ?? null,
		accepted: need.accepted ?? null,
		acceptedAt: last?.at ?? null,
		mustAccept: need.needed,
		reason: need.reason,
		changedSince: (need.changedSince ?? []).map((v) => ({ version: v.version, change: v.change }))
	};
	/** @type {Record<string, string>} */
	const decidedBy = {};
	if (last) decidedBy.acceptance = last.id;
	if (partner !== undefined) {
		const association = associationStatus({ records, subject, partner });
		standing.partner = partner;
		standing.association = association.record
			? {
					state: association.associated ? 'associated' : 'disassociated',
					since: association.since,
					version: association.record.statement.version
				}
			: { state: 'never' };
		if (association.record) decidedBy.association = association.record.id;
	}
	standing.records = decidedBy;
	return standing;
}

/**
 * The records that decide subjects' standing with a statement: of the statement, plus the
 * partner's association acts when a partner is named, for each of `subjects`; without a
 * statement, all of their records.
 * @param {{ database: import('../types.js').Queryable, subjects: string[], statementId?: string, partner?: string }} options
 * @returns {Promise<Map<string, any[]>>}  per subject, the fields of its records the rules read
 */
export async function recordsOf(options) {
	// Only what the rules read, not the whole record: lists and summaries judge many subjects.
	const { rows } = await options.database.query(
		`select id::text as id, action, subject, partner, statement_id, statement_version,
			record->>'at' as at, (record->>'seq')::integer as seq
		from assent_records
		where subject = any($1::text[]) ${
			options.statementId === undefined
				? ''
				: `and (statement_id = $2 ${options.partner !== undefined ? "or (partner = $3 and action in ('associate', 'disassociate'))" : ''})`
		}`,
		options.statementId === undefined
			? [options.subjects]
			: options.partner !== undefined
				? [options.subjects, options.statementId, options.partner]
				: [options.subjects, options.statementId]
	);
	/** @type {Map<string, any[]>} */
	const bySubject = new Map(options.subjects.map((s) => [s, []]));
	for (const row of rows) {
		bySubject.get(String(row.subject))?.push({
			id: row.id,
			action: row.action,
			subject: row.subject,
			partner: row.partner,
			at: row.at,
			seq: Number(row.seq),
			statement: { id: row.statement_id, version: row.statement_version }
		});
	}
	return bySubject;
}

/**
 * The standing of a subject whose latest acceptance is `version` (or none): by the core's rules
 * that is all a standing without a partner depends on.
 * @param {{ version: string | null, statementId: string, versions: StatementTimeline[], now: Date }} options
 */
export function standingOfVersion(options) {
	const { version, statementId } = options;
	const records =
		version === null
			? []
			: [
					{
						id: '00000000-0000-7000-8000-000000000000',
						action: 'accept',
						subject: '',
						partner: null,
						at: '1970-01-01T00:00:00.000Z',
						seq: 1,
						statement: { id: statementId, version }
					}
				];
	return standingFrom({ ...options, records, subject: '' });
}

/**
 * The subjects with records of the statement (with a partner: on that partner's behalf) whose
 * latest acceptance (with a partner: among that partner's acts) is one of `accepted` (`null`:
 * none), in subject order after `after`, from `assent_acceptance` (`assent_partner_acceptance`).
 * @param {{ database: Database, statementId: string, partner?: string, accepted?: (string | null)[], after?: string, limit: number }} options
 * @returns {Promise<string[]>}
 */
export async function subjectsByAcceptance(options) {
	const { database, statementId, partner, accepted, after, limit } = options;
	/** @type {unknown[]} */
	const params = [statementId, limit];
	let where = 'statement_id = $1';
	if (partner !== undefined) {
		params.push(partner);
		where += ` and partner = $${params.length}`;
	}
	if (after !== undefined) {
		params.push(after);
		where += ` and subject > $${params.length}`;
	}
	if (accepted) {
		params.push(accepted.filter((v) => v !== null));
		where += ` and (accepted_version = any($${params.length}::text[])${accepted.includes(null) ? ' or accepted_version is null' : ''})`;
	}
	const { rows } = await database.query(
		`select subject from ${partner !== undefined ? 'assent_partner_acceptance' : 'assent_acceptance'}
		where ${where} order by subject limit $2`,
		params
	);
	return rows.map((r) => String(r.subject));
}
