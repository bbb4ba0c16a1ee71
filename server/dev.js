import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

/**
 * `npm run dev` serves what `npm start` serves: the widget files partner pages load
 * (`/widget/assent.js`, `host-store.js`, `inline.js`) and the frame page's scripts
 * (`/widget/frame/…`), built from `src/entries/` on first request
 * and again after any source file changes, and the demo partner page at `/demo/`.
 * @returns {import('vite').Plugin}
 */
export function assentDevServer() {
	/** @type {Map<string, Promise<Map<string, string>>>} the built files of each widget build, by mode */
	const builds = new Map();
	const demo = resolve('static/demo');
	/** @type {Record<string, string>} */
	const types = {
		'.html': 'text/html; charset=utf-8',
		'.js': 'text/javascript; charset=utf-8',
		'.css': 'text/css; charset=utf-8'
	};

	/** @param {'production' | 'inline' | 'frame'} mode */
	function widgetBuild(mode) {
		let files = builds.get(mode);
		if (!files) {
			files = buildWidget(mode);
			builds.set(mode, files);
			// A failed build is tried again on the next request rather than kept.
			files.catch(() => builds.delete(mode));
		}
		return files;
	}

	return {
		name: 'assent-dev-server',
		apply: 'serve',
		configureServer(server) {
			server.watcher.on('all', (_event, file) => {
				if (file.startsWith(resolve('src') + sep)) builds.clear();
			});
			server.middlewares.use((req, res, next) => {
				const path = decodeURIComponent(new URL(req.url ?? '/', 'http://dev').pathname);
				const widget = /^\/widget\/((?:frame\/)?[\w-]+\.js)$/.exec(path);
				if (widget) {
					const name = /** @type {string} */ (widget[1]);
					const frame = name.startsWith('frame/');
					const mode = frame ? 'frame' : name === 'inline.js' ? 'inline' : 'production';
					widgetBuild(mode)
						.then((files) => {
							const code = files.get(frame ? name.slice('frame/'.length) : name);
							if (code === undefined) return next();
							res.writeHead(200, {
								'Content-Type': types['.js'],
								'Access-Control-Allow-Origin': '*',
								'Cache-Control': 'no-cache'
							});
							res.end(req.method === 'HEAD' ? undefined : code);
						})
						.catch((/** @type {Error} */ error) => {
							server.config.logger.error(`The widget did not build: ${error.message}`);
							res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
							res.end(`The widget did not build: ${error.message}\n`);
						});
					return;
				}
				if (path === '/demo') {
					res.writeHead(308, { Location: '/demo/' }).end();
					return;
				}
				if (!path.startsWith('/demo/')) return next();
				const file = join(demo, path === '/demo/' ? 'index.html' : path.slice('/demo/'.length));
				if (!file.startsWith(demo + sep) || !types[extname(file)]) return next();
				readFile(file).then(
					(body) => {
						res.writeHead(200, {
							'Content-Type': types[extname(file)],
							'Cache-Control': 'no-cache'
						});
						res.end(req.method === 'HEAD' ? undefined : body);
					},
					() => next()
				);
			});
		}
	};
}

/**
 * Builds the widget in memory with `vite.widget.config.ts`, as `npm run build` does.
 * @param {'production' | 'inline' | 'frame'} mode
 * @returns {Promise<Map<string, string>>} the code of each output file, by file name
 */
async function buildWidget(mode) {
	const { build } = await import('vite');
	const result = await build({
		configFile: resolve('vite.widget.config.ts'),
		mode,
		logLevel: 'warn',
		build: { write: false, watch: null }
	});
	const outputs = Array.isArray(result) ? result : [result];
	/** @type {Map<string, string>} */
	const files = new Map();
	for (const output of outputs) {
		if (!('output' in output)) continue;
		for (const file of output.output) {
			if (file.type === 'chunk') files.set(file.fileName, file.code);
		}
	}
	return files;
}
