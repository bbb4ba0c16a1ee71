import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILD_CONTENT, CONTENT_GENERATION, content, loadContent } from './index';
import { statementFile, writeContent } from './test-content';

const generations = globalThis as Record<symbol, unknown>;
const before = { content: process.env.ASSENT_CONTENT, build: process.env[BUILD_CONTENT] };
afterEach(() => {
	process.env.ASSENT_CONTENT = before.content;
	if (before.content === undefined) delete process.env.ASSENT_CONTENT;
	if (before.build === undefined) delete process.env[BUILD_CONTENT];
	else process.env[BUILD_CONTENT] = before.build;
	delete generations[CONTENT_GENERATION];
});

const terms = (title: string) =>
	statementFile({ title, version: '"1.0"', issued: '2025-01-10', change: 'initial' });
const titleOf = () => content().statements[0]!.versions[0]!.locales.en!.title;

describe('content()', () => {
	it('in a build, serves the content the build checked without reading the folder again', () => {
		const dir = writeContent({ 'statements/terms/1.0.en.md': terms('Terms of Use') });
		const checked = loadContent({ dir });
		const saved = join(mkdtempSync(join(tmpdir(), 'assent-built-')), 'content.json');
		writeFileSync(saved, JSON.stringify(checked));
		process.env.ASSENT_CONTENT = dir;
		process.env[BUILD_CONTENT] = saved;
		// The folder is gone: only the build's saved content can answer.
		rmSync(join(dir, 'statements'), { recursive: true });
		expect(titleOf()).toBe('Terms of Use');
		expect(content().statements[0]!.versions[0]!.locales.en!.html).toBe(
			checked.statements[0]!.versions[0]!.locales.en!.html
		);
	});

	it('on the dev server, reads the folder again once the content plugin saw a change', () => {
		const dir = writeContent({ 'statements/terms/1.0.en.md': terms('Terms of Use') });
		process.env.ASSENT_CONTENT = dir;
		generations[CONTENT_GENERATION] = 0;
		expect(titleOf()).toBe('Terms of Use');
		writeFileSync(join(dir, 'statements/terms/1.0.en.md'), terms('Terms of Service'));
		generations[CONTENT_GENERATION] = 1;
		expect(titleOf()).toBe('Terms of Service');
	});

	it('elsewhere, reads the folder again when a file changed', () => {
		const dir = writeContent({ 'statements/terms/1.0.en.md': terms('Terms of Use') });
		process.env.ASSENT_CONTENT = dir;
		expect(titleOf()).toBe('Terms of Use');
		writeFileSync(join(dir, 'statements/terms/1.0.en.md'), terms('Terms and conditions'));
		expect(titleOf()).toBe('Terms and conditions');
	});
});
