import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { statementFile, writeContent } from '../src/lib/server/content/test-content';
import { buildSite } from './build-site.js';

const out = mkdtempSync(join(tmpdir(), 'assent-build-site-'));
// SvelteKit's working folder has to be inside the project to resolve its packages.
const kit = resolve(`.assent-test/build-site-${process.pid}`);
afterAll(() => {
	for (const dir of [out, kit]) rmSync(dir, { recursive: true, force: true });
});

/** Content the site's build refuses: a statement with a relative link. */
const badContent = () =>
	writeContent({
		'statements/terms/1.0.en.md': statementFile(
			{ title: 'Terms', version: '"1.0"', issued: '2025-01-10', change: 'initial' },
			'## 1. Scope\n\nSee the [annex](annex.pdf).\n'
		)
	});

describe('building the site', () => {
	it('says which build failed and why, and builds nothing after it (`npm run build`)', () => {
		const result = spawnSync(process.execPath, [resolve('scripts/build-site.js')], {
			env: { ...process.env, ASSENT_CONTENT: badContent(), ASSENT_OUT: out, ASSENT_KIT_DIR: kit },
			encoding: 'utf8'
		});
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/1\.0\.en\.md:10: link "annex\.pdf" is relative/);
		expect(result.stderr).toContain('The build of the site (`vite build`) failed.');
		expect(existsSync(join(out, 'widget'))).toBe(false);
	}, 120_000);

	it('keeps the output of a quiet build for its error', () => {
		expect(() =>
			buildSite({ out, content: badContent(), env: { ASSENT_KIT_DIR: kit }, quiet: true })
		).toThrow(
			/^The build of the site \(`vite build`\) failed\.\n[\s\S]*1\.0\.en\.md:10: link "annex\.pdf" is relative/
		);
	}, 120_000);
});
