import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AssentError } from '../../core/errors';
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
		[
			'issued',
			{ issued: '2025-2-3' },
			/field "issued": "2025-2-3" is not a date: write it as YYYY-MM-DD, e.g. 2025-03-01\./
		],
		[
			'issued',
			{ issued: '2026-02-30' },
			/field "issued": "2026-02-30" is not a day in the calendar: February 2026 has 28 days\.$/
		],
		[
			'issued',
			{ issued: '2024-02-30' },
			/field "issued": "2024-02-30" is not a day in the calendar: February 2024 has 29 days\.$/
		],
		[
			'effective',
			{ effective: '2025-13-01' },
			/field "effective": "2025-13-01" is not a day in the calendar: the month is 13, and months run from 01 to 12\./
		],
		[
			'title',
			{ title: '"Terms\\x01"' },
			/field "title": contains U\+0001, a control or non-character that XML/
		],
		['summary', { summary: '"Fixes\\uFFFE a typo."' }, /field "summary": contains U\+FFFE/],
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

describe('every problem is listed', () => {
	it('lists all four field problems of one file', () => {
		const problems = problemsOf({
			'statements/terms/1.0.en.md': statementFile({
				version: '"1.1"',
				issued: '2025-02-30',
				change: 'major'
			}).replace('---\n\n', '---\n\nTitle: Terms\n')
		});
		const messages = problems.map((p) => p.message);
		expect(messages).toHaveLength(4);
		expect(messages.join('\n')).toContain('field "title": required');
		expect(messages.join('\n')).toContain('"1.1" does not match the file name\'s version "1.0"');
		expect(messages.join('\n')).toContain('"2025-02-30" is not a day in the calendar');
		expect(messages.join('\n')).toContain('"major" is not a change kind');
	});

	it('lists every problem of every partner', () => {
		const problems = problemsOf({
			'statements/terms/1.0.en.md': v10,
			'partners.yaml': [
				'partners:',
				'  - id: Acme Shop',
				'    name: ""',
				'    url: acme.example',
				'    origins: [https://acme.example]',
				'  - id: books',
				'    name: "Books\\x02"',
				'    url: https://books.example',
				'    origins: [https://books.example/shop]',
				''
			].join('\n')
		});
		expect(problems.map((p) => p.field)).toEqual([
			'partners[0].id',
			'partners[0].name',
			'partners[0].url',
			'partners[1].name',
			'partners[1].origins'
		]);
		expect(problems[3]!.message).toContain('partners[1].name: contains U+0002');
	});

	it('lists every problem of site.yaml', () => {
		const problems = problemsOf({
			'statements/terms/1.0.en.md': v10,
			'site.yaml':
				'name: "Example\\x01"\npublisher:\n  name: Example Ltd\n  contact: contact-us\nlocales: [en, EN-gb]\nbaseUrl: https://statements example.com\n'
		});
		expect(problems.map((p) => p.message)).toEqual([
			'site.yaml: field "name": contains U+0001, a control or non-character that XML (and so the Atom feed) cannot carry. Delete it; it is usually invisible, left by copying from another program.',
			'site.yaml: field "publisher.contact": "contact-us" is neither an e-mail address nor an absolute https URL; write e.g. legal@example.com, mailto:legal@example.com or https://example.com/contact.',
			'site.yaml: field "locales": write "EN-gb" as "en-GB".',
			'site.yaml: field "baseUrl": "https://statements example.com" contains a space; write the address without spaces, e.g. https://statements.example.com.'
		]);
	});
});

describe('text XML cannot carry', () => {
	it('refuses a control character in the text and says on which line', () => {
		const problem = onlyProblem({
			'statements/terms/1.0.en.md': statementFile(
				{ title: 'Terms', version: '"1.0"', issued: '2025-01-10', change: 'initial' },
				'## 1. Scope\n\nText \u0001 here.\n'
			)
		});
		expect(problem.field).toBe('body');
		// front matter lines 1-6, a blank line, the heading on 8, the text on 10
		expect(problem.message).toMatch(/1\.0\.en\.md:10: the text contains U\+0001/);
	});

	it.each([
		['a relative address', 'statements.example.com', 'is not an absolute https URL; write'],
		[
			'another scheme',
			'ftp://statements.example.com',
			'is not an https URL (ftp: addresses are refused); write'
		],
		[
			'a space',
			'https://statements.example.com/my site',
			'contains a space; write the address without spaces,'
		]
	])('refuses ASSENT_BASE_URL with %s', (_name, value, expected) => {
		const before = process.env.ASSENT_BASE_URL;
		process.env.ASSENT_BASE_URL = value;
		try {
			const problem = onlyProblem({ 'statements/terms/1.0.en.md': v10 });
			expect(problem.message).toBe(
				`ASSENT_BASE_URL: "${value}" ${expected} e.g. https://statements.example.com.`
			);
		} finally {
			if (before === undefined) delete process.env.ASSENT_BASE_URL;
			else process.env.ASSENT_BASE_URL = before;
		}
	});
});

