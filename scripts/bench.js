// `npm run bench`: speed and size measurements, printed as one table (what | ours | peer or
// floor | ratio | target | holds?). Goals live here, never in timed tests.
//
//   npm run bench                         everything
//   npm run bench -- --only build,intake  some sections: build, content, weight, widget, sync,
//                                         intake, operator, pending (rows not measured yet)
//
// PostgreSQL server rows need ASSENT_BENCH_DATABASE_URL (or DATABASE_URL); without it they say so.
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
import { buildBench, buildFit } from './bench-build.js';
import { intakeBench } from './bench-intake.js';

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
			row({
				what: `sync over HTTP (${process.env.DATABASE_URL ? 'PostgreSQL server' : 'PGlite'}), ${label}`,
				ours: `${Math.round(queue.length / seconds)} records/s`,
				peer: accepted === queue.length ? '' : `${queue.length - accepted} refused`
			});
		}
		await run('batches of 100', await records(5_000, 'b100'), 100);
		await run('batches of 500', await records(5_000, 'b500'), 500);
		await run('one request each', await records(500, 'single'), 1);
	} finally {
		child.kill();
		rmSync(data, { recursive: true, force: true });
	}
}

const SECTIONS = [
	'build',
	'content',
	'weight',
	'widget',
	'sync',
	'intake',
	'operator',
	'records',
	'pending'
];
const onlyArg = process.argv.find((a) => a.startsWith('--only'));
const only = onlyArg
	? onlyArg.includes('=')
		? onlyArg.split('=')[1]
		: process.argv[process.argv.indexOf(onlyArg) + 1]
	: undefined;
const chosen = only ? only.split(',').map((x) => x.trim()) : SECTIONS;
for (const name of chosen) {
	if (!SECTIONS.includes(name)) {
		console.error(`bench: no section "${name}"; the sections are ${SECTIONS.join(', ')}.`);
		process.exit(2);
	}
}
const postgresUrl = process.env.ASSENT_BENCH_DATABASE_URL || process.env.DATABASE_URL || undefined;

/** @typedef {{ what: string, ours: string, peer?: string, ratio?: string, target?: string, holds?: boolean }} Row */
/** @type {Row[]} */
const rows = [];
/** @param {Row} r */
const row = (r) => {
	rows.push(r);
	console.error(`bench: ${r.what}: ${r.ours}`);
};
const buildDir = resolve(process.env.ASSENT_OUT || 'build');
const notBuilt = 'no built site: run "npm run build" first';

if (chosen.includes('build')) {
	const points = buildBench({ sizes: [10, 100, 1000] });
	for (const p of points) {
		row({
			what: `\`vite build\` of the site, ${p.files.toLocaleString('en')} content files`,
			ours: `${p.seconds.toFixed(1)} s CPU (${p.wall.toFixed(1)} s wall)`
		});
	}
	const fit = buildFit(points);
	const [early, late] = fit.marginal;
	const growth = late && early ? late.msPerFile / early.msPerFile : NaN;
	row({
		what: 'build: fit of CPU time, n files',
		ours: `t ≈ ${fit.a.toFixed(1)} + ${fit.b.toFixed(4)}·n ${fit.c < 0 ? '−' : '+'} ${Math.abs(fit.c).toExponential(1)}·n² s`,
		target: 'linear'
	});
	const holds = growth <= 1.25;
	row({
		what: 'build: marginal CPU per file, 100→1,000 files beside 10→100',
		ours: `${late?.msPerFile.toFixed(1)} ms/file`,
		peer: `${early?.msPerFile.toFixed(1)} ms/file`,
		ratio: `${growth.toFixed(2)}×`,
		target: '≤ 1.25× (does not grow with n)',
		holds
	});
	if (!holds) process.exitCode = 1;
}

if (chosen.includes('content')) {
	const result = await contentBench({ statements: 50, versions: 10, locales: ['en', 'zh-CN'] });
	row({
		what: `content: ${result.files} files loaded, validated, hashed and rendered`,
		ours: `${result.ms.toFixed(0)} ms (${result.perFile.toFixed(2)} ms per file)`
	});
}

if (chosen.includes('weight')) {
	try {
		const weight = pageWeight(buildDir);
		row({
			what: 'statement page: HTML, gzip',
			ours: `${kb(weight.htmlGzip)} (${kb(weight.html)} raw)`
		});
		row({
			what: `statement page: ${weight.scripts} scripts, gzip`,
			ours: `${kb(weight.jsGzip)} (${kb(weight.js)} raw)`
		});
		row({ what: 'built site', ours: kb(folderSize(buildDir)) });
	} catch {
		row({ what: 'statement page weight', ours: notBuilt });
	}
}

