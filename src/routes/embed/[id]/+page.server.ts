import { buildNow, content } from '$lib/server/content';
import { statementIndex, versionDocument } from '$lib/server/content/catalogue';
import { ConsentState, type ShownStatement } from '$lib/widget/consent.svelte';
import type { EmbedFrameData } from '$lib/widget/embed-data';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries: EntryGenerator = () => content().statements.map((s) => ({ id: s.id }));

/**
 * The statement in force when the site was built, in its default locale, worked out as the widget
 * does for a customer who never answered: prerendered into the frame, so it shows before any
 * script ran. None when nothing is in force yet: the frame then shows what its session finds.
 */
async function preview(options: {
	id: string;
	provider: string;
}): Promise<{ locale: string; statements: ShownStatement[] } | null> {
	const now = buildNow();
	const site = content();
	const statement = site.statements.find((s) => s.id === options.id);
	const index = statementIndex({ content: site, now });
	const inForce = index.statements.find((s) => s.id === options.id)?.inForce;
	const version = statement?.versions.find((v) => v.version === inForce);
	if (!statement || !version?.locales[statement.defaultLocale]) return null;
	const document = versionDocument({ statement, version, locale: statement.defaultLocale, now });
	const base = 'https://prerender.invalid';
	const state = new ConsentState({
		base,
		statementIds: [statement.id],
		mode: 'accept',
		provider: options.provider,
		subject: 'preview',
		locale: statement.defaultLocale,
		embed: 'iframe',
		hostOrigin: base,
		log: {
			recordsOf: () => Promise.resolve([]),
			append: () => Promise.reject(new Error('The preview keeps no records.'))
		},
		emit: () => {},
		widget: '',
		now: () => now,
		fetch: () => Promise.resolve(Response.json(index)),
		documents: [document]
	});
	await state.load();
	if (state.phase !== 'ready') return null;
	return {
		locale: statement.defaultLocale,
		// The frame's own origin is known only in the browser: the link stays relative.
		statements: state.statements.map((s) => ({ ...s, url: new URL(s.url).pathname }))
	};
}

/**
 * What the frame needs before it can check its embedder: the partners and their origins, and the
 * site's own origins that may embed accept mode without a partner; and the statement to show
 * while it does.
 */
export const load: PageServerLoad = async ({ params }) => {
	const { site, partners } = content();
	const provider = site.publisher?.name ?? site.name;
	const embed: EmbedFrameData = {
		id: params.id,
		provider,
		origins: site.origins ?? [],
		partners: partners.map((p) => ({ id: p.id, name: p.name, url: p.url, origins: p.origins })),
		preview: await preview({ id: params.id, provider })
	};
	return { embed };
};
