import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
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

// The demo partner page on a second origin (another site, even: localhost is not 127.0.0.1), so
// the demo embeds the widget across origins as a partner's site does.
const demoPort = Number(process.env.ASSENT_DEMO_PORT || 4174);
const siteOrigin = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
const demo = createServer(
	demoPartner({ dir, site: siteOrigin, syncUrl: process.env.ASSENT_DEMO_SYNC_URL })
);
demo.listen(demoPort, host === '0.0.0.0' ? '0.0.0.0' : '127.0.0.1', () => {
	console.log(`The demo partner page is at http://localhost:${demoPort}/`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		demo.close();
		server.close(() => process.exit(0));
	});
}