if (chosen.includes('widget')) {
	/** The loader partner pages download, against its budget and beside other embeddable widgets. */
	const WIDGET_BUDGET = 4 * 1024;
	/** @param {string} path */
	const gzipped = (path) => gzipSync(readFileSync(path)).length;
	try {
		const loader = gzipped(join(buildDir, 'widget/assent.js'));
		const cookieconsent = [
			'node_modules/vanilla-cookieconsent/dist/cookieconsent.esm.js',
			'node_modules/vanilla-cookieconsent/dist/cookieconsent.css'
		].reduce((sum, file) => sum + gzipped(resolve(file)), 0);
		const altcha = gzipped(resolve('node_modules/altcha/dist/main/altcha.min.js'));
		row({
			what: 'widget loader /widget/assent.js, gzip',
			ours: kb(loader),
			peer: `CookieConsent 3 ${kb(cookieconsent)}; ALTCHA 3 ${kb(altcha)}`,
			ratio: `${(loader / cookieconsent).toFixed(2)}× CookieConsent`,
			target: `≤ ${kb(WIDGET_BUDGET)}`,
			holds: loader <= WIDGET_BUDGET
		});
		if (loader > WIDGET_BUDGET) process.exitCode = 1;
	} catch {
		row({ what: 'widget loader', ours: notBuilt });
	}
	// The iframe widget on a partner page of another site, beside a floor frame and cookieconsent
	// (scripts/bench-widget-floor.js; alone: `node scripts/bench-widget-floor.js`).
	const { widgetFloorBench } = await import('./bench-widget-floor.js');
	const results = await widgetFloorBench();
	const of = (/** @type {string} */ profile, /** @type {string} */ variant) =>
		results.find((r) => r.profile === profile && r.variant === variant);
	for (const profile of ['desktop', 'phone']) {
		const [ours, floor, peer] = ['assent', 'floor', 'cookieconsent'].map((v) => of(profile, v));
		if (!ours || !floor || !peer) continue;
		const holds = ours.ratioToFloor <= 1.3;
		row({
			what: `widget: navigation to a usable checkbox, ${profile === 'phone' ? 'phone (4× CPU)' : 'desktop'}`,
			ours: `${ours.ms.toFixed(0)} ms`,
			peer: `floor frame ${floor.ms.toFixed(0)} ms; cookieconsent ${peer.ms.toFixed(0)} ms`,
			ratio: `${ours.ratioToFloor.toFixed(2)}× / ${ours.ratioToPeer.toFixed(2)}×`,
			target: '≤ 1.3× floor',
			holds
		});
		if (!holds) process.exitCode = 1;
	}
	const [ours, floor, peer] = ['assent', 'floor', 'cookieconsent'].map((v) => of('desktop', v));
	if (ours && floor && peer) {
		for (const [label, key, count, limit] of /** @type {const} */ ([
			['before the checkbox is usable', 'usableBytes', 'usableRequests', 30],
			['to record one consent', 'recordBytes', 'recordRequests', 70]
		])) {
			const holds = ours[key] <= limit * 1024;
			row({
				what: `widget: bytes ${label}, gzip`,
				ours: `${kb(ours[key])} in ${ours[count]} requests`,
				peer: `floor frame ${kb(floor[key])} in ${floor[count]}; cookieconsent ${kb(peer[key])} in ${peer[count]}`,
				ratio: `${(ours[key] / floor[key]).toFixed(1)}× / ${(ours[key] / peer[key]).toFixed(1)}×`,
				target: `≤ ${limit} KB`,
				holds
			});
			if (!holds) process.exitCode = 1;
		}
	}
}

if (chosen.includes('sync')) {
	if (existsSync(join(buildDir, 'statements/index.json'))) await syncBench();
	else row({ what: 'sync over HTTP', ours: notBuilt });
}

if (chosen.includes('intake')) {
	const backends = [
		{ name: 'PGlite', url: undefined },
		...(postgresUrl ? [{ name: 'PostgreSQL server', url: postgresUrl }] : [])
	];
	for (const { name, url } of backends) {
		for (const r of await intakeBench({ url, sizes: [100, 500], count: 2000, rounds: 5 })) {
			const ratio = r.ratio;
			const cpu = (/** @type {number} */ us) => ` (CPU ${Math.round(us)} µs/record)`;
			row({
				what: `receiver intake, ${name}, batches of ${r.size}`,
				ours: `${Math.round(r.ours)} records/s${r.cpu ? cpu(r.cpu.ours) : ''}`,
				peer: `same INSERT, no checks: ${Math.round(r.values)}; \`unnest\`: ${Math.round(r.unnest)}${r.cpu ? cpu(r.cpu.floor) : ''}`,
				ratio: `${ratio.toFixed(2)}× below${r.cpu ? `; CPU ${r.cpu.ratio.toFixed(2)}×` : ''}`,
				target: name === 'PGlite' ? '' : '≤ 1.3× below the floor',
				...(name === 'PGlite' ? {} : { holds: ratio <= 1.3 })
			});
		}
	}
	if (!postgresUrl) {
		row({
			what: 'receiver intake, PostgreSQL server',
			ours: 'not measured: set ASSENT_BENCH_DATABASE_URL'
		});
	}
}

