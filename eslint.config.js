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
							group: ['**/content/*', '**/store/*', '**/sync/*', '**/components/*', '$lib/*'],
							message: 'core imports nothing above it.'
						}
					]
				}
			]
		}
	},
	{
		// The markdown renderer and sanitizer run at build time only; nothing ships them to readers.
		files: ['src/routes/**/*.svelte', 'src/lib/components/**/*.svelte', 'src/widget/**/*'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['marked', 'dompurify', 'jsdom'],
							message: 'Statements are rendered at build time (src/lib/content).'
						},
						{
							group: ['$lib/content', '$lib/content/*'],
							message: 'Pages get content through their load functions.',
							allowTypeImports: true
						}
					]
				}
			]
		}
	}
);
