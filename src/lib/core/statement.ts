import { compareVersions } from './version';
import { startOfDay } from './dates';

export type ChangeKind = 'initial' | 'minor' | 'material';
export const CHANGE_KINDS: readonly ChangeKind[] = ['initial', 'minor', 'material'];

/** Where a version stands on a given day. */
export type VersionStatus = 'superseded' | 'in-force' | 'announced';

/** The facts of a version that decide where it stands; shared by every locale of it. */
export interface VersionTimeline {
	version: string;
	/** `YYYY-MM-DD`: the day it was published. */
	issued: string;
	/** `YYYY-MM-DD`: the day it comes into force (UTC). */
	effective: string;
	change: ChangeKind;
}

/**
 * The version in force at `now`: the highest version whose effective day has begun. `undefined`
 * when every version is still announced.
 */
export function versionInForce<T extends VersionTimeline>(options: {
	versions: readonly T[];
	now: Date;
}): T | undefined {
	let found: T | undefined;
	for (const candidate of options.versions) {
		if (startOfDay(candidate.effective).getTime() > options.now.getTime()) continue;
		if (!found || compareVersions(candidate.version, found.version) > 0) found = candidate;
	}
	return found;
}

/** Versions published but not yet in force at `now`, oldest first. */
export function announcedVersions<T extends VersionTimeline>(options: {
	versions: readonly T[];
	now: Date;
}): T[] {
	return options.versions
		.filter((v) => startOfDay(v.effective).getTime() > options.now.getTime())
		.sort((a, b) => compareVersions(a.version, b.version));
}

export function versionStatus(options: {
	versions: readonly VersionTimeline[];
	version: string;
	now: Date;
}): VersionStatus {
	const current = versionInForce(options);
	const target = options.versions.find((v) => v.version === options.version);
	if (target && startOfDay(target.effective).getTime() > options.now.getTime()) return 'announced';
	if (current && current.version === options.version) return 'in-force';
	return 'superseded';
}
