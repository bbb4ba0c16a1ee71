/**
 * A statement's summary for the operator: per version, acts by kind and by day; how many
 * subjects must accept again (by the core's rules); associations per partner.
 */
import { associationStatus } from '../core/status.js';
import { recordsOf, standingFrom, subjectsOf } from './standing.js';

const ACTIONS = ['accept', 'decline', 'associate', 'disassociate'];
/** Subjects judged per round trip to the database. */
const BATCH = 1000;

/**
 * @param {{ database: import('../types.js').Database, statementId: string, versions: import('../statements.js').StatementTimeline[], now: Date }} options
 */
export async function statementSummary(options) {
	const { database, statementId, versions, now } = options;
	const { rows } = await database.query(
		`select statement_version as version, action, to_char(at at time zone 'UTC', 'YYYY-MM-DD') as day,
			count(*)::integer as n
		from assent_records where statement_id = $1
		group by 1, 2, 3 order by 1, 3, 2`,
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

	let subjects = 0;
	let mustAccept = 0;
	/** @type {Record<string, number>} */
	const reasons = {};
	/** @type {Record<string, number>} */
	const accepted = {};
	/** @type {Map<string, { associated: number, disassociated: number }>} */
	const partners = new Map();
	let inForce = null;
	/** @type {string | undefined} */
	let after;
	for (;;) {
		const batch = await subjectsOf({
			database,
			statementId,
			limit: BATCH,
			...(after !== undefined ? { after } : {})
		});
		if (batch.length === 0) break;
		const records = await recordsOf({ database, subjects: batch, statementId });
		for (const subject of batch) {
			const held = records.get(subject) ?? [];
			const s = standingFrom({ records: held, subject, statementId, versions, now });
			subjects++;
			inForce = s.inForce;
			if (s.mustAccept) mustAccept++;
			reasons[String(s.reason)] = (reasons[String(s.reason)] ?? 0) + 1;
			if (s.accepted) accepted[String(s.accepted)] = (accepted[String(s.accepted)] ?? 0) + 1;
			for (const partner of new Set(held.map((r) => r.partner).filter(Boolean))) {
				const a = associationStatus({ records: held, subject, partner });
				if (!a.record) continue;
				const counts = partners.get(partner) ?? { associated: 0, disassociated: 0 };
				counts[a.associated ? 'associated' : 'disassociated']++;
				partners.set(partner, counts);
			}
		}
		after = batch.at(-1);
		if (batch.length < BATCH) break;
	}
	if (subjects === 0)
		inForce = standingFrom({ records: [], subject: '', statementId, versions, now }).inForce;

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
