import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mintSubjectToken } from '../receiver/mint.js';
import { DEMO_PARTNER } from './demo-content.js';

/** The demo partner's private key (demo only: everyone can read it; see demo-keys/README.md). */
export const DEMO_KEY = new URL(
	'./demo-keys/harbor-books.demo-only.private.jwk.json',
	import.meta.url
);
/** The customers the demo page lets one switch between. */
export const DEMO_SUBJECTS = ['reader-1042', 'reader-2077'];

/**
 * Serves the demo partner page (`/demo/` of the built site) from a second origin, the way a
 * partner's own site would: the widget comes from the statements site, records go to the sync
 * receiver. The page's meta tags get the two addresses and, as a partner's backend does for its
 * signed-in customer, a subject token for each demo customer (SPEC section 8), minted for every
 * page view with the demo partner's key and `aud` the statements site's origin.
 * @param {{ dir: string, site: string, syncUrl?: string, key?: string | URL }} options
 *   `dir`: the built site; `site`: the statements site's origin; `syncUrl`: the receiver's URL;
 *   `key`: the private JWK file tokens are signed with (default DEMO_KEY)
 * @returns {import('node:http').RequestListener}
 */
export function demoPartner(options) {
	const key = JSON.parse(readFileSync(options.key ?? DEMO_KEY, 'utf8'));
	const tokens = async () =>
		Object.fromEntries(
			await Promise.all(
				DEMO_SUBJECTS.map(async (subject) => [
					subject,
					await mintSubjectToken({
						key,
						partner: DEMO_PARTNER,
						subject,
						audience: options.site
					})
				])
			)
		);
	const demo = join(options.dir, 'demo');
	/** @type {Record<string, string>} */
	const types = {
		'/': 'text/html; charset=utf-8',
		'/demo.js': 'text/javascript; charset=utf-8',
		'/demo.css': 'text/css; charset=utf-8'
	};
	return async (req, res) => {
		const path = new URL(req.url ?? '/', 'http://partner').pathname;
		const type = types[path];
		if (!type || (req.method !== 'GET' && req.method !== 'HEAD')) {
			res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
			return;
		}
		let body = readFileSync(join(demo, path === '/' ? 'index.html' : path.slice(1)), 'utf8');
		/** @type {Record<string, string>} */
		let minted = {};
		try {
			if (path === '/') minted = await tokens();
		} catch (error) {
			res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
			res.end(
				`The demo's subject tokens could not be minted: ${/** @type {Error} */ (error).message}\n`
			);
			return;
		}
		if (path === '/') {
			body = body
				.replace('<meta name="assent-site" content="" />', meta('assent-site', options.site))
				.replace(
					'<meta name="assent-sync-url" content="" />',
					meta('assent-sync-url', options.syncUrl ?? '')
				)
				.replace(
					'<meta name="assent-subject-tokens" content="" />',
					meta('assent-subject-tokens', JSON.stringify(minted))
				);
		}
		res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
		res.end(req.method === 'HEAD' ? undefined : body);
	};
}

/** @param {string} name @param {string} content */
function meta(name, content) {
	const escaped = content.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
	return `<meta name="${name}" content="${escaped}" />`;
}
