/**
 * Differences between two versions, as published in the diff JSON documents (`assent.diff/2`):
 * the rendered blocks of the newer version (headings, paragraphs, list items, tables, code,
 * quotations) aligned with the older one's, each changed block marked word by word.
 */
export type DiffPartType = 'same' | 'added' | 'removed';

/** A run of words that is unchanged, added or removed. */
export interface DiffPart {
	type: DiffPartType;
	/** The words as plain text. */
	text: string;
	/**
	 * The same words as sanitized inline HTML, with their formatting (bold, italics, links,
	 * code): safe to insert as it is. Never contains `<ins>` or `<del>`; the run's `type` says.
	 */
	html: string;
}

export type DiffChange = 'same' | 'added' | 'removed' | 'changed';

export interface DiffCell {
	/** A header cell (`<th>`). */
	header: boolean;
	align: 'left' | 'center' | 'right' | null;
	parts: DiffPart[];
}

export interface DiffRow {
	/** In the table's head. */
	head: boolean;
	change: DiffChange;
	cells: DiffCell[];
}

export interface DiffBlock {
	kind: 'heading' | 'paragraph' | 'item' | 'table' | 'code' | 'quote';
	/**
	 * `changed` blocks mark their changed words; `same` blocks show the newer text, which may
	 * differ from the older only in a clause's or list item's number.
	 */
	change: DiffChange;
	/** Empty for tables, whose words are in `rows`. */
	parts: DiffPart[];
	/** Headings: 1 to 6, as in the statement's markdown. */
	level?: number;
	/** List items: the kind of list, its nesting (0 for a top-level list) and the item's number. */
	list?: { ordered: boolean; depth: number; number: number | null };
	/** Tables: every row, the unchanged ones included. */
	rows?: DiffRow[];
}

export interface StatementDiff {
	schema: 'assent.diff/2';
	id: string;
	locale: string;
	from: { version: string; hash: string; title: string };
	to: { version: string; hash: string; title: string; change: string; summary: string | null };
	/** Runs of added and removed words. */
	added: number;
	removed: number;
	blocks: DiffBlock[];
}
