import sirv from 'sirv';
import { headersFor, siteHeaderRules } from './headers.js';

/**
 * Serves a built Assent site (the `build/` folder) the way a static host would: pages at their
 * trailing-slash URLs, JSON and the Atom feed with their media types, the widget and JSON open to
 * other origins, and the framing rules of `<dir>/_headers` (server/headers.js): no page may be
 * framed but the widget's, and those only by the site and its partners.
 * @param {{ dir: string, dev?: boolean }} options
 */
export function staticSite(options) {
	const rules = siteHeaderRules({ dir: options.dir });
	return sirv(options.dir, {
		dev: options.dev ?? false,
		etag: true,
		extensions: ['html'],
		setHeaders(res, pathname) {
			res.setHeader('X-Content-Type-Options', 'nosniff');
			for (const [name, value] of Object.entries(headersFor({ rules, pathname }))) {
				res.setHeader(name, value);
			}
			if (pathname.endsWith('.xml'))
				res.setHeader('Content-Type', 'application/atom+xml; charset=utf-8');
			// Partner pages load the widget as a module script and read the JSON documents from
			// their own origin: both are fetched in CORS mode.
			if (pathname.endsWith('.json') || pathname.startsWith('/widget/')) {
				res.setHeader('Access-Control-Allow-Origin', '*');
			}
			if (pathname.startsWith('/_app/immutable/')) {
				res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
			} else {
				res.setHeader('Cache-Control', 'no-cache');
			}
		}
	});
}
