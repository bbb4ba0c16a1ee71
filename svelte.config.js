import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

const out = process.env.ASSENT_OUT || 'build';
// Two builds on one machine (parallel test runs) each need their own working folder.
const kitDir = process.env.ASSENT_KIT_DIR || '.svelte-kit';

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
				'script-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'form-action': ['self']
			}
		},
		prerender: {
			handleHttpError: 'fail',
			handleMissingId: 'fail',
			handleUnseenRoutes: 'fail'
		}
	}
};

export default config;
