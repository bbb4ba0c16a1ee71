import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import DiffView from './DiffView.svelte';
import type { StatementDiff } from '$lib/core/diff';

const diff: StatementDiff = {
	schema: 'assent.diff/1',
	id: 'terms',
	locale: 'en',
	from: { version: '1.0', hash: 'sha256:' + 'a'.repeat(64), title: 'Terms' },
	to: {
		version: '2.0',
		hash: 'sha256:' + 'b'.repeat(64),
		title: 'Terms',
		change: 'material',
		summary: 'More data.'
	},
	added: 2,
	removed: 1,
	blocks: [
		{ kind: 'heading', change: 'same', parts: [{ type: 'same', text: '1. Scope' }] },
		{
			kind: 'paragraph',
			change: 'changed',
			parts: [
				{ type: 'same', text: 'We share your ' },
				{ type: 'removed', text: 'name' },
				{ type: 'added', text: 'name and region' }
			]
		},
		{ kind: 'paragraph', change: 'added', parts: [{ type: 'added', text: 'A new clause.' }] }
	]
};

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
});
