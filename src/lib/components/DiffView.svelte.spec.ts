import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import DiffView from './DiffView.svelte';
import type { DiffBlock, DiffPart, StatementDiff } from '$lib/core/diff';
import { countRuns, diffBlocks } from '$lib/server/content/diff';
import { renderMarkdown } from '$lib/server/content/render';

const same = (text: string, html = text): DiffPart => ({ type: 'same', text, html });
const added = (text: string, html = text): DiffPart => ({ type: 'added', text, html });
const removed = (text: string, html = text): DiffPart => ({ type: 'removed', text, html });

const base: Omit<StatementDiff, 'blocks' | 'added' | 'removed'> = {
	schema: 'assent.diff/2',
	id: 'terms',
	locale: 'en',
	from: { version: '1.0', hash: 'sha256:' + 'a'.repeat(64), title: 'Terms' },
	to: {
		version: '2.0',
		hash: 'sha256:' + 'b'.repeat(64),
		title: 'Terms',
		change: 'material',
		summary: 'More data.'
	}
};

const diff: StatementDiff = {
	...base,
	added: 2,
	removed: 1,
	blocks: [
		{ kind: 'heading', level: 2, change: 'same', parts: [same('1. Scope')] },
		{
			kind: 'paragraph',
			change: 'changed',
			parts: [same('We share your '), removed('name'), added('name and region')]
		},
		{ kind: 'paragraph', change: 'added', parts: [added('A new clause.')] }
	]
};

/** The comparison the site would publish for two markdown texts. */
function compare(from: string, to: string): StatementDiff {
	const blocks = diffBlocks({ from: renderMarkdown(from), to: renderMarkdown(to), locale: 'en' });
	return { ...base, ...countRuns(blocks), blocks };
}

