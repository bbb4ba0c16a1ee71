import { error, json } from '@sveltejs/kit';
import { buildNow, content } from '$lib/server/content';
import { diffPairs, findVersion, statementDiff } from '$lib/server/content/catalogue';
import { statementOr404 } from '$lib/server/content/pages';
import type { EntryGenerator, RequestHandler } from './$types';

export const prerender = true;

// The published pairs (neighbours, and each version to the one in force and to the latest);
// the comparison page computes any other pair in the browser.
export const entries: EntryGenerator = () => {
	const now = buildNow();
	return content().statements.flatMap((s) =>
		diffPairs(s, { now }).map((pair) => ({ id: s.id, ...pair }))
	);
};

export const GET: RequestHandler = ({ params }) => {
	const statement = statementOr404(params.id);
	const from = findVersion({ statement, version: params.from });
	const to = findVersion({ statement, version: params.to });
	if (!from?.locales[params.locale] || !to?.locales[params.locale]) error(404, 'No such versions.');
	return json(statementDiff({ statement, from, to, locale: params.locale }));
};
