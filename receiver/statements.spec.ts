import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { indexSource, parseIndex, publishedStatements } from './statements.js';

const index = (versions: Record<string, string>) =>
	JSON.stringify({
		statements: [
			{
				id: 'terms',
				versions: Object.entries(versions).map(([version, hash]) => ({
					version,
					locales: { en: { hash } }
				}))
			}
		]
	});
const terms = (version: string) => ({ id: 'terms', version, locale: 'en' });

describe('indexSource', () => {
	it('finds the index of a site by URL, of a folder, or takes the index itself', () => {
		expect(indexSource('https://statements.example.com')).toBe(
			'https://statements.example.com/statements/index.json'
		);
		expect(indexSource('https://example.com/legal/')).toBe(
			'https://example.com/legal/statements/index.json'
		);
		expect(indexSource('https://cdn.example/x/index.json')).toBe(
			'https://cdn.example/x/index.json'
		);
		expect(indexSource('/srv/build')).toBe(join('/srv/build', 'statements', 'index.json'));
	});
});

describe('parseIndex', () => {
	it('lists every version and locale with its hash', () => {
		const hashes = parseIndex({
			text: index({ '1.0': 'sha256:a', '1.1': 'sha256:b' }),
			source: 'x'
		});
		expect([...hashes]).toEqual([
			['terms/1.0/en', 'sha256:a'],
			['terms/1.1/en', 'sha256:b']
		]);
	});

	it('says what is wrong with a file that is not an index', () => {
		expect(() => parseIndex({ text: '<html>', source: 'site/index.json' })).toThrow(
			/site\/index.json is not an Assent index/
		);
		expect(() => parseIndex({ text: '{"statements":[{"id":"t"}]}', source: 'x' })).toThrow(
			/without "id" and "versions"/
		);
	});
});

describe('publishedStatements', () => {
	let dir: string | undefined;
	afterEach(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
		dir = undefined;
	});

	it('reads a rebuilt site for an unknown version, at most once per refresh period', async () => {
		dir = mkdtempSync(join(tmpdir(), 'assent-index-'));
		const file = join(dir, 'index.json');
		writeFileSync(file, index({ '1.0': 'sha256:a' }));
		let now = 0;
		const statements = publishedStatements({ site: file, refreshSeconds: 30, now: () => now });
		await statements.load();

		writeFileSync(file, index({ '1.0': 'sha256:a', '1.1': 'sha256:b' }));
		now = 10_000;
		expect(await statements.lookup(terms('1.1'))).toEqual({ hash: undefined });
		now = 30_000;
		expect(await statements.lookup(terms('1.1'))).toEqual({ hash: 'sha256:b' });
		expect(await statements.lookup(terms('1.0'))).toEqual({ hash: 'sha256:a' });
	});

	it('asks a site by URL once for many records at a time, and reports a site that is down', async () => {
		let calls = 0;
		let up = true;
		const fetch = (async (url: string) => {
			calls++;
			expect(url).toBe('https://statements.example.com/statements/index.json');
			await new Promise((resolve) => setTimeout(resolve, 10));
			return up
				? new Response(index({ '2.0': 'sha256:c' }))
				: new Response('Bad gateway', { status: 502 });
		}) as typeof globalThis.fetch;
		let now = 0;
		const statements = publishedStatements({
			site: 'https://statements.example.com',
			fetch,
			now: () => now
		});
		const answers = await Promise.all([1, 2, 3].map(() => statements.lookup(terms('2.0'))));
		expect(answers).toEqual([1, 2, 3].map(() => ({ hash: 'sha256:c' })));
		expect(calls).toBe(1);

		up = false;
		now = 60_000;
		expect(await statements.lookup(terms('2.1'))).toEqual({
			hash: undefined,
			error: expect.stringMatching(/index.json could not be read \(HTTP 502\)/)
		});
		expect(await statements.lookup(terms('2.0'))).toEqual({ hash: 'sha256:c' });
		expect(calls).toBe(2);
	});
});
