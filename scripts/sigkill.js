#!/usr/bin/env node
/**
 * Kills Chromium with SIGKILL right after the widget says "Saved", restarts it on the same
 * profile and checks that the record is still there and reaches the receiver exactly once
 * (tests/e2e/faults.e2e.ts, which `npm test` runs 3 times; this runs it 10 times, or N):
 *
 *   node scripts/sigkill.js [N]
 *
 * Builds the site first, as the browser tests do. Talks only to 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';

const runs = process.argv[2] ?? '10';
if (!/^\d+$/.test(runs) || Number(runs) < 1) {
	console.error(
		`Usage: node scripts/sigkill.js [N], N a whole number of at least 1; got "${runs}".`
	);
	process.exit(2);
}
const result = spawnSync(
	'npx',
	['vitest', 'run', '--project', 'e2e', 'tests/e2e/faults.e2e.ts', '-t', 'Chromium killed'],
	{ stdio: 'inherit', env: { ...process.env, ASSENT_E2E_KILL_RUNS: runs } }
);
process.exit(result.status ?? 1);
