/**
 * The link check: every link and image of a statement leads somewhere on every page that shows
 * it.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { AssentError } from '../../core/errors';
import type { ParsedFile } from './parse';
import { lineAt } from './text';
import type { Statement } from './types';

/** The 1-based line in the file where `url` is written, or undefined when it cannot be found. */
function lineOf(file: ParsedFile, url: string): number | undefined {
	const spellings = [url, url.replace(/&/g, '&amp;')];
	try {
		spellings.push(decodeURI(url));
	} catch {
		// not percent-encoded text; the other spellings are searched
	}
	// Where a markdown link, a reference definition or an HTML attribute writes the address,
	// before the bare text (an address like "x" is also a letter of the text).
	const forms = spellings.flatMap((u) => [
		`](${u}`,
		`](<${u}>`,
		`]: ${u}`,
		`="${u}"`,
		`='${u}'`,
		`=${u}`,
		`<${u}>`,
		u
	]);
	for (const form of forms) {
		const index = file.body.indexOf(form);
		if (index !== -1) return file.bodyLine + lineAt(file.body, index) - 1;
	}
	return undefined;
}

/**
 * Links and images in statements must lead somewhere on every page that shows them. A statement
 * is shown at several addresses (`/statements/terms/`, `/statements/terms/1.0/`,
 * `/statements/terms/1.0/en/`), so a relative link cannot; the build's crawler would stop on it.
 * Allowed: absolute URLs, `#anchors` of the statement's own headings, and site paths of pages
 * the content produces.
 */
export function checkLinks(options: {
	files: ParsedFile[];
	statements: Statement[];
}): AssentError[] {
	/** Site path → the ids a `#fragment` may name on it (undefined: a page without anchors). */
	const pages = new Map<string, Set<string> | undefined>();
	const mainPages = new Set<string>();
	for (const path of [
		'/',
		'/records/',
		'/statements/index.json',
		'/statements/feed.xml',
		'/partners.json'
	])
		pages.set(path, undefined);
	for (const statement of options.statements) {
		const base = `/statements/${statement.id}/`;
		pages.set(`${base}history/`, undefined);
		pages.set(`${base}diff/`, undefined);
		// The statement's own page shows whichever version is in force on the day of the build, so
		// only anchors every version has are safe there.
		let common: Set<string> | undefined;
		for (const version of statement.versions) {
			const main = version.locales[statement.defaultLocale] ?? Object.values(version.locales)[0]!;
			const mainIds = anchors(main.html);
			common = common ? new Set([...common].filter((id) => mainIds.has(id))) : mainIds;
			pages.set(`${base}${version.version}/`, mainIds);
			for (const [locale, text] of Object.entries(version.locales)) {
				pages.set(`${base}${version.version}/${locale}/`, anchors(text.html));
				pages.set(`${base}${version.version}/${locale}.json`, undefined);
			}
		}
		pages.set(base, common ?? new Set());
		mainPages.add(base);
	}
	const examples = options.statements
		.slice(0, 3)
		.map((s) => `/statements/${s.id}/`)
		.join(', ');
	const problems: AssentError[] = [];
	for (const file of options.files) {
		for (const link of file.rendered.links) {
			const url = link.url.trim();
			const line = lineOf(file, url);
			const at = `${file.shown}${line ? `:${line}` : ''}`;
			const what = link.tag === 'img' ? `image "${url}"` : `link "${url}"`;
			const refuse = (reason: string): void => {
				problems.push(
					new AssentError('content/link', `${at}: ${what} ${reason}`, {
						file: file.shown,
						field: link.attribute
					})
				);
			};
			const absolute = /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//');
			if (link.tag === 'img') {
				if (!/^(https?:)?\/\//i.test(url) && !staticFile(url)) {
					refuse(
						"is neither an absolute web address nor a file of the site's static/ folder, so it would show on none of the statement's pages. Use the image's https URL, e.g. https://example.com/logo.png."
					);
				}
				continue;
			}
			if (absolute) continue;
			if (url === '' || url === '#') continue;
			if (url.startsWith('#')) {
				const id = safeDecode(url.slice(1));
				if (!file.rendered.ids.includes(id)) {
					const known = file.rendered.ids.slice(0, 5).map((i) => `#${i}`);
					refuse(
						`points to no heading of this statement. Heading anchors are "section-" and the heading's words, e.g. #section-1-scope${known.length ? `; this file has ${known.join(', ')}` : '; this file has no headings'}.`
					);
				}
				continue;
			}
			if (!url.startsWith('/')) {
				refuse(
					`is relative, and a statement is shown at several addresses, so it would lead nowhere. Use an absolute https URL (e.g. https://example.com/annex.pdf), or the path of a statement page that exists${examples ? ` (e.g. ${examples.split(', ')[0]})` : ''}.`
				);
				continue;
			}
			const [beforeHash, fragment] = splitOnce(url, '#');
			const [path] = splitOnce(beforeHash, '?');
			if (!pages.has(path) && !staticFile(path)) {
				const slash = path.endsWith('/') ? undefined : `${path}/`;
				refuse(
					slash && pages.has(slash)
						? `leads to no page: page addresses end with a slash, write "${slash}".`
						: `leads to no page of this site. Link to a statement page that exists${examples ? ` (${examples})` : ''}, or use an absolute https URL.`
				);
				continue;
			}
			if (fragment) {
				const ids = pages.get(path);
				const id = safeDecode(fragment);
				if (!ids) {
					refuse(
						`names an anchor "#${id}" on a page without heading anchors; link to the page without "#${fragment}".`
					);
				} else if (!ids.has(id)) {
					// On a statement's own page, point to a version that has the heading.
					const version = mainPages.has(path)
						? [...pages.keys()].find(
								(other) =>
									other.startsWith(path) &&
									other.split('/').length === 5 &&
									pages.get(other)?.has(id)
							)
						: undefined;
					refuse(
						version
							? `names an anchor "#${id}" that not every version of ${path} has, and that page shows the version in force. Link to the version, e.g. ${version}#${id}.`
							: `names an anchor "#${id}" that ${path} does not have.`
					);
				}
			}
		}
	}
	return problems;
}

/**
 * True when a site path names a file the site serves from the project's `static/` folder
 * (`/schemas/record.json`), beside the pages the content produces. A folder (`/demo/`) is not
 * a page the build knows, so it does not count.
 */
function staticFile(path: string): boolean {
	if (!path.startsWith('/') || path.startsWith('//')) return false;
	const root = resolve('static');
	const target = resolve(root, `.${safeDecode(path.split(/[?#]/)[0]!)}`);
	if (!target.startsWith(root + sep)) return false;
	return existsSync(target) && statSync(target).isFile();
}

function anchors(html: string): Set<string> {
	return new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!));
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

function splitOnce(text: string, separator: string): [string, string] {
	const index = text.indexOf(separator);
	return index === -1 ? [text, ''] : [text.slice(0, index), text.slice(index + 1)];
}
