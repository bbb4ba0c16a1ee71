import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { contentDir, loadContent } from './load';
import type { Content } from './types';

export { loadContent, contentDir, displayPath } from './load';
export type * from './types';

let cache: { dir: string; stamp: string; content: Content } | undefined;

/**
 * The content of `ASSENT_CONTENT` (or `src/content`), read once per change: the dev server sees
 * edits on the next request, a build reads the folder once.
 */
export function content(): Content {
	const dir = contentDir();
	const stamp = folderStamp(dir);
	if (cache && cache.dir === dir && cache.stamp === stamp) return cache.content;
	const fresh = loadContent({ dir });
	cache = { dir, stamp, content: fresh };
	return fresh;
}

function folderStamp(dir: string): string {
	const parts: string[] = [];
	const walk = (path: string): void => {
		let entries;
		try {
			entries = readdirSync(path, { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries) {
			const child = join(path, entry.name);
			if (entry.isDirectory()) walk(child);
			else {
				const stat = statSync(child);
				parts.push(`${child}:${stat.size}:${stat.mtimeMs}`);
			}
		}
	};
	walk(dir);
	return parts.sort().join('|');
}

/**
 * The moment the site is built for: `ASSENT_NOW` (an ISO date or time) when set, else now.
 * Deciding which version is in force at build time is what a static site can do; the widget
 * decides again in the browser.
 */
export function buildNow(): Date {
	const value = process.env.ASSENT_NOW;
	if (!value) return new Date();
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) {
		throw new Error(`ASSENT_NOW="${value}" is not a date; use an ISO date such as 2026-01-31.`);
	}
	return date;
}
