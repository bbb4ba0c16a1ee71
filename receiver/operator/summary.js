/**
 * A statement's summary for the operator: per version, acts by kind and by day; how many
 * subjects must accept again (by the core's rules); associations per partner. Every figure
 * comes from the tables kept beside the records (`assent_counts`, `assent_acceptance`,
 * `assent_association`), not from the records themselves.
 */
import { standingOfVersion } from './standing.js';

const ACTIONS = ['accept', 'decline', 'associate', 'disassociate'];

/**
 * @param {{ database: import('../types.js').Database, statementId: string, versions: import('../statements.js').StatementTimeline[], now: Date }} options
 */
export async function statementSummary(options) {
	const { database, statementId, versions, now } = options;
	const { rows } = await database.query(
		`select statement_version as version, action, to_char(day, 'YYYY-MM-DD') as day,
			count::text as n
		from assent_counts where statement_id = $1 and count > 0
		order by 1, 3, 2`,
		[statementId]
	);
	const zero = () => Object.fromEntries(ACTIONS.map((a) => [a, 0]));
	/** @type {Map<string, { acts: Record<string, number>, days: Map<string, Record<string, number>> }>} */
	const byVersion = new Map(versions.map((v) => [v.version, { acts: zero(), days: new Map() }]));
	for (const row of rows) {
		const version = String(row.version);
		if (!byVersion.has(version)) byVersion.set(version, { acts: zero(), days: new Map() });
		const entry = /** @type {NonNullable<ReturnType<typeof byVersion.get>>} */ (
			byVersion.get(version)
		);
		const n = Number(row.n);
		const action = String(row.action);
		entry.acts[action] = (entry.acts[action] ?? 0) + n;
		const day = entry.days.get(String(row.day)) ?? zero();
		day[action] = (day[action] ?? 0) + n;
		entry.days.set(String(row.day), day);
	}

	// Whether a subject must accept again depends only on the version it last accepted: the core
	// decides once per version, and the subjects are counted per version.
	const { rows: classes } = await database.query(
		`select accepted_version, count(*)::integer as n from assent_acceptance
		where statement_id = $1 group by 1`,
		[statementId]
	);
	let subjects = 0;
	let mustAccept = 0;
	/** @type {Record<string, number>} */
	const reasons = {};
	/** @type {Record<string, number>} */
	const accepted = {};
	for (const row of classes) {
		const version = row.accepted_version === null ? null : String(row.accepted_version);
		const n = Number(row.n);
		const s = standingOfVersion({ version, statementId, versions, now });
		subjects += n;
		if (s.mustAccept) mustAccept += n;
		reasons[String(s.reason)] = (reasons[String(s.reason)] ?? 0) + n;
		if (version !== null) accepted[version] = (accepted[version] ?? 0) + n;
	}
	const inForce = standingOfVersion({ version: null, statementId, versions, now }).inForce;
	const { rows: links } = await database.query(
		`select partner, associated, count(*)::integer as n from assent_association
		where statement_id = $1 group by 1, 2 order by 1`,
		[statementId]
	);
	/** @type {Map<string, { associated: number, disassociated: number }>} */
	const partners = new Map();
	for (const row of links) {
		const counts = partners.get(String(row.partner)) ?? { associated: 0, disassociated: 0 };
		counts[row.associated ? 'associated' : 'disassociated'] += Number(row.n);
		partners.set(String(row.partner), counts);
	}

	const timeline = new Map(versions.map((v) => [v.version, v]));
	return {
		statement: statementId,
		generatedAt: now.toISOString(),
		inForce,
		versions: [...byVersion].map(([version, entry]) => {
			const v = timeline.get(version);
			return {
				version,
				...(v ? { issued: v.issued, effective: v.effective, change: v.change } : {}),
				acts: entry.acts,
				subjectsAccepted: accepted[version] ?? 0,
				days: [...entry.days]
					.sort(([a], [b]) => (a < b ? -1 : 1))
					.map(([day, acts]) => ({ day, ...acts }))
			};
		}),
		subjects: { total: subjects, mustAccept, byReason: reasons },
		partners: [...partners]
			.sort(([a], [b]) => (a < b ? -1 : 1))
			.map(([partner, counts]) => ({ partner, ...counts }))
	};
}
