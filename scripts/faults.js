#!/usr/bin/env node
/**
 * Runs the randomized sync fault schedules (tests/faults/) with more runs than `npm test` does,
 * or replays one failing seed:
 *
 *   npm run test:faults -- --runs 20000
 *   npm run test:faults -- --seed 1234567 --path 230:3:8 (the seed and path a failure prints)
 *
 * With `--browser`, the schedules in Chromium (tests/e2e/faults.e2e.ts; builds the site first):
 *
 *   npm run test:faults -- --browser --runs 500
 *   npm run test:faults -- --browser --seed 1234567 --path 42
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

let values;
try {
	({ values } = parseArgs({
		options: {
			runs: { type: 'string' },
			browser: { type: 'boolean', default: false },
			seed: { type: 'string' },
			path: { type: 'string' }
		},
		strict: true
	}));
} catch (error) {
	console.error(
		`${/** @type {Error} */ (error).message}\nUsage: npm run test:faults -- [--browser] [--runs N] [--seed S [--path P]]`
	);
	process.exit(2);
}
for (const [name, value] of Object.entries(values)) {
	if (typeof value === 'string' && name !== 'path' && !/^-?\d+$/.test(value)) {
		console.error(`--${name} must be a whole number; got "${value}".`);
		process.exit(2);
	}
}
values.runs ??= values.browser ? '100' : '1000';
if (Number(values.runs) < 1) {
	console.error(`--runs must be at least 1; got ${values.runs}.`);
	process.exit(2);
}
const prefix = values.browser ? 'ASSENT_E2E_FAULT' : 'ASSENT_FAULT';
const tests = values.browser
	? ['--project', 'e2e', 'tests/e2e/faults.e2e.ts', '-t', 'randomized network faults']
	: ['--project', 'unit', 'tests/faults/'];
const result = spawnSync('npx', ['vitest', 'run', ...tests], {
	stdio: 'inherit',
	env: {
		...process.env,
		[`${prefix}_RUNS`]: values.runs,
		...(values.seed !== undefined ? { [`${prefix}_SEED`]: values.seed } : {}),
		...(values.path !== undefined ? { [`${prefix}_PATH`]: values.path } : {})
	}
});
process.exit(result.status ?? 1);
