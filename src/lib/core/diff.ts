/** Word-level differences between two versions, as published in the diff JSON documents. */
export type DiffPartType = 'same' | 'added' | 'removed';

export interface DiffPart {
	type: DiffPartType;
	text: string;
}

export interface DiffBlock {
	/** heading, paragraph, item, row, code or quote. */
	kind: string;
	change: 'same' | 'added' | 'removed' | 'changed';
	parts: DiffPart[];
}

export interface StatementDiff {
	schema: 'assent.diff/1';
	id: string;
	locale: string;
	from: { version: string; hash: string; title: string };
	to: { version: string; hash: string; title: string; change: string; summary: string | null };
	/** Runs of added and removed words. */
	added: number;
	removed: number;
	blocks: DiffBlock[];
}
