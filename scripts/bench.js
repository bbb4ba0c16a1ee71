// `npm run bench`: speed and size measurements. Goals live here, never in timed tests.
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runnerImport } from 'vite';

/** @param {string} path */
const load = async (path) =>
	(await runnerImport(resolve(path), { configFile: false, logLevel: 'error' })).module;

/**
 * Content loading: how long validating, hashing, rendering and block extraction take.
 * @param {{ statements: number, versions: number, locales: string[] }} options */
async function contentBench({ statements, versions, locales }) {
	/** @type {typeof import('../src/lib/server/content/load')} */
	const { loadContent } = await load('src/lib/server/content/load.ts');
	const dir = mkdtempSync(join(tmpdir(), 'assent-bench-'));
	/** @param {number} i @param {number} v */
	const clause = (i, v) =>
		`## ${i}. Clause ${i}\n\nExample Cloud shares the **order number** and the delivery region with the partner, version ${v}, for the purposes in [the privacy centre](https://example.com/privacy).\n\n- item one\n- item two\n\n| data | purpose |\n|---|---|\n| order | delivery |\n`;
	for (let s = 0; s < statements; s++) {
		for (let v = 1; v <= versions; v++) {
			for (const locale of locales) {
				const path = join(dir, 'statements', `statement-${s}`, `${v}.0.${locale}.md`);
				mkdirSync(join(path, '..'), { recursive: true });
				const day = String(v).padStart(2, '0');
				const front = `---\ntitle: Statement ${s}\nversion: "${v}.0"\nissued: 2025-01-${day}\nchange: ${v === 1 ? 'initial' : 'minor'}\n${v === 1 ? '' : 'summary: Wording.\n'}---\n\n`;
				writeFileSync(
					path,
					front + Array.from({ length: 10 }, (_, i) => clause(i + 1, v)).join('\n')
				);
			}
		}
	}
	const files = statements * versions * locales.length;
	const started = performance.now();
	loadContent({ dir });
	const ms = performance.now() - started;
	rmSync(dir, { recursive: true, force: true });
	return { files, ms, perFile: ms / files };
}

/**
 * What a reader downloads for one statement page of the built site.
 * @param {string} buildDir
 */
function pageWeight(buildDir) {
	const html = readFileSync(join(buildDir, 'statements/partner-association/index.html'));
	const scripts = [...html.toString().matchAll(/href="([^"]+\.js)"/g)].map((m) => String(m[1]));
	let js = 0;
	let jsGzip = 0;
	for (const src of new Set(scripts)) {
		const file = readFileSync(resolve(buildDir, 'statements/partner-association', src));
		js += file.length;
		jsGzip += gzipSync(file).length;
	}
	return {
		html: html.length,
		htmlGzip: gzipSync(html).length,
		js,
		jsGzip,
		scripts: new Set(scripts).size
	};
}

/** @param {string} dir @returns {number} */
function folderSize(dir) {
	let total = 0;
	for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
		const stat = statSync(join(dir, entry));
		if (stat.isFile()) total += stat.size;
	}
	return total;
}

/** @param {number} bytes */
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

console.log('Assent benchmarks');
for (const size of [
	{ statements: 10, versions: 5, locales: ['en', 'zh-CN'] },
	{ statements: 50, versions: 10, locales: ['en', 'zh-CN'] }
]) {
	const result = await contentBench(size);
	console.log(
		`content: ${result.files} files loaded, validated, hashed and rendered in ${result.ms.toFixed(0)} ms (${result.perFile.toFixed(2)} ms per file)`
	);
}

const buildDir = resolve(process.env.ASSENT_OUT || 'build');
try {
	const weight = pageWeight(buildDir);
	console.log(
		`statement page: HTML ${kb(weight.html)} (${kb(weight.htmlGzip)} gzip), ${weight.scripts} scripts ${kb(weight.js)} (${kb(weight.jsGzip)} gzip)`
	);
	console.log(`built site: ${kb(folderSize(buildDir))} in ${buildDir}`);
} catch {
	console.log(
		`page weight: no built site in ${buildDir}; run "npm run build" first to measure it.`
	);
}

/** The loader partner pages download, against its budget and beside other embeddable widgets. */
const WIDGET_BUDGET = 4 * 1024;
/** @param {string} path */
const gzipped = (path) => gzipSync(readFileSync(path)).length;
try {
	const loader = gzipped(join(buildDir, 'widget/assent.js'));
	const verdict = loader <= WIDGET_BUDGET ? 'within' : 'OVER';
	console.log(
		`widget loader: ${kb(loader)} gzip, ${verdict} the ${kb(WIDGET_BUDGET)} budget (/widget/assent.js)`
	);
	/** @type {[string, string[]][]} */
	const others = [
		['ALTCHA 3 (altcha.min.js)', ['node_modules/altcha/dist/main/altcha.min.js']],
		[
			'CookieConsent 3 (esm + css)',
			[
				'node_modules/vanilla-cookieconsent/dist/cookieconsent.esm.js',
				'node_modules/vanilla-cookieconsent/dist/cookieconsent.css'
			]
		]
	];
	for (const [name, files] of others) {
		try {
			const size = files.reduce((sum, file) => sum + gzipped(resolve(file)), 0);
			console.log(`  beside: ${name} ${kb(size)} gzip`);
		} catch {
			console.log(`  beside: ${name} not installed`);
		}
	}
	if (loader > WIDGET_BUDGET) process.exitCode = 1;
} catch {
	console.log('widget loader: not built; run "npm run build" first to measure it.');
}