describe('locales', () => {
	it('refuses a version written only in a locale other than the default', () => {
		const v15 = statementFile({
			title: '条款',
			version: '"1.5"',
			issued: '2025-03-10',
			change: 'minor',
			summary: '修正错字。'
		});
		const problem = onlyProblem({
			'site.yaml': 'locales: [en, zh-CN]\n',
			'statements/terms/1.0.en.md': v10,
			'statements/terms/1.5.zh-CN.md': v15
		});
		expect(problem.code).toBe('content/locale');
		expect(problem.message).toMatch(
			/statements\/terms\/1\.5\.zh-CN\.md: version 1\.5 of "terms" has no text in the default locale en\. Every version must be written in the default locale \(the first of locales in site\.yaml\): add .*statements\/terms\/1\.5\.en\.md, or keep this translation out of the content folder until it is written\./
		);
	});
});

describe('links and images in statements', () => {
	const withBody = (body: string) =>
		statementFile(
			{ title: 'Terms', version: '"1.0"', issued: '2025-01-10', change: 'initial' },
			body
		);
	const other = statementFile(
		{ title: 'Other', version: '"1.0"', issued: '2025-01-10', change: 'initial' },
		'## 1. Scope\n\nText.\n'
	);

	it('refuses relative links and images with the file, the line and the fix', () => {
		const problems = problemsOf({
			'statements/other/1.0.en.md': other,
			'statements/terms/1.0.en.md': withBody(
				'## 1. Scope\n\nSee the [annex](annex.pdf).\n\n<img src=x>\n\nAnd [x](../other).\n'
			)
		});
		const messages = problems.map((p) => p.message);
		expect(messages).toHaveLength(3);
		expect(messages[0]).toMatch(
			/statements\/terms\/1\.0\.en\.md:10: link "annex\.pdf" is relative, and a statement is shown at several addresses, so it would lead nowhere\. Use an absolute https URL \(e\.g\. https:\/\/example\.com\/annex\.pdf\), or the path of a statement page that exists \(e\.g\. \/statements\/other\/\)\./
		);
		expect(messages[1]).toMatch(
			/1\.0\.en\.md:12: image "x" is neither an absolute web address nor a file of the site's static\/ folder.*Use the image's https URL/
		);
		expect(messages[2]).toMatch(/1\.0\.en\.md:14: link "\.\.\/other" is relative/);
		expect(problems.every((p) => p.code === 'content/link')).toBe(true);
	});

	it('accepts anchors and site paths that exist, and refuses those that do not', () => {
		const good = {
			'statements/other/1.0.en.md': other,
			'statements/terms/1.0.en.md': withBody(
				'## 1. Scope\n\nSee [scope](#section-1-scope), [other](/statements/other/), [its scope](/statements/other/1.0/#section-1-scope), [the web](https://example.com/a), [mail](mailto:a@example.com) and [the record schema](/schemas/record.json).\n\n![logo](https://example.com/logo.png) ![icon](/favicon.svg)\n'
			)
		};
		expect(() => loadContent({ dir: writeContent(good) })).not.toThrow();

		const messages = problemsOf({
			'statements/other/1.0.en.md': other,
			'statements/terms/1.0.en.md': withBody(
				'## 1. Scope\n\n[a](#section-9) [b](/statements/missing/) [c](/statements/other) [d](/statements/other/#section-9) [e](/demo/)\n'
			)
		}).map((p) => p.message);
		expect(messages).toEqual([
			expect.stringMatching(
				/1\.0\.en\.md:10: link "#section-9" points to no heading of this statement\. .*this file has #section-1-scope\./
			),
			expect.stringMatching(
				/link "\/statements\/missing\/" leads to no page of this site\. Link to a statement page that exists \(\/statements\/other\/, \/statements\/terms\/\)/
			),
			expect.stringMatching(
				/link "\/statements\/other" leads to no page: page addresses end with a slash, write "\/statements\/other\/"\./
			),
			expect.stringMatching(
				/link "\/statements\/other\/#section-9" names an anchor "#section-9" that \/statements\/other\/ does not have\.$/
			),
			expect.stringMatching(/link "\/demo\/" leads to no page of this site/)
		]);
	});

	it('sends an anchor only some versions have to a version page', () => {
		const [problem] = problemsOf({
			'statements/other/1.0.en.md': other,
			'statements/other/1.1.en.md': statementFile(
				{
					title: 'Other',
					version: '"1.1"',
					issued: '2025-02-10',
					change: 'minor',
					summary: 'Renames the first section.'
				},
				'## 1. Purpose\n\nText.\n'
			),
			'statements/terms/1.0.en.md': withBody(
				'## 1. Scope\n\nSee [its scope](/statements/other/#section-1-scope).\n'
			)
		});
		expect(problem!.message).toMatch(
			/1\.0\.en\.md:10: link "\/statements\/other\/#section-1-scope" names an anchor "#section-1-scope" that not every version of \/statements\/other\/ has, and that page shows the version in force\. Link to the version, e\.g\. \/statements\/other\/1\.0\/#section-1-scope\.$/
		);
	});

	it('refuses to publish a statement with a relative link, leaving the lock alone', () => {
		const dir = writeContent({
			'statements/terms/1.0.en.md': withBody('## 1. Scope\n\nSee the [annex](annex.pdf).\n')
		});
		expect(() => publish({ dir })).toThrow(/link "annex\.pdf" is relative/);
		expect(() => readFileSync(join(dir, 'statements.lock.json'))).toThrow();
	});
});

