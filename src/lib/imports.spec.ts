/**
 * The modules of src/lib import each other without cycles: a cycle means two files each need
 * the other, so one of them does two jobs, and the order their code runs in depends on which is
 * loaded first. Type-only imports count too: they tie the files together just the same.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve('src/lib');
const EXTENSIONS = ['', '.ts', '.js', '.svelte.ts', '/index.ts'];

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
	});
}

/** The files of src/lib that `file` imports, found by TypeScript's own import scanner. */
function importsOf(file: string, known: Set<string>): string[] {
	const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
	return importedFiles.flatMap(({ fileName }) => {
		const base = fileName.startsWith('$lib/')
			? join(ROOT, fileName.slice('$lib/'.length))
			: fileName.startsWith('.')
				? resolve(dirname(file), fileName)
				: undefined;
		if (!base) return [];
		const target = EXTENSIONS.map((ext) => base.replace(/\.js$/, '') + ext)
			.concat(base)
			.find((candidate) => known.has(candidate));
		return target ? [target] : [];
	});
}

/** Every cycle found by a depth-first walk, each as the files around it. */
function cycles(graph: Map<string, string[]>): string[][] {
	const found: string[][] = [];
	const done = new Set<string>();
	const path: string[] = [];
	const visit = (file: string): void => {
		const at = path.indexOf(file);
		if (at !== -1) {
			found.push([...path.slice(at), file]);
			return;
		}
		if (done.has(file)) return;
		path.push(file);
		for (const next of graph.get(file) ?? []) visit(next);
		path.pop();
		done.add(file);
	};
	for (const file of graph.keys()) visit(file);
	return found;
}

describe('src/lib imports', () => {
	const files = sourceFiles(ROOT);
	const known = new Set(files);
	const graph = new Map(files.map((file) => [file, importsOf(file, known)]));

	it('are read: the scanner finds the imports between core modules', () => {
		const chain = graph.get(join(ROOT, 'core/chain.ts'))!.map((f) => relative(ROOT, f));
		expect(chain).toEqual(expect.arrayContaining(['core/digest.ts', 'core/record-check.ts']));
	});

	it('form no cycle', () => {
		const shown = cycles(graph).map((cycle) => cycle.map((f) => relative(ROOT, f)).join(' > '));
		expect(shown).toEqual([]);
	});
});
