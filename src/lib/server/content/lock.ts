import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssentError } from '../../core/errors';
import { displayPath } from './folder';

export const LOCK_FILE = 'statements.lock.json';

/** `<id>/<version>.<locale>` → `sha256:…`. */
export type Lock = Record<string, string>;

export function lockKey(options: { id: string; version: string; locale: string }): string {
	return `${options.id}/${options.version}.${options.locale}`;
}

/** Reads the lock; a content folder without one has published nothing yet. */
export function readLock(options: { dir: string }): Lock {
	const path = join(options.dir, LOCK_FILE);
	if (!existsSync(path)) return {};
	let data: unknown;
	try {
		data = JSON.parse(readFileSync(path, 'utf8'));
	} catch (error) {
		throw new AssentError(
			'content/lock-file',
			`${LOCK_FILE}: not valid JSON (${(error as Error).message}). Restore it from version control; it must map "<id>/<version>.<locale>" to "sha256:…".`,
			{ file: LOCK_FILE }
		);
	}
	if (data === null || typeof data !== 'object' || Array.isArray(data)) {
		throw new AssentError(
			'content/lock-file',
			`${LOCK_FILE}: must be a JSON object mapping "<id>/<version>.<locale>" to "sha256:…".`,
			{ file: LOCK_FILE }
		);
	}
	const lock: Lock = {};
	for (const [key, value] of Object.entries(data)) {
		if (typeof value !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(value)) {
			throw new AssentError(
				'content/lock-file',
				`${LOCK_FILE}: the entry "${key}" must be "sha256:" followed by 64 lowercase hex digits.`,
				{ file: LOCK_FILE, field: key }
			);
		}
		lock[key] = value;
	}
	return lock;
}

/** Writes the lock with sorted keys, so that its diffs in review are small and stable. */
export function writeLock(options: { dir: string; lock: Lock }): void {
	const sorted: Lock = {};
	for (const key of Object.keys(options.lock).sort()) sorted[key] = options.lock[key]!;
	writeFileSync(join(options.dir, LOCK_FILE), JSON.stringify(sorted, null, 2) + '\n');
}

/** A statement file as the lock knows it. */
export interface LockedFile {
	id: string;
	version: string;
	locale: string;
	hash: string;
	/** The file as messages show it. */
	shown: string;
}

/**
 * The files of a content folder against its lock: a published file removed or changed is a
 * problem; `hashes` is the lock `statements:publish` would write, `unlocked` the keys not in it.
 */
export function compareWithLock(options: {
	dir: string;
	lock: Lock;
	files: readonly LockedFile[];
}): {
	hashes: Lock;
	unlocked: string[];
	problems: AssentError[];
} {
	const { dir, lock, files } = options;
	const problems: AssentError[] = [];
	const hashes: Lock = {};
	for (const file of files) hashes[lockKey(file)] = file.hash;
	const byKey = new Map(files.map((f) => [lockKey(f), f]));
	for (const [key, locked] of Object.entries(lock)) {
		const file = byKey.get(key);
		const [statementId, rest] = key.split('/');
		const expectedFile = `statements/${statementId}/${rest}.md`;
		if (!file) {
			problems.push(
				new AssentError(
					'content/lock-removed',
					`${displayPath(join(dir, expectedFile))}: this published version was removed, but ${LOCK_FILE} records it (${locked}). Published versions are permanent: restore the file from version control.`,
					{ file: displayPath(join(dir, expectedFile)), field: key }
				)
			);
		} else if (file.hash !== locked) {
			problems.push(
				new AssentError(
					'content/lock-changed',
					`${file.shown}: this published version was changed after publishing (${LOCK_FILE} has ${locked}, the file is now ${file.hash}). Restore the published text from version control and publish the change as a new version instead.`,
					{ file: file.shown, field: key }
				)
			);
		}
	}
	const unlocked = Object.keys(hashes)
		.filter((key) => !(key in lock))
		.sort();
	return { hashes, unlocked, problems };
}
