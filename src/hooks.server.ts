import type { Handle } from '@sveltejs/kit';
import { content } from '$lib/server/content';
import { EMBED_HEAD_HTML } from '$lib/widget/embed-head.js';

const escapeHtml = (text: string) =>
	text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/**
 * A page rendered in the browser only (`ssr = false`) has an empty head
 * until its script runs, and HTML requires a `<title>`: its shell gets the site's name, which
 * the page's own `<svelte:head>` title replaces once it runs.
 */
function withTitle(html: string, title: string): string {
	const end = html.indexOf('</head>');
	if (end < 0 || /<title[\s>]/.test(html.slice(0, end))) return html;
	return `${html.slice(0, end)}\t<title>${escapeHtml(title)}</title>\n\t${html.slice(end)}`;
}

/** Pages say which language they are in: the statement's locale, else the site's default. */
export const handle: Handle = async ({ event, resolve }) => {
	const { site } = content();
	const lang = event.params.locale ?? site.locales[0] ?? 'en';
	const frame = event.route.id === '/embed/[id]';
	return resolve(event, {
		// The widget's frame shows its prerendered statement first: its scripts only make it
		// interactive after, and announcing them all in its head would hold up that statement.
		preload: ({ type }) => type === 'css' || (type === 'js' && !frame),
		transformPageChunk: ({ html }) => {
			const page = withTitle(html.replace('%lang%', lang), site.name);
			// The widget frame's one inline script runs first: after the stylesheets, it would wait
			// for them and hold up the prerendered statement.
			return frame ? page.replace('<head>', `<head>\n\t\t${EMBED_HEAD_HTML}`) : page;
		}
	});
};
