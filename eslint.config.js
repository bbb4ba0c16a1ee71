import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'.assent-test/',
			'data/',
			'node_modules/',
			'*.tmp.mjs',
			'receiver/core/status.js'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'no-undef': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			// Site links are root-relative on purpose: the site is served at the root of its host.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		files: ['**/*.ts', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		// Test code (vitest, the shared contract suites) never reaches a shipped file. A rule of its
		// own, so the layer rules below keep theirs.
		files: ['src/**/*.ts', 'src/**/*.js', 'src/**/*.svelte'],
		ignores: ['**/*.spec.ts', '**/*.spec-suite.ts', 'src/lib/server/content/test-content.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['vitest', 'vitest/*', '**/*.spec-suite', '**/*.spec-suite.ts'],
							message:
								'Test code is imported only by spec files (*.spec.ts, *.spec-suite.ts), so no bundle ships it.'
						}
					]
				}
			]
		}
	},
	{
		// core holds the rules with legal weight: pure TypeScript, no UI, storage or Node.
		files: ['src/lib/core/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['svelte', 'svelte/*', '$app/*', '@sveltejs/*'],
							message: 'core must not depend on Svelte.'
						},
						{ group: ['dexie', 'dexie/*'], message: 'core must not depend on storage.' },
						{
							group: ['node:*', 'fs', 'path', 'crypto'],
							message: 'core must run in browsers: no Node modules.'
						},
						{
							group: ['**/server/**', '**/store/*', '**/sync/*', '**/components/*', '$lib/*'],
							message: 'core imports nothing above it.'
						}
					]
				}
			]
		}
	},
	{
		// Build-time code lives under src/lib/server. SvelteKit refuses it in the site's client
		// code, but the widget is built without SvelteKit, so this rule says it for every file
		// that reaches a browser, relative imports included.
		files: [
			'src/routes/**/*.svelte',
			'src/routes/**/+page.ts',
			'src/routes/**/+layout.ts',
			'src/lib/components/**/*',
			'src/lib/widget/**/*',
			'src/lib/store/**/*',
			'src/lib/sync/**/*',
			'src/entries/**/*'
		],
		ignores: ['**/*.spec.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['marked', 'dompurify', 'jsdom'],
							message: 'Statements are rendered at build time (src/lib/server/content).'
						},
						{
							group: ['$lib/server', '$lib/server/*', '**/server/**'],
							message:
								'Build-time code stays on the server: pages get content through their load functions.',
							allowTypeImports: true
						}
					]
				}
			]
		}
	}
);
