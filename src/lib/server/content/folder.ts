import { isAbsolute, relative, resolve } from 'node:path';

/** The content folder: `ASSENT_CONTENT` when set, else `src/content` of the working directory. */
export function contentDir(): string {
	return resolve(process.env.ASSENT_CONTENT || 'src/content');
}

/** A path as messages show it: relative to the working directory when inside it. */
export function displayPath(path: string): string {
	const rel = relative(process.cwd(), path);
	return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
