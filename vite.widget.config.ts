import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The embeddable loader, `/widget/assent.js`: one small ES module built apart from the site, so
 * nothing of SvelteKit, Svelte or Dexie reaches partner pages. Runs after the site build and
 * writes into its output folder.
 */
const out = process.env.ASSENT_OUT || 'build';

export default defineConfig({
	publicDir: false,
	build: {
		outDir: resolve(out, 'widget'),
		emptyOutDir: false,
		target: 'es2022',
		minify: true,
		sourcemap: false,
		lib: {
			entry: resolve('src/widget/assent.ts'),
			formats: ['es'],
			fileName: () => 'assent.js'
		}
	}
});
