import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

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

/**
 * Checks the content before a build starts, so bad content stops the build with one message
 * listing every problem, and reloads the dev server's pages when content changes.
 * @returns {import('vite').Plugin}
 */
export function assentContent() {
	/** @type {'build' | 'serve'} */
	let command = 'serve';
	let checked = false;
	return {
		name: 'assent-content',
		config(_config, env) {
			command = env.command;
		},
		async buildStart() {
			// SvelteKit builds twice (server and client); one check is enough.
			if (command !== 'build' || checked) return;
			checked = true;
			const { loadContent, contentDir, displayPath } = await importContentLoader();
			let content;
			try {
				content = loadContent();
			} catch (error) {
				if (error instanceof Error && error.name === 'AssentError') {
					// The message lists every problem with its file and fix; a stack trace adds nothing.
					console.error(`\n${error.message}\n`);
					process.exit(1);
				}
				throw error;
			}
			const count = content.statements.reduce((n, s) => n + s.versions.length, 0);
			this.info(
				`${content.statements.length} statements, ${count} versions from ${displayPath(contentDir())}`
			);
			if (content.unlocked.length > 0) {
				this.info(
					`${content.unlocked.length} version files are not in statements.lock.json yet (${content.unlocked.join(', ')}); run "npm run statements:publish" to lock them.`
				);
			}
		},
		configureServer(server) {
			const dir = resolve(process.env.ASSENT_CONTENT || 'src/content');
			server.watcher.add(dir);
			/** @param {string} file */
			const reload = (file) => {
				if (file.startsWith(dir)) server.ws.send({ type: 'full-reload' });
			};
			server.watcher.on('change', reload);
			server.watcher.on('add', reload);
			server.watcher.on('unlink', reload);
		}
	};
}
