import { describe, expect, it } from 'vitest';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AssentError } from '../core/errors';
import { loadContent } from './load';
import { publish } from './publish';
import { statementFile, v10, v11, writeContent } from './test-content';

/** Loads and returns the single problem reported, failing when there is none. */
function problemsOf(files: Record<string, string>): AssentError[] {
	const dir = writeContent(files);
	try {
		loadContent({ dir });
	} catch (error) {
		expect(error).toBeInstanceOf(AssentError);
		const problems = (error as AssentError).problems;
		expect((error as AssentError).message).toContain('nothing was built');
		return problems;
	}
	throw new Error('expected the content to be refused');
}

function onlyProblem(files: Record<string, string>): AssentError {
	const problems = problemsOf(files);
	expect(problems.map((p) => p.message)).toHaveLength(1);
	return problems[0]!;
}

describe('loadContent', () => {
	it('reads statements, orders versions numerically and applies defaults', () => {
		const v110 = statementFile({
			title: 'Terms',
			version: '"1.10"',
			issued: '2025-05-01',
			change: 'material',
			summary: 'Adds a clause.'
		});
		const dir = writeContent({
			'statements/terms/1.0.en.md': v10,
			'statements/terms/1.10.en.md': v110,
			'statements/terms/1.1.en.md': v11
		});
		const content = loadContent({ dir });
		const [terms] = content.statements;
		expect(terms!.versions.map((v) => v.version)).toEqual(['1.0', '1.1', '1.10']);
		expect(terms!.versions[0]!.effective).toBe('2025-01-10');
		expect(terms!.versions[2]!.change).toBe('material');
		expect(terms!.defaultLocale).toBe('en');
		expect(content.site.name).toBe('Assent');
		expect(content.unlocked).toEqual(['terms/1.0.en', 'terms/1.1.en', 'terms/1.10.en']);
	});

	it('accepts an unquoted version when YAML keeps it as written', () => {
		const file = v11.replace('version: "1.1"', 'version: 1.1');
		const dir = writeContent({
			'statements/terms/1.0.en.md': v10,
			'statements/terms/1.1.en.md': file
		});
		expect(loadContent({ dir }).statements[0]!.versions).toHaveLength(2);
	});

	it('refuses a missing content folder with a hint about ASSENT_CONTENT', () => {
		expect(() => loadContent({ dir: '/nonexistent/assent' })).toThrow(/ASSENT_CONTENT/);
	});

	it('refuses a file without front matter', () => {
		const problem = onlyProblem({ 'statements/terms/1.0.en.md': '# Terms\n\nText.\n' });
		expect(problem.code).toBe('content/front-matter');
		expect(problem.message).toMatch(/statements\/terms\/1\.0\.en\.md: no front matter/);
	});

	it('refuses front matter that is not closed', () => {
		const problem = onlyProblem({ 'statements/terms/1.0.en.md': '---\ntitle: Terms\n\nText.\n' });
		expect(problem.code).toBe('content/front-matter');
		expect(problem.message).toContain('not closed');
	});

	it('refuses malformed YAML and says where', () => {
		const problem = onlyProblem({
			'statements/terms/1.0.en.md':
				'---\ntitle: Terms\nversion: "1.0\nissued: 2025-01-10\n---\n\nText.\n'
		});
		expect(problem.code).toBe('content/front-matter');
		expect(problem.message).toMatch(/1\.0\.en\.md(:\d+)?: the front matter is not valid YAML/);
	});

	it.each([
		['title', { title: undefined }, /field "title": required/],
		['version', { version: undefined }, /field "version": required: add version: "1.0"/],
		['issued', { issued: undefined }, /field "issued": required/],
		['issued', { issued: '2025-02-30' }, /field "issued": "2025-02-30" is not a date/],
		['effective', { effective: '2025-01-01' }, /field "effective": 2025-01-01 is before issued/],
		['change', { change: 'major' }, /field "change": "major" is not a change kind/],
		['summary', { summary: '""' }, /field "summary": expected one sentence/],
		[
			'efective',
			{ efective: '2025-02-01' },
			/field "efective": unknown field; did you mean "effective"\?/
		]
	])('refuses a bad field: %s', (field, override, pattern) => {
		const fields = {
			title: 'Terms',
			version: '"1.0"',
			issued: '2025-01-10',
			change: 'initial',
			...override
		};
		const problem = onlyProblem({ 'statements/terms/1.0.en.md': statementFile(fields) });
		expect(problem.code).toBe('content/field');
		expect(problem.field).toBe(field);
		expect(problem.file).toMatch(/statements\/terms\/1\.0\.en\.md$/);
		expect(problem.message).toMatch(pattern);
	});

	it('refuses a version that does not match the file name', () => {
		const problem = onlyProblem({
			'statements/terms/1.0.en.md': v11.replace('1.1', '1.0').replace('"1.0"', '"1.2"')
		});
		expect(problem.field).toBe('version');
		expect(problem.message).toContain('"1.2" does not match the file name\'s version "1.0"');
	});

	it('asks for quotes when YAML turned the version into another number', () => {
		const problem = onlyProblem({ 'statements/terms/1.0.en.md': v10.replace('"1.0"', '1.0') });
		expect(problem.message).toContain('write the version in quotes, version: "1.0"');
	});

	it('refuses a first version that is not initial', () => {
		const problem = onlyProblem({
			'statements/terms/1.0.en.md': v10.replace('change: initial', 'change: minor\nsummary: x')
		});
		expect(problem.field).toBe('change');
		expect(problem.message).toContain('the first version of a statement is "initial"');
	});

	it('refuses a later version marked initial, or without a change kind or summary', () => {
		const problems = problemsOf({
			'statements/terms/1.0.en.md': v10,
			'statements/terms/1.1.en.md': v11.replace('change: minor', 'change: initial'),
			'statements/terms/1.2.en.md': statementFile({
				title: 'Terms',
				version: '"1.2"',
				issued: '2025-06-01',
				summary: 'x'
			}),
			'statements/terms/1.3.en.md': statementFile({
				title: 'Terms',
				version: '"1.3"',
				issued: '2025-07-01',
				change: 'material'
			})
		});
		const messages = problems.map((p) => p.message).join('\n');
		expect(messages).toMatch(/1\.1\.en\.md: field "change": only the first version is "initial"/);
		expect(messages).toMatch(/1\.2\.en\.md: field "change": required after the first version/);
		expect(messages).toMatch(/1\.3\.en\.md: field "summary": required for a material version/);
		expect(problems).toHaveLength(3);
	});

	it('refuses versions issued or in force out of order', () => {
		const problems = problemsOf({
			'statements/terms/1.0.en.md': v10.replace('2025-01-10', '2025-04-01'),
			'statements/terms/1.1.en.md': v11
		});
		expect(problems.map((p) => p.code)).toEqual(['content/order', 'content/order']);
		expect(problems[0]!.message).toMatch(
			/1\.1\.en\.md: field "issued": version 1\.1 is dated 2025-02-10, before version 1\.0/
		);
		expect(problems[1]!.field).toBe('effective');
	});

	it('refuses a locale the site does not list, and a misspelt tag', () => {
		const problems = problemsOf({
			'site.yaml': 'locales: [en, zh-CN]\n',
			'statements/terms/1.0.en.md': v10,
			'statements/terms/1.0.fr.md': v10,
			'statements/terms/1.0.zh-cn.md': v10
		});
		const messages = problems.map((p) => p.message).join('\n');
		expect(problems.every((p) => p.code === 'content/locale')).toBe(true);
		expect(messages).toMatch(
			/1\.0\.fr\.md: locale "fr" is not one of the site's locales \(en, zh-CN\)/
		);
		expect(messages).toMatch(/1\.0\.zh-cn\.md: write the locale "zh-cn" as "zh-CN"/);
	});

	it('refuses two files of the same version and locale', () => {
		const problem = onlyProblem({
			'statements/terms/1.0.en.md': v10,
			'statements/terms/1.00.en.md': v10.replace('"1.0"', '"1.00"')
		});
		expect(problem.code).toBe('content/duplicate');
		expect(problem.message).toContain('is the same version as');
	});

	it('refuses locales of one version that disagree on dates or change kind', () => {
		const [problem, ...others] = problemsOf({
			'statements/terms/1.0.en.md': v10,
			'statements/terms/1.0.zh-CN.md': v10.replace('2025-01-10', '2025-01-11')
		});
		// The effective date defaults to the issued date, so it disagrees as well.
		expect(others.map((p) => p.field)).toEqual(['effective']);
		expect(problem!.code).toBe('content/consistency');
		expect(problem!.message).toMatch(
			/1\.0\.zh-CN\.md: field "issued" is 2025-01-11, but .*1\.0\.en\.md says 2025-01-10/
		);
	});

	it('refuses badly named folders and files', () => {
		const problems = problemsOf({
			'statements/Terms_2/1.0.en.md': v10,
			'statements/terms/draft.md': v10
		});
		expect(problems.map((p) => p.code)).toEqual(['content/file-name', 'content/file-name']);
		const messages = problems.map((p) => p.message).join('\n');
		expect(messages).toContain('"Terms_2" is not a statement id');
		expect(messages).toMatch(/draft\.md: a statement file is named <version>\.<locale>\.md/);
	});

	it('lists every problem of every file in one error', () => {
		const problems = problemsOf({
			'statements/a/1.0.en.md': 'no front matter',
			'statements/b/1.0.en.md': statementFile({ version: '"1.0"', issued: '2025-01-01' })
		});
		expect(problems).toHaveLength(2);
	});

	it('validates partners.yaml', () => {
		const problem = onlyProblem({
			'statements/terms/1.0.en.md': v10,
			'partners.yaml':
				'partners:\n  - id: acme\n    name: Acme\n    url: https://acme.example\n    origins: [https://acme.example/shop]\n'
		});
		expect(problem.code).toBe('content/partners');
		expect(problem.message).toContain(
			'partners[0].origins: "https://acme.example/shop" is not a web origin'
		);
	});

	it('reads partners and site settings', () => {
		const dir = writeContent({
			'statements/terms/1.0.en.md': v10,
			'site.yaml':
				'name: Example\npublisher:\n  name: Example Ltd\n  contact: legal@example.com\nlocales: [en]\nbaseUrl: https://statements.example.com/\n',
			'partners.yaml':
				'partners:\n  - id: acme\n    name: Acme\n    url: https://acme.example\n    origins: ["https://acme.example", "http://localhost:4174"]\n'
		});
		const content = loadContent({ dir });
		expect(content.site).toEqual({
			name: 'Example',
			publisher: { name: 'Example Ltd', contact: 'legal@example.com' },
			locales: ['en'],
			baseUrl: 'https://statements.example.com'
		});
		expect(content.partners[0]!.origins).toEqual(['https://acme.example', 'http://localhost:4174']);
	});
});

