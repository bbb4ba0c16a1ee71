#!/usr/bin/env node
/**
 * Runs the randomized sync fault schedules (tests/faults/) with more runs than `npm test` does,
 * or replays one failing seed:
 *
 *   npm run test:faults -- --runs 20000
 *   npm run test:faults -- --seed 1234567 --path 230:3:8 (the seed and path a failure prints)
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

let values;
try {
	({ values } = parseArgs({
		options: {
			runs: { type: 'string', default: '1000' },
			seed: { type: 'string' },
			path: { type: 'string' }
		},
		strict: true
	}));
} catch (error) {
	console.error(
		`${/** @type {Error} */ (error).message}\nUsage: npm run test:faults -- [--runs N] [--seed S [--path P]]`
	);
	process.exit(2);
}
for (const [name, value] of Object.entries(values)) {
	if (name !== 'path' && value !== undefined && !/^-?\d+$/.test(value)) {
		console.error(`--${name} must be a whole number; got "${value}".`);
		process.exit(2);
	}
}
if (Number(values.runs) < 1) {
	console.error(`--runs must be at least 1; got ${values.runs}.`);
	process.exit(2);
}
const result = spawnSync('npx', ['vitest', 'run', '--project', 'unit', 'tests/faults/'], {
	stdio: 'inherit',
	env: {
		...process.env,
		ASSENT_FAULT_RUNS: values.runs,
		...(values.seed !== undefined ? { ASSENT_FAULT_SEED: values.seed } : {}),
		...(values.path !== undefined ? { ASSENT_FAULT_PATH: values.path } : {})
	}
});
process.exit(result.status ?? 1);
