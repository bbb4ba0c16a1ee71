// Builds the site: the site itself (SvelteKit, prerendered), then the widget's loader, its
// inline UI and the script of its frame's page into it. `npm run build` runs
// `node scripts/build-site.js` between bundling the receiver's core and writing `_headers`;
// `npm start`, the browser tests' setup and the widget benches call `buildSite` with their own
// output folder, content and environment.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITE = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));

/** The `vite build` runs, in order: the widget's files are written into the site's folder. */
export const BUILD_STEPS = [
	{ name: 'the site', args: [] },
	{ name: 'the widget loader', args: ['--config', 'vite.widget.config.ts'] },
	{ name: 'the inline widget', args: ['--config', 'vite.widget.config.ts', '--mode', 'inline'] },
	{ name: "the frame's script", args: ['--config', 'vite.widget.config.ts', '--mode', 'frame'] }
];

/**
 * Runs the builds of `BUILD_STEPS` in order, in production mode.
 * @param {object} [options]
 * @param {string} [options.out] the build folder (ASSENT_OUT; `build` when neither is set)
 * @param {string} [options.content] the content folder (ASSENT_CONTENT; `src/content` when neither is set)
 * @param {Record<string, string | undefined>} [options.env] more variables for the builds
 * @param {boolean} [options.quiet] warnings only, the builds' output kept for the error; otherwise
 *   the site's build reports to this terminal as `vite build` does, the widget's only warnings
 * @throws {Error} naming the step that failed (with its output when quiet)
 */
export function buildSite({ out, content, env = {}, quiet = false } = {}) {
	const buildEnv = {
		...process.env,
		// Vitest sets NODE_ENV=test, which would make Svelte compile in development mode.
		NODE_ENV: 'production',
		...env,
		...(out ? { ASSENT_OUT: resolve(out) } : {}),
		...(content ? { ASSENT_CONTENT: resolve(content) } : {})
	};
	for (const step of BUILD_STEPS) {
		const logLevel = quiet || step.args.length ? ['--logLevel', 'warn'] : [];
		const result = spawnSync(process.execPath, [VITE, 'build', ...step.args, ...logLevel], {
			cwd: ROOT,
			env: buildEnv,
			...(quiet ? { encoding: 'utf8' } : { stdio: 'inherit' })
		});
		if (result.status !== 0) {
			const command = ['vite build', ...step.args].join(' ');
			const cause = result.error ? `: ${result.error.message}` : '';
			const output = quiet ? `\n${result.stdout}\n${result.stderr}` : '';
			throw new Error(`The build of ${step.name} (\`${command}\`) failed${cause}.${output}`);
		}
	}
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	try {
		buildSite();
	} catch (error) {
		console.error(/** @type {Error} */ (error).message);
		process.exit(1);
	}
}
