import createDOMPurify from 'dompurify';
import type { StatementDiff } from './core/diff';
import { statementDiff, type DiffEnvironment, type DiffSide } from './core/diff-blocks';
import { paths } from './core/paths';
import { SANITIZE_CONFIG, statementPolicy } from './core/sanitize';

/*
 * The comparison page's own comparison of two versions, for the pairs the site does not publish
 * a diff document of: the same code as the build's, on the two versions' published documents
 * (`/statements/<id>/<version>/<locale>.json`), which carry their sanitized HTML and hashes.
 */

let environment: DiffEnvironment | undefined;

/** An inert document (nothing in it loads) and the statements' sanitizer, in this browser. */
function browserEnvironment(): DiffEnvironment {
	if (!environment) {
		const purify = createDOMPurify(window);
		statementPolicy(purify);
		environment = {
			document: document.implementation.createHTMLDocument(''),
			sanitize: (html) => purify.sanitize(html, SANITIZE_CONFIG) as unknown as string
		};
	}
	return environment;
}

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
	return statementDiff(options.environment ?? browserEnvironment(), {
		id,
		locale,
		from: from!,
		to: to!
	});
}
