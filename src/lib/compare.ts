import type { StatementDiff } from './core/diff';
import { statementDiff, type DiffEnvironment, type DiffSide } from './core/diff-blocks';
import { paths } from './core/paths';

/*
 * The comparison page's own comparison of two versions, for the pairs the site does not publish
 * a diff document of: the same code as the build's, on the two versions' published documents
 * (`/statements/<id>/<version>/<locale>.json`), which carry their sanitized HTML and hashes.
 */

/**
 * The comparison's environment in a browser: an inert document made from `document` (nothing
 * parsed in it loads or runs). The HTML compared is the site's own published, sanitized HTML,
 * and the comparison only copies its elements and attributes, with its words as text nodes: it
 * needs no second sanitizer, so none is shipped to readers (the build's pass over the same HTML
 * changes nothing, which `compare.spec.ts` checks).
 */
export function browserEnvironment(document: Document): DiffEnvironment {
	return {
		document: document.implementation.createHTMLDocument(''),
		sanitize: (html) => html
	};
}

let environment: DiffEnvironment | undefined;

/**
 * The diff document of versions `from` (older) and `to` of statement `id` in `locale`.
 * `load` fetches a published JSON document, failing with a message for the reader.
 */
export async function compareInBrowser(options: {
	id: string;
	from: string;
	to: string;
	locale: string;
	load: (url: string) => Promise<unknown>;
	environment?: DiffEnvironment;
}): Promise<StatementDiff> {
	const { id, locale } = options;
	const [from, to] = (await Promise.all(
		[options.from, options.to].map((version) =>
			options.load(paths.versionJson({ id, version, locale }))
		)
	)) as DiffSide[];
	return statementDiff(options.environment ?? (environment ??= browserEnvironment(document)), {
		id,
		locale,
		from: from!,
		to: to!
	});
}
