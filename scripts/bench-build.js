// Build time against the amount of content, for `npm run bench`: `vite build` of the site (as
// `npm run build` builds it, without the widget) on generated content folders of 10, 100 and
// 1,000 files, and the fit of the times. The CPU time of the build and every process it starts
// is what is fitted: on a shared machine the wall time says more about the neighbours' load.
// Asserts nothing; prints nothing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const LOCALES = ['en', 'zh-CN'];
const VERSIONS = 5;

/**
 * A content folder of `files` statement files: statements of 5 versions in 2 locales each, every
 * file ten clauses with a list, a table and links.
 * @param {number} files
 */
function writeContentFolder(files) {
	const dir = mkdtempSync(join(tmpdir(), 'assent-bench-build-'));
	writeFileSync(join(dir, 'site.yaml'), `name: Bench\nlocales: [${LOCALES.join(', ')}]\n`);
	/** @param {number} i @param {number} v */
	const clause = (i, v) =>
		`## ${i}. Clause ${i}\n\nExample Cloud shares the **order number** and the delivery region with the partner${i === v ? ', and the order status' : ''}, for the purposes in [the privacy centre](https://example.com/privacy).\n\n- item one\n- item two${i % 3 === v % 3 ? ' and three' : ''}\n\n| data | purpose |\n|---|---|\n| order | delivery${i === v + 1 ? ' and returns' : ''} |\n`;
	const statements = Math.ceil(files / (VERSIONS * LOCALES.length));
	let written = 0;
	for (let s = 0; s < statements; s++) {
		for (let v = 1; v <= VERSIONS; v++) {
			for (const locale of LOCALES) {
				if (written === files) break;
				const path = join(dir, 'statements', `statement-${s}`, `${v}.0.${locale}.md`);
				mkdirSync(join(path, '..'), { recursive: true });
				const front = `---\ntitle: Statement ${s}\nversion: "${v}.0"\nissued: 2025-01-0${v}\nchange: ${v === 1 ? 'initial' : 'minor'}\n${v === 1 ? '' : 'summary: Wording.\n'}---\n\n`;
				writeFileSync(
					path,
					front + Array.from({ length: 10 }, (_, i) => clause(i + 1, v)).join('\n')
				);
				written++;
			}
		}
	}
	return dir;
}

/**
 * Seconds to build the site for each number of content files: `seconds` of CPU (user and
 * system, the build's processes together), `wall` on the clock.
 * @param {{ sizes: number[] }} options
 * @returns {{ files: number, seconds: number, wall: number }[]}
 */
export function buildBench({ sizes }) {
	const results = [];
	for (const files of sizes) {
		const content = writeContentFolder(files);
		const out = mkdtempSync(join(tmpdir(), 'assent-bench-build-out-'));
		// SvelteKit's working folder has to be inside the project to resolve its packages.
		const kit = resolve(`.assent-test/bench-build-${process.pid}-${files}`);
		try {
			const started = performance.now();
			// bash's `times` gives the CPU time of the finished build and the processes it waited for.
			const result = spawnSync(
				'bash',
				[
					'-c',
					'"$0" "$1" build --logLevel warn >&2 && times',
					process.execPath,
					resolve('node_modules/vite/bin/vite.js')
				],
				{
					env: {
						...process.env,
						NODE_ENV: 'production',
						ASSENT_CONTENT: content,
						ASSENT_OUT: out,
						ASSENT_KIT_DIR: kit,
						ASSENT_NOW: '2026-01-01'
					},
					encoding: 'utf8'
				}
			);
			const wall = (performance.now() - started) / 1000;
			if (result.status !== 0) {
				throw new Error(`the build of ${files} files failed:\n${result.stdout}\n${result.stderr}`);
			}
			// The second line of `times`: the children's user and system time, e.g. "1m2.5s 0m3.1s".
			const children = result.stdout.trim().split('\n').at(-1) ?? '';
			const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
				(sum, m) => sum + Number(m[1]) * 60 + Number(m[2]),
				0
			);
			results.push({ files, seconds, wall });
		} finally {
			for (const dir of [content, out, kit]) rmSync(dir, { recursive: true, force: true });
		}
	}
	return results;
}

/**
 * The least-squares fit t = a + b·n + c·n² of the build times, and the marginal cost per file
 * between each pair of neighbouring sizes.
 * @param {{ files: number, seconds: number }[]} points
 */
export function buildFit(points) {
	// Normal equations of the quadratic fit, solved by Cramer's rule (3 unknowns).
	const s = (/** @type {(p: { files: number, seconds: number }) => number} */ f) =>
		points.reduce((sum, p) => sum + f(p), 0);
	const n0 = points.length;
	const n1 = s((p) => p.files);
	const n2 = s((p) => p.files ** 2);
	const n3 = s((p) => p.files ** 3);
	const n4 = s((p) => p.files ** 4);
	const t0 = s((p) => p.seconds);
	const t1 = s((p) => p.files * p.seconds);
	const t2 = s((p) => p.files ** 2 * p.seconds);
	/** The determinant of the 3×3 matrix given row by row. */
	const det = (
		/** @type {number} */ a,
		/** @type {number} */ b,
		/** @type {number} */ c,
		/** @type {number} */ d,
		/** @type {number} */ e,
		/** @type {number} */ f,
		/** @type {number} */ g,
		/** @type {number} */ h,
		/** @type {number} */ i
	) => a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
	const d = det(n0, n1, n2, n1, n2, n3, n2, n3, n4);
	const a = det(t0, n1, n2, t1, n2, n3, t2, n3, n4) / d;
	const b = det(n0, t0, n2, n1, t1, n3, n2, t2, n4) / d;
	const c = det(n0, n1, t0, n1, n2, t1, n2, n3, t2) / d;
	/** @type {{ from: number, to: number, msPerFile: number }[]} */
	const marginal = [];
	for (let k = 1; k < points.length; k++) {
		const [before, after] = [points[k - 1], points[k]];
		if (!before || !after) continue;
		marginal.push({
			from: before.files,
			to: after.files,
			msPerFile: ((after.seconds - before.seconds) * 1000) / (after.files - before.files)
		});
	}
	return { a, b, c, marginal };
}