if (chosen.includes('operator')) {
	// The operator's API on a million records: PostgreSQL only; its lines become rows.
	const { spawnSync } = await import('node:child_process');
	const result = spawnSync(process.execPath, ['receiver/bench-operator.js'], {
		encoding: 'utf8',
		env: { ...process.env, ...(postgresUrl ? { ASSENT_BENCH_DATABASE_URL: postgresUrl } : {}) }
	});
	for (const line of result.stdout.split('\n').filter(Boolean)) {
		const [what, ...rest] = line.replace(/^operator API: /, '').split(': ');
		// "stored … in 2 s" has no label of its own: it is the benchmark's setup.
		row(
			rest.length > 0
				? { what: `operator API: ${what}`, ours: rest.join(': ') }
				: { what: 'operator API: setup', ours: String(what) }
		);
	}
	if (result.status !== 0) {
		const reason = result.stderr.split('\n').find((l) => l.startsWith('Error')) ?? 'see its log';
		row({ what: 'operator API', ours: `failed: ${reason}` });
	}
}

if (chosen.includes('records')) {
	// The records page at 10,000 and 100,000 records and the accept path, in Chromium, beside
	// hand-built floors (scripts/bench-records.js; alone: `node scripts/bench-records.js`).
	const { recordsPageBench, appendBench } = await import('./bench-records.js');
	if (!existsSync(join(buildDir, 'records/index.html'))) {
		row({ what: 'records page and accept path', ours: notBuilt });
	} else {
		const sizes = process.env.ASSENT_BENCH_RECORDS?.split(',').map(Number);
		for (const r of await recordsPageBench({ site: buildDir, sizes })) {
			row({
				what: `records page: first rows with ${r.records.toLocaleString('en')} records`,
				ours: `${r.ms.toFixed(0)} ms, heap ${r.heapMB} MB, ${r.nodes} DOM nodes`,
				peer: `${r.floorMs.toFixed(0)} ms (count + newest 50, raw IndexedDB)`,
				ratio: `${(r.ms / r.floorMs).toFixed(2)}×`,
				target: '≤ 200 ms, heap flat',
				holds: r.ms <= 200
			});
		}
		const appends = await appendBench({ site: buildDir });
		const floor = appends.filter((a) => a.label.includes('floor'));
		for (const label of [...new Set(appends.map((a) => a.label))]) {
			if (label.includes('floor')) continue;
			const ours = appends.filter((a) => a.label === label);
			const p50 = Math.min(...ours.map((a) => a.p50));
			const p99 = Math.min(...ours.map((a) => a.p99));
			const f50 = Math.min(...floor.map((a) => a.p50));
			const f99 = Math.min(...floor.map((a) => a.p99));
			row({
				what: `accept path: ${label}, p50 / p99`,
				ours: `${p50.toFixed(2)} / ${p99.toFixed(2)} ms`,
				peer: `${f50.toFixed(2)} / ${f99.toFixed(2)} ms (one strict IndexedDB transaction)`,
				ratio: `${(p50 / f50).toFixed(2)}×`
			});
		}
	}
}

if (chosen.includes('pending')) {
	for (const what of ['widget load with 10,000 records in the browser']) {
		row({ what, ours: 'not measured yet' });
	}
}

const cells = (/** @type {Row} */ r) => [
	r.what,
	r.ours,
	r.peer ?? '',
	r.ratio ?? '',
	r.target ?? '',
	r.holds === undefined ? '' : r.holds ? 'yes' : 'NO'
];
const header = ['what', 'ours', 'peer or floor', 'ratio', 'target', 'holds?'];
const table = rows.map(cells);
const widths = header.map((name, i) =>
	Math.max(name.length, ...table.map((values) => (values[i] ?? '').length))
);
const line = (/** @type {string[]} */ values) =>
	`| ${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
console.log(`Assent benchmarks, ${new Date().toISOString().slice(0, 16)}Z, ${chosen.join(', ')}`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const values of table) console.log(line(values));
// The intake's database clients and signing thread are not all closed: the run is over.
process.exit();
