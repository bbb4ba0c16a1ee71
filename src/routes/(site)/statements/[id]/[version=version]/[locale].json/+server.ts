import { error, json } from '@sveltejs/kit';
import { buildNow, content } from '$lib/server/content';
import { findVersion, versionDocument } from '$lib/server/content/catalogue';
import { statementOr404 } from '$lib/server/content/pages';
import type { EntryGenerator, RequestHandler } from './$types';

export const prerender = true;

export const entries: EntryGenerator = () =>
	content().statements.flatMap((s) =>
		s.versions.flatMap((v) =>
			Object.keys(v.locales).map((locale) => ({ id: s.id, version: v.version, locale }))
		)
	);

export const GET: RequestHandler = ({ params }) => {
	const statement = statementOr404(params.id);
	const version = findVersion({ statement, version: params.version });
	if (!version?.locales[params.locale]) error(404, 'No such version or locale.');
	return json(versionDocument({ statement, version, locale: params.locale, now: buildNow() }));
};
