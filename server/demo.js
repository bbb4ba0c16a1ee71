import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Serves the demo partner page (`/demo/` of the built site) from a second origin, the way a
 * partner's own site would: the widget comes from the statements site, records go to the sync
 * receiver. Only the two addresses in the page's meta tags differ from the site's copy.
 * @param {{ dir: string, site: string, syncUrl?: string }} options
 *   `dir`: the built site; `site`: the statements site's origin; `syncUrl`: the receiver's URL.
 * @returns {import('node:http').RequestListener}
 */
export function demoPartner(options) {
	const demo = join(options.dir, 'demo');
	/** @type {Record<string, string>} */
	const types = {
		'/': 'text/html; charset=utf-8',
		'/demo.js': 'text/javascript; charset=utf-8',
		'/demo.css': 'text/css; charset=utf-8'
	};
	return (req, res) => {
		const path = new URL(req.url ?? '/', 'http://partner').pathname;
		const type = types[path];
		if (!type || (req.method !== 'GET' && req.method !== 'HEAD')) {
			res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
			return;
		}
		let body = readFileSync(join(demo, path === '/' ? 'index.html' : path.slice(1)), 'utf8');
		if (path === '/') {
			body = body
				.replace('<meta name="assent-site" content="" />', meta('assent-site', options.site))
				.replace(
					'<meta name="assent-sync-url" content="" />',
					meta('assent-sync-url', options.syncUrl ?? '')
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
