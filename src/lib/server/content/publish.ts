import { loadContent } from './load';
import { LOCK_FILE, readLock, writeLock } from './lock';
import type { ContentWarning } from './types';

export interface PublishResult {
	/** Lock keys added by this run, sorted. */
	added: string[];
	/** Every key in the lock after the run. */
	total: number;
	/** What authors should look at in the files just published (see `Content.warnings`). */
	warnings: ContentWarning[];
}

/**
 * Records every valid version file not yet in `statements.lock.json`. Refuses, writing nothing,
 * when the content has any problem, a published file among them: the lock only grows.
 */
export function publish(options: { dir?: string } = {}): PublishResult {
	const content = loadContent({ dir: options.dir });
	const lock = readLock({ dir: content.dir });
	const added = content.unlocked;
	for (const key of added) lock[key] = content.hashes[key]!;
	if (added.length > 0) writeLock({ dir: content.dir, lock });
	return { added, total: Object.keys(lock).length, warnings: content.warnings };
}

export { LOCK_FILE };
