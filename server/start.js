import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { receiverConfig, startReceiver } from '../receiver/index.js';
import { demoPartner } from './demo.js';
import { staticSite } from './static.js';

const dir = resolve(process.env.ASSENT_OUT || 'build');
const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 4173);

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
const demoPort = Number(process.env.ASSENT_DEMO_PORT || 4174);
const loopback = host === '0.0.0.0' ? '127.0.0.1' : host;
const siteOrigin = `http://${loopback}:${port}`;
const receiver = await startReceiver({
	// The demo page sends no subject tokens yet: records are accepted, marked unverified
	// (SPEC section 8). ASSENT_SUBJECTS=verified requires tokens.
	subjects: 'unverified',
	...receiverConfig({
		// The widget's frame sends from the site's origin; an inline widget from the demo page's.
		// ASSENT_RECEIVER_ORIGINS replaces this list.
		defaults: { site: dir, host: loopback, origins: [siteOrigin, `http://localhost:${demoPort}`] }
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
	console.log(`The demo partner page is at http://localhost:${demoPort}/`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		demo.close();
		// The receiver closes its database before the process ends, so PGlite's files are whole.
		const closing = [receiver?.close(), new Promise((done) => server.close(done))];
		void Promise.all(closing).then(() => process.exit(0));
	});
}