/**
 * Sync throughput against the reference receiver (PGlite in a temporary folder), started as an
 * operator would start it: records per second for 10,000 queued records in batches of 100 and
 * 500, beside the same kind of records sent one request each.
 */
async function syncBench() {
	const { spawn } = await import('node:child_process');
	const { createServer } = await import('node:net');
	/** @type {typeof import('../src/lib/core/record-builder')} */
	const { buildRecord } = await load('src/lib/core/record-builder.ts');
	/** @type {typeof import('../src/lib/sync/http')} */
	const { httpAdapter } = await load('src/lib/sync/http.ts');
	const index = JSON.parse(readFileSync(join(buildDir, 'statements/index.json'), 'utf8'));
	const statement = index.statements[0];
	const version = statement.versions[0];
	const [locale, published] = /** @type {[string, { hash: string }]} */ (
		Object.entries(version.locales)[0]
	);
	const port = await new Promise((done) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
			probe.close(() => done(port));
		});
	});
	const data = mkdtempSync(join(tmpdir(), 'assent-bench-receiver-'));
	const child = spawn(process.execPath, ['receiver/main.js'], {
		env: {
			...process.env,
			ASSENT_RECEIVER_PORT: String(port),
			PORT: String(port),
			ASSENT_RECEIVER_DATA: data,
			ASSENT_SITE: buildDir,
			ASSENT_RECEIVER_ORIGINS: '',
			// The benchmark's records carry no subject token: accepted, marked unverified.
			ASSENT_SUBJECTS: 'unverified'
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const url = `http://127.0.0.1:${port}/acceptances`;
	try {
		for (let i = 0; ; i++) {
			const ready = await fetch(url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: '{"records":[]}'
			}).then(
				(r) => r.ok,
				() => false
			);
			if (ready) break;
			if (i > 300) throw new Error('the receiver did not start');
			await new Promise((r) => setTimeout(r, 100));
		}
		/** @param {number} count @param {string} subject */
		async function records(count, subject) {
			const made = [];
			let prev = null;
			for (let i = 0; i < count; i++) {
				const record = await buildRecord({
					act: {
						action: 'accept',
						subject: `${subject}-${i}`,
						partner: null,
						statement: {
							id: statement.id,
							version: version.version,
							locale,
							hash: published.hash,
							url: `https://statements.example.com/statements/${statement.id}/${version.version}/${locale}/`
						},
						presentation: { embed: 'iframe', origin: 'https://partner.example', label: 'I agree' },
						client: { userAgent: 'bench', widget: 'assent/bench' }
					},
					prev
				});
				prev = { digest: record.digest, seq: record.seq };
				made.push(record);
			}
			return made;
		}
		const adapter = httpAdapter({ url });
		const signal = new AbortController().signal;
		/** @param {string} label @param {any[]} queue @param {number} batch */
		async function run(label, queue, batch) {
			const started = performance.now();
			let accepted = 0;
			for (let i = 0; i < queue.length; i += batch) {
				const result = await adapter.push(queue.slice(i, i + batch), { signal });
				accepted += result.accepted.length;
			}
			const seconds = (performance.now() - started) / 1000;
			console.log(
				`sync (${process.env.DATABASE_URL ? 'PostgreSQL server' : 'PGlite'}): ${label}: ${queue.length} records in ${seconds.toFixed(1)} s, ${Math.round(queue.length / seconds)} records/s (${accepted} accepted)`
			);
		}
		await run('batches of 100', await records(10_000, 'b100'), 100);
		await run('batches of 500', await records(10_000, 'b500'), 500);
		await run('one request each', await records(1_000, 'single'), 1);
	} finally {
		child.kill();
		rmSync(data, { recursive: true, force: true });
	}
}

if (existsSync(join(buildDir, 'statements/index.json'))) await syncBench();
else console.log('sync: no built site; run "npm run build" first to measure sync.');

// The operator's API on a million records: PostgreSQL only (ASSENT_BENCH_DATABASE_URL or
// DATABASE_URL); it says when it is skipped.
{
	const { spawnSync } = await import('node:child_process');
	spawnSync(process.execPath, ['receiver/bench-operator.js'], { stdio: 'inherit' });
}

// The records page at 10,000 and 100,000 records and the accept path, in Chromium, beside
// hand-built floors (scripts/bench-records.js; run it alone with `node scripts/bench-records.js`).
{
	const { benchRecords } = await import('./bench-records.js');
	await benchRecords({ site: buildDir });
}
