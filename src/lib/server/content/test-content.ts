import { afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const written: string[] = [];
afterAll(() => {
	for (const dir of written.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes a content folder into a new temporary directory, removed after the test file. */
export function writeContent(files: Record<string, string>): string {
	const dir = mkdtempSync(join(tmpdir(), 'assent-content-'));
	written.push(dir);
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(dirname(join(dir, path)), { recursive: true });
		writeFileSync(join(dir, path), text);
	}
	return dir;
}

/** A statement file with front matter built from `fields` (a value of `undefined` is left out). */
export function statementFile(
	fields: Record<string, string | undefined>,
	body = '## 1. Scope\n\nText.\n'
): string {
	const lines = Object.entries(fields)
		.filter(([, value]) => value !== undefined)
		.map(([key, value]) => `${key}: ${value}`);
	return `---\n${lines.join('\n')}\n---\n\n${body}`;
}

export const v10 = statementFile({
	title: 'Terms',
	version: '"1.0"',
	issued: '2025-01-10',
	change: 'initial'
});
export const v11 = statementFile({
	title: 'Terms',
	version: '"1.1"',
	issued: '2025-02-10',
	effective: '2025-03-01',
	change: 'minor',
	summary: 'Fixes a typo.'
});
