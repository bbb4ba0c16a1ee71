import { diffArrays, diffWords } from 'diff';
import type { DiffBlock, DiffPart } from '../core/diff';
import type { TextBlock } from './render';

/**
 * Aligns two versions block by block, then diffs changed blocks word by word, so a reworded
 * clause reads as one paragraph with its insertions and deletions marked.
 */
export function diffBlocks(options: {
	from: TextBlock[];
	to: TextBlock[];
	locale: string;
}): DiffBlock[] {
	const segmenter = new Intl.Segmenter(options.locale, { granularity: 'word' });
	const changes = diffArrays(options.from, options.to, {
		comparator: (a, b) => a.kind === b.kind && a.text === b.text
	});
	const blocks: DiffBlock[] = [];
	let removed: TextBlock[] = [];
	let added: TextBlock[] = [];
	const flush = (): void => {
		blocks.push(...pairUp({ removed, added, segmenter }));
		removed = [];
		added = [];
	};
	for (const change of changes) {
		if (change.removed) removed.push(...change.value);
		else if (change.added) added.push(...change.value);
		else {
			flush();
			for (const block of change.value) {
				blocks.push({
					kind: block.kind,
					change: 'same',
					parts: [{ type: 'same', text: block.text }]
				});
			}
		}
	}
	flush();
	return blocks;
}

function pairUp(options: {
	removed: TextBlock[];
	added: TextBlock[];
	segmenter: Intl.Segmenter;
}): DiffBlock[] {
	const { removed, added, segmenter } = options;
	const out: DiffBlock[] = [];
	let next = 0;
	for (const old of removed) {
		let match = -1;
		for (let k = next; k < added.length; k++) {
			if (added[k]!.kind === old.kind && similarity(old.text, added[k]!.text, segmenter) >= 0.35) {
				match = k;
				break;
			}
		}
		if (match === -1) {
			out.push({ kind: old.kind, change: 'removed', parts: [{ type: 'removed', text: old.text }] });
			continue;
		}
		for (; next < match; next++) {
			const fresh = added[next]!;
			out.push({ kind: fresh.kind, change: 'added', parts: [{ type: 'added', text: fresh.text }] });
		}
		const fresh = added[match]!;
		out.push({
			kind: fresh.kind,
			change: 'changed',
			parts: wordDiff(old.text, fresh.text, segmenter)
		});
		next = match + 1;
	}
	for (; next < added.length; next++) {
		const fresh = added[next]!;
		out.push({ kind: fresh.kind, change: 'added', parts: [{ type: 'added', text: fresh.text }] });
	}
	return out;
}

function wordDiff(from: string, to: string, segmenter: Intl.Segmenter): DiffPart[] {
	const parts: DiffPart[] = [];
	for (const change of diffWords(from, to, { intlSegmenter: segmenter })) {
		const type = change.added ? 'added' : change.removed ? 'removed' : 'same';
		const last = parts[parts.length - 1];
		if (last && last.type === type) last.text += change.value;
		else parts.push({ type, text: change.value });
	}
	return parts;
}

function words(text: string, segmenter: Intl.Segmenter): Set<string> {
	const set = new Set<string>();
	for (const segment of segmenter.segment(text.toLowerCase())) {
		if (segment.isWordLike) set.add(segment.segment);
	}
	return set;
}

/** Shared words over all words (Jaccard), which is enough to tell a reworded clause from a new one. */
function similarity(a: string, b: string, segmenter: Intl.Segmenter): number {
	const left = words(a, segmenter);
	const right = words(b, segmenter);
	if (left.size === 0 && right.size === 0) return 1;
	let shared = 0;
	for (const word of left) if (right.has(word)) shared++;
	return shared / (left.size + right.size - shared);
}

export function countRuns(blocks: DiffBlock[]): { added: number; removed: number } {
	let added = 0;
	let removed = 0;
	for (const block of blocks) {
		for (const part of block.parts) {
			if (part.type === 'added' && part.text.trim()) added++;
			if (part.type === 'removed' && part.text.trim()) removed++;
		}
	}
	return { added, removed };
}