describe('DiffView', () => {
	it('marks additions and removals in a way screen readers announce', () => {
		render(DiffView, { diff });
		const ins = screen.getByTestId('diff').querySelectorAll('ins');
		const del = screen.getByTestId('diff').querySelectorAll('del');
		expect([...ins].map((e) => e.textContent)).toEqual([
			'[added: name and region]',
			'[added: A new clause.]'
		]);
		expect([...del].map((e) => e.textContent)).toEqual(['[removed: name]']);
		expect(screen.getByText('New paragraph:')).toBeInTheDocument();
		expect(screen.getByText(/2 additions, 1 removal\./)).toBeInTheDocument();
		expect(screen.getByTestId('diff')).toHaveAttribute('lang', 'en');
	});

	it('shows the statement’s headings as headings below the comparison’s own', () => {
		const { container } = render(DiffView, { diff });
		const heading = within(container).getByRole('heading', { name: '1. Scope' });
		expect(heading.tagName).toBe('H3');
	});

	it('can show the changed parts only', () => {
		const { container } = render(DiffView, { diff, onlyChanges: true });
		expect(container.querySelectorAll('.block')).toHaveLength(2);
		expect(container.textContent).not.toContain('1. Scope');
	});

	it('says so when nothing changed', () => {
		render(DiffView, { diff: { ...diff, added: 0, removed: 0, blocks: [] } });
		expect(screen.getByText('The two versions have the same text.')).toBeInTheDocument();
	});

	it('speaks the language of the compared text around it', () => {
		const { container } = render(DiffView, { diff: { ...diff, locale: 'zh-CN' } });
		const ins = container.querySelectorAll('[data-testid=diff] ins');
		expect([...ins].map((e) => e.textContent)).toEqual([
			'[新增: name and region]',
			'[新增: A new clause.]'
		]);
		expect(container.textContent).toContain('新增段落：');
		expect(container.querySelector('.legend')?.textContent).toContain('共 2 处新增，1 处删除。');
		// Chinese punctuation between the legend's parts, not an English comma and full stop.
		expect(container.querySelector('.legend')?.textContent).toContain(
			'新增的文字（下划线，绿色），删除的文字（删除线，红色）。'
		);
		expect(container.textContent).not.toContain('additions');
	});

	it('shows a changed table as a table, the changed words marked inside their cell', () => {
		const { container } = render(DiffView, {
			diff: compare(
				'| Item | Kept |\n| --- | --- |\n| Orders | 24 months |\n| Name | 1 year |\n',
				'| Item | Kept |\n| --- | --- |\n| Orders | 18 months |\n| Name | 1 year |\n| Region | 18 months |\n'
			)
		});
		const table = container.querySelector('[data-testid=diff] table')!;
		expect(table).not.toBeNull();
		expect([...table.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual([
			'Item',
			'Kept'
		]);
		const rows = [...table.querySelectorAll('tbody tr')];
		expect(rows).toHaveLength(3);
		const cells = rows[0]!.querySelectorAll('td');
		expect(cells[0]!.textContent).toBe('Orders');
		expect(cells[0]!.querySelector('ins, del')).toBeNull();
		expect(cells[1]!.querySelector('del')?.textContent).toBe('[removed: 24]');
		expect(cells[1]!.querySelector('ins')?.textContent).toBe('[added: 18]');
		expect(rows[1]!.querySelector('ins, del')).toBeNull();
		// The new row: every cell marked, and announced as a new row.
		expect(
			[...rows[2]!.querySelectorAll('td')].map((td) => td.querySelector('ins')?.textContent)
		).toEqual(['[added: Region]', '[added: 18 months]']);
		expect(rows[2]!.textContent).toContain('New table row:');
		expect(container.textContent).not.toContain('|');
	});

	it('keeps the head of a table and its changed rows when only changes are shown', () => {
		const { container } = render(DiffView, {
			diff: compare(
				'| Item | Kept |\n| --- | --- |\n| Orders | 24 months |\n| Name | 1 year |\n',
				'| Item | Kept |\n| --- | --- |\n| Orders | 18 months |\n| Name | 1 year |\n'
			),
			onlyChanges: true
		});
		const rows = [...container.querySelectorAll('table tr')];
		expect(rows.map((r) => r.querySelector('th, td')?.textContent)).toEqual(['Item', 'Orders']);
	});

	it('shows list items as a list, numbered as in the newer version, and keeps formatting', () => {
		const { container } = render(DiffView, {
			diff: compare(
				'1. First **step**.\n2. Second, see [our page](https://example.com/a).\n',
				'1. Zero.\n2. First **step**.\n3. Second, see [our page](https://example.com/a).\n'
			)
		});
		const list = container.querySelector('[data-testid=diff] ol')!;
		const items = [...list.querySelectorAll(':scope > li')];
		expect(items.map((li) => li.getAttribute('value'))).toEqual(['1', '2', '3']);
		expect(items[0]!.querySelector('ins')?.textContent).toBe('[added: Zero.]');
		expect(items[1]!.querySelector('strong')?.textContent).toBe('step');
		expect(items[1]!.querySelector('ins, del')).toBeNull();
		const link = items[2]!.querySelector('a')!;
		expect(link.getAttribute('href')).toBe('https://example.com/a');
		expect(link.textContent).toBe('our page');
		expect(container.querySelector('[data-testid=diff]')!.textContent).not.toContain('•');
	});

	it('keeps bold and links on both sides of a change', () => {
		const { container } = render(DiffView, {
			diff: compare(
				'We keep **your name** for a year, see [terms](https://example.com/t).\n',
				'We keep **your name and region** for a year, see [terms](https://example.com/t2).\n'
			)
		});
		const paragraph = container.querySelector('[data-testid=diff] p')!;
		expect(paragraph.querySelector('ins strong')?.textContent).toBe(' and region');
		expect([...paragraph.querySelectorAll('strong')].map((s) => s.textContent)).toEqual([
			'your name',
			' and region'
		]);
		expect(paragraph.querySelector('del a')?.getAttribute('href')).toBe('https://example.com/t');
		expect(paragraph.querySelector('ins a')?.getAttribute('href')).toBe('https://example.com/t2');
	});

	it('keeps the lines of a changed code block', () => {
		const code: DiffBlock = {
			kind: 'code',
			change: 'changed',
			parts: [same('a = 1\n'), removed('b'), added('c'), same(' = 2')]
		};
		const { container } = render(DiffView, {
			diff: { ...base, added: 1, removed: 1, blocks: [code] }
		});
		const pre = container.querySelector('[data-testid=diff] pre')!;
		expect(pre.textContent).toBe('a = 1\n[removed: b][added: c] = 2');
	});
});
