import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { contentDir, loadContent } from './load';
import type { Content } from './types';

export { loadContent, contentDir, displayPath } from './load';
export type * from './types';

/**
 * Set by the content plugin during `vite build`: a file holding the content it loaded and
 * checked when the build started, so the pages prerendered by that build (in another process)
 * read the folder no second time.
 */
export const BUILD_CONTENT = 'ASSENT_BUILD_CONTENT';
/** The dev server's count of content changes, kept by the content plugin on `globalThis`. */
export const CONTENT_GENERATION = Symbol.for('assent.content.generation');

let cache: { dir: string; key: string; content: Content } | undefined;

/**
 * The content of `ASSENT_CONTENT` (or `src/content`), read once per change: a build reads the
 * folder once (the pages it prerenders share the content the build checked), the dev server
 * reads it again after the content plugin saw a file change, and anything else (scripts,
 * tests) reads it again when a file's size or time changed.
 */
export function content(): Content {
	const dir = contentDir();
	const key = cacheKey(dir);
	if (cache && cache.dir === dir && cache.key === key) return cache.content;
	const fresh = builtContent(dir) ?? loadContent({ dir });
	cache = { dir, key, content: fresh };
	return fresh;
}

function cacheKey(dir: string): string {
	const built = process.env[BUILD_CONTENT];
	if (built) return `build:${built}`;
	const generation = (globalThis as Record<symbol, unknown>)[CONTENT_GENERATION];
	if (typeof generation === 'number') return `dev:${generation}`;
	return `stamp:${folderStamp(dir)}`;
}

/** The content the running build checked, when it is of `dir`. */
function builtContent(dir: string): Content | undefined {
	const file = process.env[BUILD_CONTENT];
	if (!file || !existsSync(file)) return undefined;
	const saved = JSON.parse(readFileSync(file, 'utf8')) as Content;
	return saved.dir === dir ? saved : undefined;
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
