import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';
import { scriptHash } from './src/lib/server/script-hash.js';
import { EMBED_HEAD_SCRIPT } from './src/lib/widget/embed-head.js';

const out = process.env.ASSENT_OUT || 'build';
// Two builds on one machine (parallel test runs) each need their own working folder.
const kitDir = process.env.ASSENT_KIT_DIR || '.svelte-kit';

/** The records page's inline head script, as `src/hooks.server.ts` puts it into that page. */
const RECORDS_HEAD_SCRIPT = readFileSync(
	new URL('./src/lib/components/records/records-head.js', import.meta.url),
	'utf8'
);

/**
 * Every page of a route with parameters comes from the content (its `entries`), so such a route
 * with no page is content that has none: one version has no diffs, a site without statements
 * has no statement pages. A route without parameters must always be reached.
 * @param {{ routes: string[] }} details
 */
function unseenRoutes({ routes }) {
	const missed = routes.filter((id) => !id.includes('['));
	if (missed.length > 0) {
		throw new Error(
			`These pages were not reached while prerendering; link to them from a page: ${missed.join(', ')}`
		);
	}
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		outDir: kitDir,
		adapter: adapter({ pages: out, assets: out, fallback: undefined, strict: true }),
		// Pages carry their own Content-Security-Policy (hashes of SvelteKit's inline scripts), so
		// no injected markup can run script, whichever static host serves the site.
		csp: {
			mode: 'hash',
			directives: {
				// The widget frame's one inline script (src/lib/widget/embed-head.js) and the records
				// page's (src/lib/components/records/records-head.js), by their hashes.
				'script-src': ['self', scriptHash(EMBED_HEAD_SCRIPT), scriptHash(RECORDS_HEAD_SCRIPT)],
				'object-src': ['none'],
				'base-uri': ['none'],
				'form-action': ['self']
			}
		},
		// Stylesheets this small go into the page itself: the widget's frame (`/embed/<id>/`) then
		// shows its prerendered statement and checkbox styled, with no request for a stylesheet
		// before them, and its rule hiding them in other modes applies from the first paint.
		// The page's Content-Security-Policy has no `style-src`: inline `<style>` stays allowed
		// (SvelteKit adds the styles' hashes should one be set).
		inlineStyleThreshold: 5 * 1024,
		prerender: {
			handleHttpError: 'fail',
			handleMissingId: 'fail',
			handleUnseenRoutes: unseenRoutes
		}
	}
};

export default config;
