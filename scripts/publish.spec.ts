import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { statementFile, writeContent } from '../src/lib/server/content/test-content';

function publish(content: string) {
	const result = spawnSync(process.execPath, [resolve('scripts/publish.js')], {
		env: { ...process.env, ASSENT_CONTENT: content },
		encoding: 'utf8'
	});
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const file = (body: string) =>
	statementFile(
		{ title: 'Terms', version: '"1.0"', issued: '2025-01-10', change: 'initial' },
		body
	);

describe('npm run statements:publish', () => {
	it('publishes, warning about the markup the page will not show', () => {
		const dir = writeContent({
			'statements/terms/1.0.en.md': file('## 1. Scope\n\nText.<script>alert(1)</script>\n')
		});
		const { status, stdout, stderr } = publish(dir);
		expect(status, stderr).toBe(0);
		expect(stderr).toMatch(
			/^Warning: .*statements\/terms\/1\.0\.en\.md: removed from the page, as statements may not contain them: <script>\./m
		);
		expect(stdout).toContain(
			'Published 1 new version file to statements.lock.json:\n  + terms/1.0.en'
		);
		expect(JSON.parse(readFileSync(join(dir, 'statements.lock.json'), 'utf8'))).toHaveProperty(
			'terms/1.0.en'
		);
	}, 60_000);

	it('refuses a relative link before anything is locked', () => {
		const dir = writeContent({
			'statements/terms/1.0.en.md': file('## 1. Scope\n\nSee the [annex](annex.pdf).\n')
		});
		const { status, stderr } = publish(dir);
		expect(status).toBe(1);
		expect(stderr).toMatch(/1\.0\.en\.md:10: link "annex\.pdf" is relative/);
		expect(stderr).toContain('Nothing was published; statements.lock.json is unchanged.');
		expect(existsSync(join(dir, 'statements.lock.json'))).toBe(false);
	}, 60_000);
});
