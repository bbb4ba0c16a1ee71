import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

/**
 * The embeddable widget, built apart from the site into its output folder:
 * - default mode: `/widget/assent.js`, the small loader partner pages include (no Svelte, no
 *   Dexie), and `/widget/host-store.js`, which it loads when the frame gets no storage;
 * - `--mode inline`: `/widget/inline.js`, the consent UI for `embed="inline"`, loaded on demand;
 * - `--mode frame`: `/widget/frame/embed.js` and the chunks it loads on demand, the script of the
 *   iframe's page (`src/routes/embed/[id]`, prerendered by the site's build, which also links
 *   the component styles: this build drops its own copy of them).
 */
const out = process.env.ASSENT_OUT || 'build';

/**
 * Moves the inline UI's CSS into its script, where `src/entries/inline.ts` adopts it as a
 * constructed stylesheet: no `<style>` element for a page's Content-Security-Policy to block,
 * and no second file to fetch.
 */
const cssIntoScript: Plugin = {
	name: 'assent-inline-css',
	generateBundle(_options, bundle) {
		const sheets = Object.values(bundle).filter(
			(file) => file.type === 'asset' && file.fileName.endsWith('.css')
		);
		const css = sheets.map((file) => (file.type === 'asset' ? String(file.source) : '')).join('\n');
		for (const file of sheets) delete bundle[file.fileName];
		for (const file of Object.values(bundle)) {
			if (file.type === 'chunk' && file.code.includes('__ASSENT_INLINE_CSS__')) {
				file.code = file.code.replaceAll('__ASSENT_INLINE_CSS__', JSON.stringify(css));
			}
		}
	}
};

/** The frame page links the same styles already (the class names depend on the file names). */
const dropCss: Plugin = {
	name: 'assent-frame-css',
	generateBundle(_options, bundle) {
		for (const file of Object.values(bundle)) {
			if (file.type === 'asset' && file.fileName.endsWith('.css')) delete bundle[file.fileName];
		}
	}
};

export default defineConfig(({ mode }) => {
	const inline = mode === 'inline';
	const frame = mode === 'frame';
	const entry: Record<string, string> = inline
		? { inline: resolve('src/entries/inline.ts') }
		: frame
			? { embed: resolve('src/entries/frame.ts') }
			: {
					assent: resolve('src/entries/assent.ts'),
					// Loaded by assent.js only when the browser refuses the frame its storage.
					'host-store': resolve('src/entries/host-store.ts')
				};
	return {
		publicDir: false,
		// The frame's chunks preload their own imports: relative to the script, wherever the
		// site serves `/widget/frame/`, never from the site's root.
		...(frame ? { base: './' } : {}),
		plugins: inline
			? [svelte({ compilerOptions: { css: 'external' } }), cssIntoScript]
			: frame
				? [svelte({ compilerOptions: { css: 'external' } }), dropCss]
				: [],
		resolve: { alias: { $lib: resolve('src/lib') } },
		define: inline || frame ? { 'process.env.NODE_ENV': '"production"' } : {},
		build: {
			outDir: resolve(out, frame ? 'widget/frame' : 'widget'),
			emptyOutDir: false,
			target: 'es2022',
			minify: true,
			sourcemap: false,
			// Not library mode: it leaves the white space of ES modules in place, and every byte
			// of these files reaches partner pages. The entries keep their exports.
			rollupOptions: {
				input: entry,
				preserveEntrySignatures: 'strict',
				checks: { bundlerTimings: false },
				output: {
					format: 'es',
					entryFileNames: '[name].js',
					chunkFileNames: '[name]-[hash].js',
					// The inline UI stays one file: what it loads on demand inside the frame (the
					// record store, the sync engine) comes with it.
					...(inline ? { codeSplitting: false } : {})
				}
			}
		}
	};
});
