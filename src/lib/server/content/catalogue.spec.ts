import { describe, expect, it } from 'vitest';
import { diffPairs, statementIndex, versionDocument } from './catalogue';
import { loadContent } from './load';
import { statementFile, v10, v11, writeContent } from './test-content';

const v20 = statementFile(
	{
		title: 'Terms',
		version: '"2.0"',
		issued: '2025-06-01',
		effective: '2025-07-01',
		change: 'material',
		summary: 'Shares the delivery region & more.'
	},
	'## 1. Scope\n\nNew text.\n'
);

function sample() {
	return loadContent({
		dir: writeContent({
			'site.yaml': 'name: Example\nlocales: [en, zh-CN]\nbaseUrl: https://statements.example.com\n',
			'statements/terms/1.0.en.md': v10,
			'statements/terms/1.0.zh-CN.md': v10.replace('Terms', '条款'),
			'statements/terms/1.1.en.md': v11,
			'statements/terms/2.0.en.md': v20
		})
	});
}

describe('statementIndex', () => {
	it('lists versions with status as of the build day', () => {
		const index = statementIndex({ content: sample(), now: new Date('2025-06-15T12:00:00Z') });
		const [terms] = index.statements;
		expect(terms!.inForce).toBe('1.1');
		expect(terms!.latest).toBe('2.0');
		expect(terms!.locales).toEqual(['en', 'zh-CN']);
		expect(terms!.versions.map((v) => [v.version, v.status])).toEqual([
			['1.0', 'superseded'],
			['1.1', 'in-force'],
			['2.0', 'announced']
		]);
		expect(terms!.versions[0]!.locales['zh-CN']).toMatchObject({
			title: '条款',
			url: '/statements/terms/1.0/zh-CN/',
			json: '/statements/terms/1.0/zh-CN.json'
		});
		expect(terms!.versions[2]!.locales.en!.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
	});

	it('puts a version in force at the start of its effective day (UTC)', () => {
		const before = statementIndex({ content: sample(), now: new Date('2025-06-30T23:59:59Z') });
		const on = statementIndex({ content: sample(), now: new Date('2025-07-01T00:00:00Z') });
		expect(before.statements[0]!.inForce).toBe('1.1');
		expect(on.statements[0]!.inForce).toBe('2.0');
	});
});

describe('versionDocument', () => {
	it('carries metadata, hash and sanitized HTML', () => {
		const content = sample();
		const statement = content.statements[0]!;
		const doc = versionDocument({
			statement,
			version: statement.versions[1]!,
			locale: 'en',
			now: new Date('2025-06-15')
		});
		expect(doc).toMatchObject({
			id: 'terms',
			version: '1.1',
			locale: 'en',
			change: 'minor',
			summary: 'Fixes a typo.',
			previous: '1.0',
			effective: '2025-03-01',
			status: 'in-force'
		});
		expect(doc.html).toContain('<h2 id="section-1-scope">1. Scope</h2>');
		expect(doc.hash).toBe(statement.versions[1]!.locales.en!.hash);
	});
});

describe('diffPairs', () => {
	it('pairs each version with the next, with the one in force and with the latest, in the locales both have', () => {
		// 1.1 is in force, 2.0 announced.
		expect(diffPairs(sample().statements[0]!, { now: new Date('2025-06-15T12:00:00Z') })).toEqual([
			{ from: '1.0', to: '1.1', locale: 'en' },
			{ from: '1.0', to: '2.0', locale: 'en' },
			{ from: '1.1', to: '2.0', locale: 'en' }
		]);
	});

	it('grows linearly with the versions: no pair of two older versions beyond neighbours', () => {
		const files: Record<string, string> = {};
		for (let v = 1; v <= 12; v++) {
			files[`statements/terms/${v}.0.en.md`] = statementFile({
				title: 'Terms',
				version: `"${v}.0"`,
				issued: `2025-01-${String(v).padStart(2, '0')}`,
				change: v === 1 ? 'initial' : 'minor',
				summary: v === 1 ? undefined : 'Wording.'
			});
		}
		const [terms] = loadContent({ dir: writeContent(files) }).statements;
		const pairs = diffPairs(terms!, { now: new Date('2025-01-06T12:00:00Z') });
		const has = (from: string, to: string) => pairs.some((p) => p.from === from && p.to === to);
		// Neighbours, each older version to 6.0 (in force) and to 12.0 (latest): 11 + 4 + 10.
		expect(pairs).toHaveLength(25);
		expect(has('3.0', '4.0') && has('1.0', '6.0') && has('2.0', '12.0')).toBe(true);
		expect(has('2.0', '5.0')).toBe(false);
		expect(has('7.0', '9.0')).toBe(false);
	});
});
