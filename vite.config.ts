import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { assentContent } from './src/lib/server/content/vite-plugin.js';
import { assentDevServer } from './server/dev.js';

export default defineConfig({
	plugins: [assentContent(), assentDevServer(), sveltekit()],
	build: {
		// Rolldown's [PLUGIN_TIMINGS] notes say which plugin took the time, which on a busy
		// machine is noise in every build log, not something an author can act on.
		rolldownOptions: {
			checks: { bundlerTimings: false },
			output: {
				codeSplitting: {
					groups: [
						// The widget's words, the comparison words of its change notice and the helpers
						// they need (src/lib/i18n/widget.ts, diff.ts), apart from the site's words: left
						// to automatic splitting they share a chunk, and the widget's frame would
						// download every page's words before its first record.
						{
							name: 'frame-words',
							test: /[\\/]src[\\/]lib[\\/](?:i18n[\\/](?:(?:en|zh-CN)[\\/])?(?:widget|diff)|core[\\/]locales)\.ts$/,
							priority: 2
						},
						{
							name: 'catalogue',
							test: /[\\/]src[\\/]lib[\\/](?:i18n[\\/](?:en|zh-CN)|core[\\/]i18n)\.ts$/,
							priority: 1
						}
					]
				}
			}
		}
	},
	server: { host: '127.0.0.1' },
	preview: { host: '127.0.0.1' },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					environment: 'node',
					include: [
						'src/**/*.spec.ts',
						'scripts/**/*.spec.ts',
						'server/**/*.spec.ts',
						'receiver/**/*.spec.{js,ts}',
						'tests/faults/**/*.spec.ts'
					],
					exclude: ['src/**/*.svelte.spec.ts'],
					// Starting PGlite (PostgreSQL compiled to WebAssembly) takes seconds on a busy
					// 2-core machine; these are ceilings, not speed goals.
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			},
			{
				extends: true,
				resolve: { conditions: ['browser'] },
				test: {
					name: 'component',
					environment: 'jsdom',
					include: ['src/**/*.svelte.spec.ts'],
					setupFiles: ['./tests/setup-component.ts']
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					environment: 'node',
					include: ['tests/e2e/**/*.e2e.ts'],
					globalSetup: ['./tests/e2e/global-setup.ts'],
					testTimeout: 60_000,
					hookTimeout: 240_000,
					fileParallelism: false
				}
			}
		]
	}
});