describe('warnings', () => {
	it('names what the sanitizer removed from an unpublished file, and stops once it is published', () => {
		const dir = writeContent({
			'statements/terms/1.0.en.md': statementFile(
				{ title: 'Terms', version: '"1.0"', issued: '2025-01-10', change: 'initial' },
				'## 1. Scope\n\nHi <script>alert(1)</script><img src="https://example.com/a.png" onerror="x()"> [y](javascript:alert(1))\n\n<iframe src="https://example.com"></iframe>\n\n<!-- a note for reviewers -->\n'
			)
		});
		const content = loadContent({ dir });
		expect(content.warnings.map((w) => w.message)).toEqual([
			expect.stringMatching(
				/statements\/terms\/1\.0\.en\.md: removed from the page, as statements may not contain them: <script>, onerror on <img>, href="javascript:alert\(1\)" on <a>, <iframe>\. Readers see the text without them; delete them from the file/
			)
		]);
		expect(content.warnings[0]!.code).toBe('content/sanitized');
		const result = publish({ dir });
		expect(result.warnings).toHaveLength(1);
		expect(loadContent({ dir }).warnings).toEqual([]);
	});

	it('warns when a material version repeats the text of the previous one', () => {
		const v20 = statementFile({
			title: 'Terms',
			version: '"2.0"',
			issued: '2025-03-10',
			change: 'material',
			summary: 'Rewrites the terms.'
		});
		const dir = writeContent({
			'statements/terms/1.0.en.md': v10,
			'statements/terms/1.1.en.md': v11,
			'statements/terms/2.0.en.md': v20
		});
		const { warnings } = loadContent({ dir });
		expect(warnings.map((w) => w.message)).toEqual([
			expect.stringMatching(
				/statements\/terms\/2\.0\.en\.md: marked "material", but its text is the same as version 1\.1 \(.*statements\/terms\/1\.1\.en\.md\), so readers would be asked to accept again for no change\. Check that the new text was saved, or use "minor"\./
			)
		]);
		// A minor version with the same text (a metadata correction) is no surprise.
		expect(warnings).toHaveLength(1);
	});

	it('drops a leading heading that repeats the title, and warns about one that differs', () => {
		const seed = (heading: string) =>
			statementFile(
				{ title: 'Terms of Use', version: '"1.0"', issued: '2025-01-10', change: 'initial' },
				`${heading}\n\n## 1. Scope\n\nText.\n`
			);
		const same = loadContent({
			dir: writeContent({ 'statements/terms/1.0.en.md': seed('# Terms of use') })
		});
		const html = same.statements[0]!.versions[0]!.locales.en!.html;
		expect(html).not.toContain('<h1');
		expect(html).toContain('<h2 id="section-1-scope">');
		expect(same.warnings).toEqual([]);

		const differs = loadContent({
			dir: writeContent({ 'statements/terms/1.0.en.md': seed('# General Terms') })
		});
		expect(differs.statements[0]!.versions[0]!.locales.en!.html).toContain('>General Terms</h1>');
		expect(differs.warnings.map((w) => w.message)).toEqual([
			expect.stringContaining(
				'the text starts with the heading "General Terms", which differs from the title "Terms of Use", so the page shows both. Delete the heading, or make it the title.'
			)
		]);
	});
});
