import { describe, expect, it } from 'vitest';
import { countRuns, diffBlocks } from './diff';
import { renderMarkdown, textBlocks } from './render';

const blocks = (markdown: string) => textBlocks(renderMarkdown(markdown));

describe('diffBlocks', () => {
	it('marks reworded clauses word by word and keeps unchanged ones', () => {
		const from = blocks(
			'## 1. Scope\n\nWe share your name with the partner.\n\n## 2. Retention\n\nKept for one year.\n'
		);
		const to = blocks(
			'## 1. Scope\n\nWe share your name and region with the partner.\n\n## 2. Retention\n\nKept for one year.\n'
		);
		const diff = diffBlocks({ from, to, locale: 'en' });
		expect(diff.map((b) => b.change)).toEqual(['same', 'changed', 'same', 'same']);
		expect(diff[1]!.parts).toEqual([
			{ type: 'same', text: 'We share your name ' },
			{ type: 'added', text: 'and region ' },
			{ type: 'same', text: 'with the partner.' }
		]);
		expect(countRuns(diff)).toEqual({ added: 1, removed: 0 });
	});

	it('shows a new clause as added and a dropped one as removed', () => {
		const from = blocks('## 1. A\n\nAlpha text here.\n\n## 2. B\n\nBeta text here.\n');
		const to = blocks('## 1. A\n\nAlpha text here.\n\n## 3. C\n\nCompletely different words.\n');
		const diff = diffBlocks({ from, to, locale: 'en' });
		const removed = diff.filter((b) => b.change === 'removed').map((b) => b.parts[0]!.text);
		const added = diff.filter((b) => b.change === 'added').map((b) => b.parts[0]!.text);
		expect(removed).toContain('Beta text here.');
		expect(added).toContain('Completely different words.');
	});

	it('diffs Chinese text by words, not whole sentences', () => {
		const from = blocks('我们与合作伙伴共享您的姓名。\n');
		const to = blocks('我们与合作伙伴共享您的姓名和地区。\n');
		const diff = diffBlocks({ from, to, locale: 'zh-CN' });
		expect(diff).toHaveLength(1);
		const added = diff[0]!.parts
			.filter((p) => p.type === 'added')
			.map((p) => p.text)
			.join('');
		expect(added).toContain('地区');
		expect(added.length).toBeLessThan(6);
	});

	it('reads list items, table rows and headings as separate blocks', () => {
		const found = blocks(
			'# T\n\n- one\n- two\n\n1. first\n2. second\n\n| a | b |\n|---|---|\n| 1 | 2 |\n'
		);
		expect(found).toEqual([
			{ kind: 'heading', text: 'T' },
			{ kind: 'item', text: '• one' },
			{ kind: 'item', text: '• two' },
			{ kind: 'item', text: '1. first' },
			{ kind: 'item', text: '2. second' },
			{ kind: 'row', text: 'a | b' },
			{ kind: 'row', text: '1 | 2' }
		]);
	});
});
