// `node scripts/verify.js <file> [--site <url-or-build-dir>]`: verifies a records export or an
// evidence bundle offline, with the same code as the site's /verify/ page. Exit code 0 when every
// record verified, 1 otherwise (and 2 when the command itself is used wrongly).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runnerImport } from 'vite';

const USAGE = 'Usage: node scripts/verify.js <file> [--site <url-or-build-dir>]';

const options = /** @type {const} */ ({
	site: { type: 'string' },
	help: { type: 'boolean', short: 'h' }
});
/** @type {{ values: { site?: string, help?: boolean }, positionals: string[] }} */
let args;
try {
	args = parseArgs({ allowPositionals: true, options });
} catch (error) {
	console.error(`${/** @type {Error} */ (error).message}\n${USAGE}`);
	process.exit(2);
}
if (args.values.help) {
	console.log(
		`${USAGE}\n\nChecks each record's digest, chain, receipt and statement hash (and, in an evidence bundle, its raw text), and says how far each can be trusted beyond them: whether a token verified its subject, whether it was relayed from a partner page's storage, and whether the widget was seen visibly shown.\n--site names the statements site whose /statements/index.json lists the published hashes: a URL, or a built site folder (build/). Without it, the site the file names is asked.`
	);
	process.exit(0);
}
const [path, ...extra] = args.positionals;
if (!path || extra.length > 0) {
	console.error(USAGE);
	process.exit(2);
}
if (!existsSync(path)) {
	console.error(`No file ${path}. ${USAGE}`);
	process.exit(2);
}

const load = (/** @type {string} */ path) =>
	runnerImport(fileURLToPath(new URL(path, import.meta.url)), {
		configFile: false,
		logLevel: 'error'
	}).then((loaded) => loaded.module);
const [verifyModule, assuranceModule] = await Promise.all([
	load('../src/lib/core/verify.ts'),
	load('../src/lib/core/assurance.ts')
]);
/** @type {typeof import('../src/lib/core/verify')} */
const {
	CHECKS,
	describeCheck,
	describeCompleteness,
	describeProblem,
	describeVerdict,
	verifyEvidence
} = verifyModule;
/** @type {typeof import('../src/lib/core/assurance')} */
const { describeAssurance } = assuranceModule;

const text = readFileSync(path, 'utf8');

/** Where the published index is: --site, else the site the file names. */
function siteOf() {
	if (args.values.site) return args.values.site;
	try {
		const file = JSON.parse(text);
		const named = file?.site ?? file?.origin;
		return typeof named === 'string' && /^https?:\/\//.test(named) ? named : undefined;
	} catch {
		return undefined;
	}
}

/**
 * @param {string | undefined} site
 * @returns {Promise<{ index: any, error?: string }>}
 */
async function readIndex(site) {
	if (!site) {
		return { index: null, error: 'no --site given and the file names no statements site' };
	}
	try {
		if (/^https?:\/\//.test(site)) {
			const url = new URL('statements/index.json', site.endsWith('/') ? site : `${site}/`);
			const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
			if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
			return { index: await response.json() };
		}
		const dir = resolve(site);
		const file =
			existsSync(dir) && statSync(dir).isDirectory() ? join(dir, 'statements', 'index.json') : dir;
		return { index: JSON.parse(readFileSync(file, 'utf8')) };
	} catch (error) {
		return { index: null, error: `${site}: ${/** @type {Error} */ (error).message}` };
	}
}

const { index, error } = await readIndex(siteOf());
const result = await verifyEvidence({ text, index });

console.log(describeVerdict({ verification: result }));
if (error && result.kind !== 'unknown') {
	console.log(`Statement hashes not checked: the published index could not be read (${error}).`);
}
const completeness = describeCompleteness({ verification: result });
if (completeness) console.log(completeness);
for (const problem of result.problems.slice(result.firstFailure?.where === 'file' ? 1 : 0)) {
	console.log(`File: ${describeProblem({ problem })}`);
}
const labels = { pass: 'ok', fail: 'FAILED', 'not-checked': 'not checked', none: '-' };
for (const record of result.records) {
	const state = record.failed ? 'FAILED' : record.verified ? 'verified' : 'not fully checked';
	console.log(
		`#${record.position}${record.seq === null ? '' : ` seq ${record.seq}`}${record.chain && result.chains > 1 ? ` chain ${record.chain}` : ''}${record.id ? ` ${record.id}` : ''}: ${state}`
	);
	for (const check of CHECKS) {
		const outcome = record.checks[check];
		if (outcome.state === 'none') continue;
		console.log(`  ${check}: ${labels[outcome.state]}, ${describeCheck({ outcome })}`);
	}
	// How far the record can be trusted beyond its checks, in /verify/'s words.
	if (record.assurance) {
		console.log(`  assurance: ${describeAssurance({ assurance: record.assurance })}`);
	}
}
process.exit(result.ok ? 0 : 1);