describe('the lock', () => {
	it('publishes new versions, then refuses a changed or removed published file', () => {
		const dir = writeContent({
			'statements/terms/1.0.en.md': v10,
			'statements/terms/1.1.en.md': v11
		});
		expect(publish({ dir }).added).toEqual(['terms/1.0.en', 'terms/1.1.en']);
		expect(publish({ dir }).added).toEqual([]);
		expect(loadContent({ dir }).statements[0]!.versions.every((v) => v.locked)).toBe(true);

		writeFileSync(join(dir, 'statements/terms/1.0.en.md'), v10.replace('Text.', 'Other text.'));
		let error = captureError(() => loadContent({ dir }));
		expect(error.problems[0]!.code).toBe('content/lock-changed');
		expect(error.problems[0]!.message).toMatch(
			/1\.0\.en\.md: this published version was changed after publishing/
		);
		expect(() => publish({ dir })).toThrow(AssentError);

		writeFileSync(join(dir, 'statements/terms/1.0.en.md'), v10);
		rmSync(join(dir, 'statements/terms/1.1.en.md'));
		error = captureError(() => loadContent({ dir }));
		expect(error.problems[0]!.code).toBe('content/lock-removed');
		expect(error.problems[0]!.message).toMatch(/1\.1\.en\.md: this published version was removed/);
	});

	it('treats a file saved with CRLF line endings as the same published text', () => {
		const dir = writeContent({ 'statements/terms/1.0.en.md': v10 });
		publish({ dir });
		writeFileSync(join(dir, 'statements/terms/1.0.en.md'), v10.replace(/\n/g, '\r\n'));
		expect(() => loadContent({ dir })).not.toThrow();
	});

	it('refuses a lock file that is not JSON', () => {
		const problem = onlyProblem({
			'statements/terms/1.0.en.md': v10,
			'statements.lock.json': '{ nope'
		});
		expect(problem.code).toBe('content/lock-file');
	});
});

function captureError(run: () => unknown): AssentError {
	try {
		run();
	} catch (error) {
		return error as AssentError;
	}
	throw new Error('expected an error');
}
