import type { Handle } from '@sveltejs/kit';
import { content } from '$lib/server/content';
import { startAfter } from '$lib/server/deferred-start';
import { EMBED_HEAD_SCRIPT } from '$lib/widget/embed-head.js';
import RECORDS_HEAD_SCRIPT from '$lib/components/records/records-head.js?raw';

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

/** Puts `script` into the page's head after its Content-Security-Policy (else its charset). */
function withHeadScript(html: string, script: string): string {
	const after =
		/<meta http-equiv="content-security-policy"[^>]*>/.exec(html) ??
		/<meta charset[^>]*>/.exec(html);
	const at = after ? after.index + after[0].length : html.indexOf('<head>') + '<head>'.length;
	return `${html.slice(0, at)}\n\t\t<script>${script}</script>${html.slice(at)}`;
}

/** Pages say which language they are in: the statement's locale, else the site's default. */
export const handle: Handle = async ({ event, resolve }) => {
	const { site } = content();
	const lang = event.params.locale ?? site.locales[0] ?? 'en';
	const frame = event.route.id === '/embed/[id]';
	const records = event.route.id === '/(site)/records';
	return resolve(event, {
		transformPageChunk: ({ html }) => {
			const page = withTitle(html.replace('%lang%', lang), site.name);
			// Each page's inline script comes under the policy that allows it, and before the
			// stylesheets, which would hold it and the page it shows. The widget frame's hides its
			// prerendered statement in other modes and asks for its script (embed-head.js); the
			// records page's starts reading the browser's records before the page's modules load,
			// and draws the newest once read (src/lib/components/records/records-head.js).
			if (frame) return withHeadScript(page, EMBED_HEAD_SCRIPT);
			// Its modules start once that read is done, so they do not hold it up.
			if (records)
				return startAfter(
					withHeadScript(page, RECORDS_HEAD_SCRIPT),
					'window.assentRecordsEarly?.read'
				);
			return page;
		}
	});
};
