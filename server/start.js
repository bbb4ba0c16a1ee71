import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { receiverConfig, startReceiver } from '../receiver/index.js';
import { demoContent } from './demo-content.js';
import { demoPartner } from './demo.js';
import { staticSite } from './static.js';
import { buildSite } from '../scripts/build-site.js';

/**
 * `npm start` (`--build`): builds the site so that the demo works on the ports given, then
 * serves it, the sync receiver and the demo partner page. `npm run preview`: serves a build.
 * Ports: `PORT` (the site, 4173), `ASSENT_DEMO_PORT` (the demo partner page, 4174),
 * `ASSENT_RECEIVER_PORT` (the sync receiver, 4175).
 */
const dir = resolve(process.env.ASSENT_OUT || 'build');
const host = process.env.HOST || '127.0.0.1';
const port = portOf('PORT', 4173);
const demoPort = portOf('ASSENT_DEMO_PORT', 4174);
const loopback = host === '0.0.0.0' ? '127.0.0.1' : host;
const siteOrigin = `http://${loopback}:${port}`;
const demoOrigin = `http://localhost:${demoPort}`;

/** @param {string} name @param {number} fallback */
function portOf(name, fallback) {
	const value = process.env[name]?.trim();
	if (!value) return fallback;
	if (!/^\d+$/.test(value) || Number(value) > 65535) {
		console.error(`${name} must be a port number (1-65535); got "${value}".`);
		process.exit(1);
	}
	return Number(value);
}

if (process.argv.includes('--build')) build();

/**
 * Builds the site as `npm run build` does, from a copy of the content in which the demo partner
 * also lists this run's local origins (server/demo-content.js): the demo page on the site and on
 * its own origin may then embed the association widget, whatever the ports.
 */
function build() {
	const local = [siteOrigin, demoOrigin].filter((o) =>
		/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(o)
	);
	const content = demoContent({
		content: resolve(process.env.ASSENT_CONTENT || 'src/content'),
		dir: resolve('data/demo/content'),
		origins: local
	});
	if (content.partner) {
		console.log(`The demo partner "${content.partner}" may embed from ${local.join(' and ')}.`);
	} else {
		console.log(
			'The content has no partner "harbor-books": the demo page shows its association widget refused.'
		);
	}
	try {
		buildSite({ content: content.dir });
	} catch (error) {
		console.error(/** @type {Error} */ (error).message);
		process.exit(1);
	}
}

if (!existsSync(resolve(dir, 'index.html'))) {
	console.error(
		`No built site in ${dir}. Run "npm run build" first (or "npm start", which builds).`
	);
	process.exit(1);
}

const site = staticSite({ dir });
const server = createServer((req, res) => {
	site(req, res, () => {
		res.statusCode = 404;
		res.setHeader('Content-Type', 'text/plain; charset=utf-8');
		res.end('Not found\n');
	});
});

server.listen(port, host, () => {
	console.log(
		`Assent is serving ${dir} at http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`
	);
});

// The reference sync receiver (receiver/README.md), so the demo's records reach a database.
const receiver = await startReceiver({
	// Subject tokens name the statements site's origin as `aud`: here, this run's site.
	// ASSENT_SITE (a URL) or the site's baseUrl is used otherwise. Records need a token
	// (docs/contract.md section 8); the demo page gets its tokens minted by server/demo.js.
	// ASSENT_SUBJECTS=unverified accepts records without one, marked unverified.
	audience: siteOrigin,
	...receiverConfig({
		// The widget's frame sends from the site's origin; an inline widget from the demo page's.
		// ASSENT_RECEIVER_ORIGINS replaces this list.
		defaults: { site: dir, host: loopback, origins: [siteOrigin, demoOrigin] }
	})
}).catch((/** @type {Error} */ error) => {
	console.error(`The sync receiver did not start: ${error.message}`);
	return undefined;
});
if (receiver) console.log(`The sync receiver accepts records at ${receiver.url}`);

// The demo partner page on a second origin (another site, even: localhost is not 127.0.0.1), so
// the demo embeds the widget across origins as a partner's site does.
const demo = createServer(
	demoPartner({ dir, site: siteOrigin, syncUrl: process.env.ASSENT_DEMO_SYNC_URL ?? receiver?.url })
);
demo.listen(demoPort, host === '0.0.0.0' ? '0.0.0.0' : '127.0.0.1', () => {
	console.log(`The demo partner page is at ${demoOrigin}/`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		demo.close();
		// The receiver closes its database before the process ends, so PGlite's files are whole.
		const closing = [receiver?.close(), new Promise((done) => server.close(done))];
		void Promise.all(closing).then(() => process.exit(0));
	});
}
