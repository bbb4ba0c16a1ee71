import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
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

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => server.close(() => process.exit(0)));
}
