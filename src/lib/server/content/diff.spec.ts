import { describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import { xssPayloads } from '../../../../tests/fixtures/xss-payloads';
import type { DiffBlock, DiffPart } from '../../core/diff';
import { countRuns, diffBlocks } from './diff';
import { renderMarkdown } from './render';

const compare = (from: string, to: string, locale = 'en') =>
	diffBlocks({ from: renderMarkdown(from), to: renderMarkdown(to), locale });

/** Parts as `=same`, `-removed`, `+added` strings, to read a comparison at a glance. */
const marks = (parts: DiffPart[]) =>
	parts.map((p) => `${{ same: '=', added: '+', removed: '-' }[p.type]}${p.text}`);
const html = (parts: DiffPart[]) => parts.map((p) => p.html).join('');
const changed = (blocks: DiffBlock[]) => blocks.filter((b) => b.change !== 'same');

describe('diffBlocks', () => {
	it('marks reworded clauses word by word and keeps unchanged ones', () => {
		const diff = compare(
			'## 1. Scope\n\nWe share your name with the partner.\n\n## 2. Retention\n\nKept for one year.\n',
			'## 1. Scope\n\nWe share your name and region with the partner.\n\n## 2. Retention\n\nKept for one year.\n'
		);
		expect(diff.map((b) => b.change)).toEqual(['same', 'changed', 'same', 'same']);
		expect(marks(diff[1]!.parts)).toEqual([
			'=We share your name ',
			'+and region ',
			'=with the partner.'
		]);
		expect(countRuns(diff)).toEqual({ added: 1, removed: 0 });
	});

	it('shows a new clause as added and a dropped one as removed', () => {
		const diff = compare(
			'## 1. A\n\nAlpha text here.\n\n## 2. B\n\nBeta text here.\n',
			'## 1. A\n\nAlpha text here.\n\n## 3. C\n\nCompletely different words.\n'
		);
		const removed = diff.filter((b) => b.change === 'removed').map((b) => b.parts[0]!.text);
		const added = diff.filter((b) => b.change === 'added').map((b) => b.parts[0]!.text);
		expect(removed).toContain('Beta text here.');
		expect(added).toContain('Completely different words.');
	});

	it('diffs Chinese text by words, not whole sentences', () => {
		const diff = compare(
			'我们与合作伙伴共享您的姓名。\n',
			'我们与合作伙伴共享您的姓名和地区。\n',
			'zh-CN'
		);
		expect(diff).toHaveLength(1);
		expect(diff[0]!.change).toBe('changed');
		const added = diff[0]!.parts
			.filter((p) => p.type === 'added')
			.map((p) => p.text)
			.join('');
		expect(added).toContain('地区');
		expect(added.length).toBeLessThan(6);
	});

	it('compares a table row by row and marks only the changed cell', () => {
		const diff = compare(
			'| Data | Kept |\n| --- | --- |\n| Name | 1 year |\n| Orders | 24 months after the order |\n',
			'| Data | Kept |\n| --- | --- |\n| Name | 1 year |\n| Orders | 18 months after the order |\n'
		);
		expect(diff).toHaveLength(1);
		const table = diff[0]!;
		expect(table).toMatchObject({ kind: 'table', change: 'changed', parts: [] });
		expect(table.rows!.map((r) => [r.head, r.change])).toEqual([
			[true, 'same'],
			[false, 'same'],
			[false, 'changed']
		]);
		expect(table.rows![0]!.cells.map((c) => [c.header, marks(c.parts)])).toEqual([
			[true, ['=Data']],
			[true, ['=Kept']]
		]);
		const [orders, kept] = table.rows![2]!.cells;
		expect(marks(orders!.parts)).toEqual(['=Orders']);
		expect(marks(kept!.parts)).toEqual(['-24', '+18', '= months after the order']);
		expect(countRuns(diff)).toEqual({ added: 1, removed: 1 });
	});

	it('shows a table row added to a table as one added row', () => {
		const diff = compare(
			'| Data | Kept |\n| :-- | --: |\n| Name | 1 year |\n',
			'| Data | Kept |\n| :-- | --: |\n| Name | 1 year |\n| Region | 18 months |\n'
		);
		const rows = diff[0]!.rows!;
		expect(rows.map((r) => r.change)).toEqual(['same', 'same', 'added']);
		expect(rows[2]!.cells.map((c) => [c.align, marks(c.parts)])).toEqual([
			['left', ['+Region']],
			['right', ['+18 months']]
		]);
	});

	it('reads list items as items of their list, without bullet characters', () => {
		const diff = compare(
			'- your name;\n- your email.\n',
			'- your name;\n- your region;\n- your email.\n'
		);
		expect(diff.map((b) => [b.kind, b.change, b.list, marks(b.parts)])).toEqual([
			['item', 'same', { ordered: false, depth: 0, number: null }, ['=your name;']],
			['item', 'added', { ordered: false, depth: 0, number: null }, ['+your region;']],
			['item', 'same', { ordered: false, depth: 0, number: null }, ['=your email.']]
		]);
	});

	it('does not mark ordered list items renumbered by an insertion above them', () => {
		const diff = compare(
			'1. Read the text.\n2. Confirm.\n   - with the button\n',
			'1. Sign in.\n2. Read the text.\n3. Confirm.\n   - with the button\n'
		);
		expect(diff.map((b) => [b.change, b.list?.number, b.list?.depth, marks(b.parts)])).toEqual([
			['added', 1, 0, ['+Sign in.']],
			['same', 2, 0, ['=Read the text.']],
			['same', 3, 0, ['=Confirm.']],
			['same', null, 1, ['=with the button']]
		]);
	});

	it('keeps bold, italics, code and links on both sides of a change', () => {
		const diff = compare(
			'We keep **your name** and *email* in `orders`, see [terms](https://example.com/t).\n',
			'We keep **your name and region** and *email* in `orders`, see [terms](https://example.com/t2).\n'
		);
		const parts = diff[0]!.parts;
		expect(marks(parts)).toEqual([
			'=We keep your name',
			'+ and region',
			'= and email in orders, see ',
			'-terms',
			'+terms',
			'=.'
		]);
		expect(parts.map((p) => p.html)).toEqual([
			'We keep <strong>your name</strong>',
			'<strong> and region</strong>',
			' and <em>email</em> in <code>orders</code>, see ',
			'<a href="https://example.com/t" rel="noopener noreferrer nofollow" target="_blank">terms</a>',
			'<a href="https://example.com/t2" rel="noopener noreferrer nofollow" target="_blank">terms</a>',
			'.'
		]);
	});

	it('marks a word that only became bold', () => {
		const diff = compare('You can **not** opt out.\n', 'You **cannot** opt out.\n');
		expect(marks(diff[0]!.parts)).toEqual(['=You ', '-can not ', '+cannot ', '=opt out.']);
		expect(diff[0]!.parts[1]!.html).toBe('can <strong>not</strong> ');
	});

	it('shows the author’s strikethrough apart from removed words', () => {
		const diff = compare('Old ~~draft~~ text.\n', 'New ~~draft~~ text.\n');
		expect(html(diff[0]!.parts)).toBe('OldNew <s>draft</s> text.');
	});

	it('leaves anchors out of the words shown twice, removed and added', () => {
		const diff = compare(
			'See <span id="section-a">the old clause</span>.\n',
			'See <span id="section-a">the new clause</span>.\n'
		);
		expect(html(diff[0]!.parts)).toBe(
			'See <span>the </span><span>old</span><span>new</span><span> clause</span>.'
		);
	});

	it('does not mark clauses renumbered by an inserted clause, and marks the inserted one', () => {
		const diff = compare(
			'## 3. Sharing\n\nWe share your name.\n\n## 4. Data\n\nWe keep data.\n\n### 4.1 Retention\n\nOne year.\n',
			'## 3. Sharing\n\nWe share your name.\n\n## 4. Region\n\nWe share your region.\n\n## 5. Data\n\nWe keep data.\n\n### 5.1 Retention\n\nOne year.\n'
		);
		expect(diff.map((b) => [b.kind, b.change, marks(b.parts)])).toEqual([
			['heading', 'same', ['=3. Sharing']],
			['paragraph', 'same', ['=We share your name.']],
			['heading', 'added', ['+4. Region']],
			['paragraph', 'added', ['+We share your region.']],
			['heading', 'same', ['=5. Data']],
			['paragraph', 'same', ['=We keep data.']],
			['heading', 'same', ['=5.1 Retention']],
			['paragraph', 'same', ['=One year.']]
		]);
		expect(diff[4]!.level).toBe(2);
		expect(diff[6]!.level).toBe(3);
		expect(countRuns(diff)).toEqual({ added: 2, removed: 0 });
	});

	it('marks a renumbered clause’s real changes, not its number', () => {
		const diff = compare(
			'## 4. Data we keep\n\nText.\n',
			'## 1. New\n\nNew text here.\n\n## 5. Data we retain\n\nText.\n'
		);
		const heading = diff.find((b) => b.kind === 'heading' && b.change === 'changed')!;
		expect(marks(heading.parts)).toEqual(['=5. Data we ', '-keep', '+retain']);
	});

	it('marks a changed quantity at the start of a clause, which is no clause number', () => {
		const diff = compare('- 1.5 GB of storage.\n', '- 2.5 GB of storage.\n');
		expect(marks(diff[0]!.parts)).toEqual(['-1.5', '+2.5', '= GB of storage.']);
		const numbered = compare('4.1. Kept one year.\n', '4.2. Kept one year.\n');
		expect(numbered.map((b) => b.change)).toEqual(['same']);
	});

	it('reads text outside paragraphs, images and lists in table cells', () => {
		const diff = compare(
			'<div>Loose <b>text</b> in a box<p>A paragraph.</p></div>\n\n<img src="https://example.com/a.png" alt="Old chart">\n\n<table><caption>Old caption of the table</caption><tr><td><ul><li>one</li></ul></td></tr></table>\n',
			'<div>Loose <b>words</b> in a box<p>A paragraph.</p></div>\n\n<img src="https://example.com/b.png" alt="New chart">\n\n<table><caption>New caption of the table</caption><tr><td><ul><li>two</li></ul></td></tr></table>\n'
		);
		expect(diff.map((b) => [b.kind, b.change])).toEqual([
			['paragraph', 'changed'],
			['paragraph', 'same'],
			['paragraph', 'changed'],
			['paragraph', 'changed'],
			['table', 'changed']
		]);
		expect(marks(diff[0]!.parts)).toEqual(['=Loose ', '-text', '+words', '= in a box']);
		expect(marks(diff[2]!.parts)).toEqual(['-Old chart', '+New chart']);
		expect(diff[2]!.parts[1]!.html).toBe('<img src="https://example.com/b.png" alt="New chart">');
		// A table replaced by another still reads row by row; rows with no word in common
		// are one removed and one added row.
		expect(marks(diff[3]!.parts)).toEqual(['-Old', '+New', '= caption of the table']);
		expect(diff[4]!.rows!.map((r) => [r.change, marks(r.cells[0]!.parts)])).toEqual([
			['removed', ['-one']],
			['added', ['+two']]
		]);
	});

	it('keeps the whitespace of code blocks', () => {
		const diff = compare('```\na = 1\nb = 2\n```\n', '```\na = 1\nb = 3\n```\n');
		expect(diff[0]!.kind).toBe('code');
		expect(marks(diff[0]!.parts)).toEqual(['=a = 1\nb = ', '-2', '+3', '=\n']);
	});

	it('has nothing changed for the same text', () => {
		const text = '# T\n\n- one\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quoted\n';
		const diff = compare(text, text);
		expect(changed(diff)).toEqual([]);
		expect(diff.map((b) => b.kind)).toEqual(['heading', 'item', 'table', 'quote']);
	});
});

const { document } = new JSDOM('').window;
const DANGER = 'script, iframe, object, embed, form, style, link, meta, base, svg, math, template';

/** Elements and attributes that could run script or load active content. */
function danger(fragment: string): string[] {
	const body = document.createElement('div');
	body.innerHTML = fragment;
	const found = [...body.querySelectorAll(DANGER)].map((e) => `<${e.tagName}>`);
	for (const element of body.querySelectorAll('*')) {
		for (const { name, value } of Array.from(element.attributes)) {
			// eslint-disable-next-line no-control-regex
			const squeezed = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
			if (/^on|^style$|^srcdoc$/i.test(name)) found.push(`${element.tagName}[${name}]`);
			if (/^(javascript|vbscript|data|livescript):/.test(squeezed)) {
				found.push(`${element.tagName}[${name}=${value}]`);
			}
		}
	}
	return found;
}

function allHtml(blocks: DiffBlock[]): string {
	return blocks
		.map((b) =>
			[b.parts, ...(b.rows ?? []).flatMap((r) => r.cells.map((c) => c.parts))]
				.map((parts) => parts.map((p) => `<ins>${p.html}</ins>`).join(''))
				.join('')
		)
		.join('\n');
}

describe('diffBlocks output is safe', () => {
	it.each(xssPayloads.map((p) => [p.name, p] as const))('%s', (_name, payload) => {
		// The payload added next to ordinary text (removed text goes the same way), and reworded.
		const around = `Ordinary words.\n\n${payload.markdown}\n\nMore words.\n`;
		const diffs = [
			compare('Ordinary words.\n', around),
			compare(around, `Ordinary words.\n\n${payload.markdown} changed\n\nMore words.\n`)
		];
		for (const diff of diffs) expect(danger(allHtml(diff))).toEqual([]);
	});
});
