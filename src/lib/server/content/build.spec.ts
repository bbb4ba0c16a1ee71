import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { statementFile, writeContent } from './test-content';

const cleanup: string[] = [];
afterAll(() => {
	for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs `vite build` of the site (not the widget) on a content folder, as `npm run build` does. */
function build(content: string): { status: number | null; log: string; out: string } {
	const out = mkdtempSync(join(tmpdir(), 'assent-build-'));
	// SvelteKit's working folder has to be inside the project to resolve its packages.
	const kit = resolve(`.assent-test/build-spec-${process.pid}-${cleanup.length}`);
	cleanup.push(out, kit);
	const result = spawnSync(process.execPath, [resolve('node_modules/vite/bin/vite.js'), 'build'], {
		env: {
			...process.env,
			NODE_ENV: 'production',
			ASSENT_CONTENT: content,
			ASSENT_OUT: out,
			ASSENT_KIT_DIR: kit,
			ASSENT_NOW: '2026-01-01'
		},
		encoding: 'utf8'
	});
	return { status: result.status, log: `${result.stdout}\n${result.stderr}`, out };
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('vite build', () => {
	it('builds the smallest content: one statement, one version, one locale, no site or partners file', () => {
		const content = writeContent({
			// "Seed style": the markdown starts with its own title heading.
			'statements/terms/1.0.en.md': statementFile(
				{ title: 'Terms of Use', version: '"1.0"', issued: '2025-01-10', change: 'initial' },
				'# Terms of Use\n\n## 1. Scope\n\nThese terms apply to [everyone](#section-1-scope).\n\n' +
					// Every kind of link the content check lets through is one the crawler can follow.
					'See [this version](/statements/terms/1.0/#section-1-scope), [the history](/statements/terms/history/), [the index](/statements/index.json), [the record schema](/schemas/record.json) and [the web](https://example.com/).\n'
			)
		});
		const { status, log, out } = build(content);
		expect(status, log).toBe(0);

		const page = readFileSync(join(out, 'statements/terms/index.html'), 'utf8');
		expect(occurrences(page, '<h1')).toBe(1);
		expect(page).toContain('Terms of Use</h1>');
		expect(page).toContain('id="section-1-scope"');
		expect(existsSync(join(out, 'statements/terms/1.0/en/index.html'))).toBe(true);
		expect(existsSync(join(out, 'statements/terms/diff/index.html'))).toBe(true);

		// Checked and reported once, in words that fit the numbers, without timing notes.
		expect(occurrences(log, '1 statement, 1 version from ')).toBe(1);
		expect(
			occurrences(
				log,
				'1 version file is not in statements.lock.json yet (terms/1.0.en); run "npm run statements:publish" to lock it.'
			)
		).toBe(1);
		expect(log).not.toContain('PLUGIN_TIMINGS');
	}, 240_000);

	it('builds a content folder without statements yet', () => {
		const { status, log, out } = build(writeContent({ 'statements/.keep': '' }));
		expect(status, log).toBe(0);
		expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<h1');
		expect(occurrences(log, '0 statements, 0 versions from ')).toBe(1);
	}, 240_000);

	it('stops on bad content with one message that names the file, the field and the fix', () => {
		const content = writeContent({
			'statements/terms/1.0.en.md': statementFile({
				title: 'Terms',
				version: '"1.0"',
				issued: 'yesterday',
				change: 'initial'
			})
		});
		const { status, log } = build(content);
		expect(status).not.toBe(0);
		expect(occurrences(log, 'nothing was built')).toBe(1);
		expect(log).toMatch(
			/\[plugin assent-content\][\s\S]*statements\/terms\/1\.0\.en\.md: field "issued": "yesterday" is not a date: write it as YYYY-MM-DD/
		);
	}, 240_000);
});
