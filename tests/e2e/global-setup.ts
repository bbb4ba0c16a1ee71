import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { assertBrowser } from './browser';

/** The day the test build is made for, so "in force" and "announced" do not drift with the calendar. */
export const TEST_NOW = '2026-11-24T12:00:00.000Z';

declare module 'vitest' {
	export interface ProvidedContext {
		siteDir: string;
		testNow: string;
	}
}

/** Builds the site from the sample content once for every browser test. */
export default function setup(project: TestProject): void {
	assertBrowser();
	// ASSENT_TEST_OUT lets two test runs on one machine build side by side.
	const out = resolve(process.env.ASSENT_TEST_OUT ?? '.assent-test/site');
	const env = {
		...process.env,
		ASSENT_OUT: out,
		ASSENT_NOW: TEST_NOW,
		ASSENT_CONTENT: resolve('src/content'),
		...(process.env.ASSENT_TEST_OUT ? { ASSENT_KIT_DIR: `${out}-kit` } : {})
	};
	// The same steps as `npm run build`: the site, then the widget loader and inline UI into it.
	for (const args of [
		[],
		['--config', 'vite.widget.config.ts'],
		['--config', 'vite.widget.config.ts', '--mode', 'inline']
	]) {
		const result = spawnSync(
			process.execPath,
			[resolve('node_modules/vite/bin/vite.js'), 'build', ...args, '--logLevel', 'warn'],
			{ env, encoding: 'utf8' }
		);
		if (result.status !== 0) {
			throw new Error(`The site did not build:\n${result.stdout}\n${result.stderr}`);
		}
	}
	project.provide('siteDir', out);
	project.provide('testNow', TEST_NOW);
}
