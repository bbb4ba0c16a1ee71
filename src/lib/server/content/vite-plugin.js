import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Kept in step with `index.ts`, which reads them. */
const BUILD_CONTENT = 'ASSENT_BUILD_CONTENT';
const CONTENT_GENERATION = Symbol.for('assent.content.generation');

/**
 * Loads the content modules (TypeScript) through Vite's module runner, so that build scripts
 * and this plugin share the exact code the site is built with.
 * @returns {Promise<typeof import('./load')>}
 */
export async function importContentLoader() {
	const { module } = await runnerImport(resolve(here, 'load.ts'), {
		configFile: false,
		logLevel: 'error'
	});
	return /** @type {typeof import('./load')} */ (module);
}

/** `1 statement`, `2 statements`. */
const count = (/** @type {number} */ n, /** @type {string} */ word) =>
	`${n} ${n === 1 ? word : `${word}s`}`;

/**
 * Checks the content before a build starts, so bad content stops the build with one message
 * listing every problem, and reloads the dev server's pages when content changes.
 * @returns {import('vite').Plugin}
 */
export function assentContent() {
	/** @type {'build' | 'serve'} */
	let command = 'serve';
	let ssr = false;
	return {
		name: 'assent-content',
		config(_config, env) {
			command = env.command;
		},
		configResolved(config) {
			ssr = Boolean(config.build.ssr);
		},
		async buildStart() {
			// SvelteKit builds the server first, then the client with the config loaded anew (a new
			// instance of this plugin): checking in the server build alone reports everything once.
			if (command !== 'build' || !ssr) return;
			const { loadContent, contentDir, displayPath } = await importContentLoader();
			let content;
			try {
				content = loadContent();
			} catch (error) {
				if (error instanceof Error && error.name === 'AssentError') {
					// The message lists every problem with its file and fix; a stack trace adds nothing.
					const stop = new Error(error.message);
					stop.stack = '';
					throw stop;
				}
				throw error;
			}
			// The pages this build prerenders (in a process of their own) use the content checked
			// here, so the folder is read and rendered once per build.
			const saved = join(tmpdir(), `assent-content-${process.pid}-${randomUUID()}.json`);
			writeFileSync(saved, JSON.stringify(content));
			process.env[BUILD_CONTENT] = saved;
			process.once('exit', () => rmSync(saved, { force: true }));
			const versions = content.statements.reduce((n, s) => n + s.versions.length, 0);
			this.info(
				`${count(content.statements.length, 'statement')}, ${count(versions, 'version')} from ${displayPath(contentDir())}`
			);
			for (const warning of content.warnings) this.warn(warning.message);
			const unlocked = content.unlocked.length;
			if (unlocked > 0) {
				this.info(
					`${count(unlocked, 'version file')} ${unlocked === 1 ? 'is' : 'are'} not in statements.lock.json yet (${content.unlocked.join(', ')}); run "npm run statements:publish" to lock ${unlocked === 1 ? 'it' : 'them'}.`
				);
			}
		},
		configureServer(server) {
			const dir = resolve(process.env.ASSENT_CONTENT || 'src/content');
			delete process.env[BUILD_CONTENT];
			/** @type {Record<symbol, unknown>} */ (globalThis)[CONTENT_GENERATION] = 0;
			server.watcher.add(dir);
			/** @param {string} file */
			const reload = (file) => {
				if (!file.startsWith(dir)) return;
				// The pages read the content again on their next request.
				const generations = /** @type {Record<symbol, number>} */ (globalThis);
				generations[CONTENT_GENERATION] = (generations[CONTENT_GENERATION] ?? 0) + 1;
				server.ws.send({ type: 'full-reload' });
			};
			server.watcher.on('change', reload);
			server.watcher.on('add', reload);
			server.watcher.on('unlink', reload);
		}
	};
}
