/**
 * Where a subject stands with statements and partners, read from records alone. Records may come
 * in any order and from any number of browsers; these rules do not verify digests or chains.
 */
import type { AcceptanceRecord } from './record';
import { announcedVersions, versionInForce, type VersionTimeline } from './statement';
import { startOfDay } from './dates';
import { compareVersions } from './version';

interface SubjectRecords {
	/** Records in any order. */
	records: readonly AcceptanceRecord[];
	/** The host's id of the customer, compared exactly. */
	subject: string;
}

export interface LastAcceptanceOptions extends SubjectRecords {
	statementId: string;
	/**
	 * Count only acts on this partner's behalf (a partner-association statement is accepted
	 * once per partner). @default undefined, every record counts whatever its partner
	 */
	partner?: string;
}

/**
 * The subject's latest acceptance of a statement: the newest `accept` or `associate` record
 * for it (associating is agreeing to the association statement shown). Newest means highest
 * `at`, then highest `seq`, then highest id.
 *
 * A later `decline` or `disassociate` does not withdraw an acceptance: it records that the
 * subject said no to what was shown then, not that an earlier agreement was undone. Whether a
 * partner link stands is `associationStatus`'s question.
 */
export function lastAcceptance(options: LastAcceptanceOptions): AcceptanceRecord | undefined {
	return newest(
		options.records.filter(
			(r) =>
				(r.action === 'accept' || r.action === 'associate') &&
				r.subject === options.subject &&
				r.statement.id === options.statementId &&
				(options.partner === undefined || r.partner === options.partner)
		)
	);
}

/**
 * The version of the subject's latest acceptance (see `lastAcceptance`), or `undefined` when
 * it never accepted. The latest by time, not the highest version: accepting an old version in
 * a stale tab after a newer one is taken at its word, and at worst asks the subject again.
 */
export function lastAcceptedVersion(options: LastAcceptanceOptions): string | undefined {
	return lastAcceptance(options)?.statement.version;
}

export type AcceptanceReason =
	/** No acceptance of this statement by this subject: ask. */
	| 'never-accepted'
	/** A material version came into force after the accepted one: ask again, show what changed. */
	| 'material-change'
	/** The accepted version, or only minor changes since, are in force: nothing to ask. */
	| 'up-to-date'
	/** Every version is still announced: there is nothing in force to accept yet. */
	| 'nothing-in-force';

export interface AcceptanceNeed<T extends VersionTimeline = VersionTimeline> {
	needed: boolean;
	reason: AcceptanceReason;
	/** The version last accepted, when there is one. */
	accepted?: string;
	/** The version in force at `now`, when there is one. */
	inForce?: string;
	/**
	 * Versions after the accepted one, up to the one in force, oldest first, of every change
	 * kind: what to show as changed. Present when something was accepted and a version is in
	 * force.
	 */
	changedSince?: T[];
}

export interface NeedsAcceptanceOptions<T extends VersionTimeline> extends LastAcceptanceOptions {
	/** Every published version of the statement, announced ones included, in any order. */
	versions: readonly T[];
	/** The instant to judge at. */
	now: Date;
}

/**
 * Whether the subject must accept the statement now (SPEC sections 1 and 5): when it never
 * accepted, or when a `material` version newer than the accepted one has come into force (up to
 * and including the version in force). A `minor` change never asks again, and an announced
 * version asks nothing until its effective day: `upcomingChange` reports it meanwhile.
 */
export function needsAcceptance<T extends VersionTimeline>(
	options: NeedsAcceptanceOptions<T>
): AcceptanceNeed<T> {
	const accepted = lastAcceptedVersion(options);
	const inForce = versionInForce({ versions: options.versions, now: options.now })?.version;
	const known = {
		...(accepted !== undefined ? { accepted } : {}),
		...(inForce !== undefined ? { inForce } : {})
	};
	if (inForce === undefined) return { needed: false, reason: 'nothing-in-force', ...known };
	if (accepted === undefined) return { needed: true, reason: 'never-accepted', ...known };

	const changedSince = options.versions
		.filter(
			(v) =>
				compareVersions(v.version, accepted) > 0 &&
				compareVersions(v.version, inForce) <= 0 &&
				// In force by number is not enough: content may give a lower version a later date.
				startOfDay(v.effective).getTime() <= options.now.getTime()
		)
		.sort((a, b) => compareVersions(a.version, b.version));
	const material = changedSince.some((v) => v.change === 'material');
	return {
		needed: material,
		reason: material ? 'material-change' : 'up-to-date',
		...known,
		changedSince
	};
}

export interface UpcomingChange<T extends VersionTimeline = VersionTimeline> {
	/** Announced versions (effective after `now`) newer than the accepted one, oldest first. */
	announced: T[];
	/** Whether any of them is `material`: the subject will be asked again when it comes into force. */
	material: boolean;
}

/**
 * Versions announced but not yet in force at `now`, so a UI can say what is coming and whether
 * it will ask again. A version the subject already accepted ahead of time is not upcoming.
 */
export function upcomingChange<T extends VersionTimeline>(options: {
	/** Every published version of the statement, in any order. */
	versions: readonly T[];
	/** The instant to judge at. */
	now: Date;
	/** The version last accepted. @default undefined, every announced version counts */
	accepted?: string;
}): UpcomingChange<T> {
	const { accepted } = options;
	const announced = announcedVersions({ versions: options.versions, now: options.now }).filter(
		(v) => accepted === undefined || compareVersions(v.version, accepted) > 0
	);
	return { announced, material: announced.some((v) => v.change === 'material') };
}

export interface AssociationStatus {
	associated: boolean;
	/** When the latest associate or disassociate act happened; absent when there was none. */
	since?: string;
	/** That act. */
	record?: AcceptanceRecord;
}

/**
 * Whether the subject is associated with the partner: the newest `associate` or `disassociate`
 * record decides (highest `at`, then `seq`, then id). No such record: not associated.
 */
export function associationStatus(
	options: SubjectRecords & {
		/** The partner id from `partners.yaml`. */
		partner: string;
	}
): AssociationStatus {
	const record = newest(
		options.records.filter(
			(r) =>
				(r.action === 'associate' || r.action === 'disassociate') &&
				r.subject === options.subject &&
				r.partner === options.partner
		)
	);
	if (!record) return { associated: false };
	return { associated: record.action === 'associate', since: record.at, record };
}

/**
 * The newest record. `seq` only orders records of one browser, but it is the best tie-break
 * there is for two acts in the same millisecond; the id makes the choice deterministic.
 */
function newest(records: readonly AcceptanceRecord[]): AcceptanceRecord | undefined {
	let best: AcceptanceRecord | undefined;
	for (const record of records) {
		if (!best || compareRecency(record, best) > 0) best = record;
	}
	return best;
}

function compareRecency(a: AcceptanceRecord, b: AcceptanceRecord): number {
	return (
		Math.sign(Date.parse(a.at) - Date.parse(b.at)) ||
		Math.sign(a.seq - b.seq) ||
		(a.id === b.id ? 0 : a.id > b.id ? 1 : -1)
	);
}
