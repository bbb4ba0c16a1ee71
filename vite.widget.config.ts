import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/**
 * The embeddable widget, built apart from the site into its output folder:
 * - default mode: `/widget/assent.js`, the small loader partner pages include (no Svelte, no
 *   Dexie);
 * - `--mode inline`: `/widget/inline.js`, the consent UI for `embed="inline"`, loaded on demand.
 */
const out = process.env.ASSENT_OUT || 'build';

export default defineConfig(({ mode }) => {
	const inline = mode === 'inline';
	return {
		publicDir: false,
		plugins: inline ? [svelte({ compilerOptions: { css: 'injected' } })] : [],
		resolve: { alias: { $lib: resolve('src/lib') } },
		define: inline ? { 'process.env.NODE_ENV': '"production"' } : {},
		build: {
			outDir: resolve(out, 'widget'),
			emptyOutDir: false,
			target: 'es2022',
			minify: true,
			sourcemap: false,
			lib: {
				entry: resolve(inline ? 'src/widget/inline.ts' : 'src/widget/assent.ts'),
				formats: ['es'],
				fileName: () => (inline ? 'inline.js' : 'assent.js')
			}
		}
	};
});
