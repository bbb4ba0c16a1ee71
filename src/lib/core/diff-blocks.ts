import { diffArrays } from 'diff';
import type { DiffBlock, DiffCell, DiffChange, DiffPart, DiffRow, StatementDiff } from './diff';

/*
 * Compares two versions' published HTML (already sanitized), block by block: headings,
 * paragraphs, list items, table rows and cells. Blocks are aligned on their text without a
 * leading clause number, so a clause renumbered because another was inserted is not a change;
 * then paired changed blocks are compared word by word, formatting included. The same code runs
 * at build time (jsdom, for the diff documents the site publishes) and in the browser (for any
 * other pair the comparison page is asked for): each passes its document and sanitizer.
 */

/** What the comparison works with: a DOM document, and the sanitizer of statement HTML. */
export interface DiffEnvironment {
	document: Document;
	sanitize: (html: string) => string;
}

let document: Document;
let sanitizeHtml: (html: string) => string;

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

/** A character of a block's text, with the inline elements (bold, link, …) it sits in. */
interface Char {
	c: string;
	frames: Element[];
	/** An image or line break, which `c` stands in for. */
	object?: Element;
}

/** A word, space or punctuation, in one formatting. */
interface Token {
	chars: Char[];
	key: string;
}

interface Source {
	kind: DiffBlock['kind'];
	level?: number;
	list?: { ordered: boolean; depth: number; number: number | null };
	/** Leading clause number ("4. ", "2.1 ") and the text after it. */
	number: Token[];
	tokens: Token[];
	rows?: SourceRow[];
	/** What alignment compares: the kind and the words with their formatting, number left out. */
	key: string;
	/** The words without the number, for similarity. */
	plain: string;
}

interface SourceRow {
	head: boolean;
	cells: { header: boolean; align: DiffCell['align']; tokens: Token[] }[];
	key: string;
	plain: string;
}

const VOID = new Set(['BR', 'IMG', 'WBR']);
const BLOCK = new Set([
	'ADDRESS',
	'ARTICLE',
	'ASIDE',
	'BLOCKQUOTE',
	'DD',
	'DETAILS',
	'DIV',
	'DL',
	'DT',
	'FIGCAPTION',
	'FIGURE',
	'FOOTER',
	'H1',
	'H2',
	'H3',
	'H4',
	'H5',
	'H6',
	'HEADER',
	'HR',
	'LI',
	'MAIN',
	'NAV',
	'OL',
	'P',
	'PRE',
	'SECTION',
	'SUMMARY',
	'TABLE',
	'UL'
]);
/** "4. ", "4.2. ", "4) ", "IV. ", "(b) ": a clause's number, which an insertion above changes. */
const CLAUSE_NUMBER = /^\(?(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.)]\s+/i;
/** Headings also number as "4.2 Retention"; in a paragraph "1.5 GB" is a quantity. */
const HEADING_NUMBER = /^(?:\(?(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.)]|\d+(?:\.\d+)+)\s+/i;

/**
 * The comparison of two versions' sanitized HTML, block by block and word by word.
 * Synchronous, so the environment set here is the one the whole comparison uses.
 */
export function diffBlocks(
	environment: DiffEnvironment,
	options: { from: string; to: string; locale: string }
): DiffBlock[] {
	if (environment.document !== document) parsed.clear();
	document = environment.document;
	sanitizeHtml = environment.sanitize;
	const segmenter = new Intl.Segmenter(options.locale, { granularity: 'word' });
	const from = sources(options.from, segmenter);
	const to = sources(options.to, segmenter);
	const out: DiffBlock[] = [];
	for (const step of align(from, to)) {
		if (step.old && step.fresh) out.push(changedBlock(step.old, step.fresh));
		else if (step.fresh) out.push(wholeBlock(step.fresh, 'added'));
		else if (step.old) out.push(wholeBlock(step.old, 'removed'));
	}
	return out;
}

interface Step<T> {
	old?: T;
	fresh?: T;
}

/**
 * Aligns equal items, then pairs the removed and added items between them that share enough
 * words: a reworded clause is one changed clause, not one removed and one added.
 */
function align<T extends { key: string; plain: string; kind?: string }>(
	from: T[],
	to: T[]
): Step<T>[] {
	const steps: Step<T>[] = [];
	let i = 0;
	let j = 0;
	let removed: T[] = [];
	let added: T[] = [];
	const flush = (): void => {
		steps.push(...pairUp(removed, added));
		removed = [];
		added = [];
	};
	const changes = diffArrays(
		from.map((s) => s.key),
		to.map((s) => s.key)
	);
	for (const change of changes) {
		const count = change.value.length;
		if (change.removed) {
			removed.push(...from.slice(i, i + count));
			i += count;
		} else if (change.added) {
			added.push(...to.slice(j, j + count));
			j += count;
		} else {
			flush();
			for (let k = 0; k < count; k++) steps.push({ old: from[i + k]!, fresh: to[j + k]! });
			i += count;
			j += count;
		}
	}
	flush();
	return steps;
}

function pairUp<T extends { plain: string; kind?: string }>(removed: T[], added: T[]): Step<T>[] {
	const out: Step<T>[] = [];
	let next = 0;
	for (const old of removed) {
		let match = -1;
		for (let k = next; k < added.length; k++) {
			// Tables pair up whatever their words: their rows are aligned in turn.
			const threshold = old.kind === 'table' ? 0 : 0.35;
			if (added[k]!.kind === old.kind && similarity(old.plain, added[k]!.plain) >= threshold) {
				match = k;
				break;
			}
		}
		if (match === -1) {
			out.push({ old });
			continue;
		}
		for (; next < match; next++) out.push({ fresh: added[next]! });
		out.push({ old, fresh: added[match]! });
		next = match + 1;
	}
	for (; next < added.length; next++) out.push({ fresh: added[next]! });
	return out;
}

/** Shared words over all words (Jaccard), which is enough to tell a reworded clause from a new one. */
function similarity(a: string, b: string): number {
	const words = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
	const left = words(a);
	const right = words(b);
	// Chinese and Japanese run words together: compare characters instead.
	const chars = (text: string) => new Set(text.replace(/[\s\p{P}]/gu, ''));
	const cjk = /\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}/u.test(a + b);
	const [l, r] = cjk ? [chars(a), chars(b)] : [left, right];
	if (l.size === 0 && r.size === 0) return 1;
	let shared = 0;
	for (const word of l) if (r.has(word)) shared++;
	return shared / (l.size + r.size - shared);
}

function wholeBlock(source: Source, change: 'added' | 'removed'): DiffBlock {
	const block = blockShape(source, change);
	if (source.rows) {
		block.rows = source.rows.map((row) => ({
			head: row.head,
			change,
			cells: row.cells.map((cell) => ({
				header: cell.header,
				align: cell.align,
				parts: runParts(change, cell.tokens)
			}))
		}));
	} else {
		block.parts = runParts(change, [...source.number, ...source.tokens]);
	}
	return block;
}

function changedBlock(old: Source, fresh: Source): DiffBlock {
	const same = old.key === fresh.key;
	const block = blockShape(fresh, same ? 'same' : 'changed');
	if (fresh.rows) {
		block.rows = align(old.rows ?? [], fresh.rows).map((step) => diffRow(step));
		if (block.rows.every((row) => row.change === 'same')) block.change = 'same';
	} else {
		// The newer number, unmarked: renumbering is not a change of the clause.
		block.parts = [
			...runParts('same', fresh.number),
			...(same ? runParts('same', fresh.tokens) : wordDiff(old.tokens, fresh.tokens))
		];
		mergeParts(block.parts);
	}
	return block;
}

function diffRow(step: Step<SourceRow>): DiffRow {
	const { old, fresh } = step;
	const change: DiffChange =
		old && fresh ? (old.key === fresh.key ? 'same' : 'changed') : fresh ? 'added' : 'removed';
	const newest = (fresh ?? old)!;
	const cells: DiffCell[] = [];
	const count = Math.max(old?.cells.length ?? 0, fresh?.cells.length ?? 0);
	for (let k = 0; k < count; k++) {
		const a = old?.cells[k];
		const b = fresh?.cells[k];
		const shape = (b ?? a)!;
		const parts =
			a && b ? wordDiff(a.tokens, b.tokens) : runParts(b ? 'added' : 'removed', shape.tokens);
		cells.push({ header: shape.header, align: shape.align, parts });
	}
	return { head: newest.head, change, cells };
}

function blockShape(source: Source, change: DiffChange): DiffBlock {
	const block: DiffBlock = { kind: source.kind, change, parts: [] };
	if (source.level) block.level = source.level;
	if (source.list) block.list = { ...source.list };
	return block;
}

/** Word by word: runs of removed words before the added words that replace them. */
function wordDiff(from: Token[], to: Token[]): DiffPart[] {
	const changes = diffArrays(
		from.map((t) => t.key),
		to.map((t) => t.key)
	);
	// Runs of old and new tokens; unchanged runs of only spaces and punctuation between two
	// changes join the change, so "24 months" → "18 months, then" reads as whole words.
	type Run = { type: 'same' | 'added' | 'removed'; old: Token[]; fresh: Token[] };
	const runs: Run[] = [];
	let i = 0;
	let j = 0;
	for (const change of changes) {
		const count = change.value.length;
		if (change.removed) {
			runs.push({ type: 'removed', old: from.slice(i, i + count), fresh: [] });
			i += count;
		} else if (change.added) {
			runs.push({ type: 'added', old: [], fresh: to.slice(j, j + count) });
			j += count;
		} else {
			runs.push({ type: 'same', old: from.slice(i, i + count), fresh: to.slice(j, j + count) });
			i += count;
			j += count;
		}
	}
	const parts: DiffPart[] = [];
	let old: Token[] = [];
	let fresh: Token[] = [];
	const flush = (): void => {
		parts.push(...runParts('removed', old), ...runParts('added', fresh));
		old = [];
		fresh = [];
	};
	runs.forEach((run, k) => {
		const between = k > 0 && k < runs.length - 1;
		if (run.type === 'same' && !(between && trivial(run.fresh))) {
			flush();
			parts.push(...runParts('same', run.fresh));
		} else {
			old.push(...run.old);
			fresh.push(...run.fresh);
		}
	});
	flush();
	return mergeParts(parts);
}

function trivial(tokens: Token[]): boolean {
	return tokens.every((t) => !/[\p{L}\p{N}]/u.test(t.chars.map((c) => c.c).join('')));
}

function mergeParts(parts: DiffPart[]): DiffPart[] {
	for (let k = parts.length - 1; k > 0; k--) {
		const a = parts[k - 1]!;
		const b = parts[k]!;
		if (a.type === b.type) {
			a.text += b.text;
			a.html += b.html;
			parts.splice(k, 1);
		}
	}
	return parts;
}

function runParts(type: DiffPart['type'], tokens: Token[]): DiffPart[] {
	const chars = tokens.flatMap((t) => t.chars);
	if (chars.length === 0) return [];
	return [{ type, text: plainText(chars), html: inlineHtml(chars) }];
}

function plainText(chars: Char[]): string {
	return chars
		.map((c) =>
			c.object ? (c.object.tagName === 'IMG' ? (c.object.getAttribute('alt') ?? '') : ' ') : c.c
		)
		.join('');
}

/**
 * The inline HTML of a run of characters: the elements they sit in are shallow copies of the
 * sanitized source's, text is escaped by the DOM, and the result is sanitized once more.
 */
function inlineHtml(chars: Char[]): string {
	if (chars.every((c) => c.frames.length === 0 && !c.object)) return escapeText(plainText(chars));
	const root = document.createElement('div');
	const open: { source: Element; copy: Element }[] = [];
	let text = '';
	const parent = (): Element => open[open.length - 1]?.copy ?? root;
	const flushText = (): void => {
		if (text) parent().append(document.createTextNode(text));
		text = '';
	};
	for (const char of chars) {
		let shared = 0;
		while (shared < open.length && open[shared]!.source === char.frames[shared]) shared++;
		if (shared < open.length || char.frames.length > open.length) flushText();
		open.length = shared;
		for (const source of char.frames.slice(shared)) {
			const copy = shallowCopy(source);
			parent().append(copy);
			open.push({ source, copy });
		}
		if (char.object) {
			flushText();
			parent().append(shallowCopy(char.object));
		} else {
			text += char.c;
		}
	}
	flushText();
	return sanitizeHtml(root.innerHTML);
}

/**
 * A copy of an inline element without its children or anchors (the same words can show twice,
 * removed and added, and ids must stay unique); authors' strikethrough becomes `<s>`.
 */
function shallowCopy(element: Element): Element {
	let copy: Element;
	if (element.tagName !== 'DEL' && element.tagName !== 'INS') {
		copy = element.cloneNode(false) as Element;
	} else {
		// The comparison's own marks are `<ins>` and `<del>`: the author's read differently.
		copy = document.createElement(element.tagName === 'DEL' ? 's' : 'u');
		for (const attribute of Array.from(element.attributes)) {
			copy.setAttribute(attribute.name, attribute.value);
		}
	}
	copy.removeAttribute('id');
	copy.removeAttribute('name');
	return copy;
}

function escapeText(text: string): string {
	return text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

/* Reading the blocks of sanitized HTML. */

const parsed = new Map<string, Source[]>();

function sources(html: string, segmenter: Intl.Segmenter): Source[] {
	const cacheKey = `${segmenter.resolvedOptions().locale}\n${html}`;
	const cached = parsed.get(cacheKey);
	if (cached) return cached;
	const container = document.createElement('div');
	container.innerHTML = html;
	const out: Source[] = [];
	readBlocks(container, { quote: false, segmenter, out });
	// Each version is compared with its neighbours and the newest: read each once per build.
	if (parsed.size > 200) parsed.clear();
	parsed.set(cacheKey, out);
	return out;
}

interface ReadState {
	quote: boolean;
	segmenter: Intl.Segmenter;
	out: Source[];
}

function readBlocks(element: Element, state: ReadState): void {
	// Text and inline elements outside any paragraph (an author's raw HTML) read as a paragraph.
	let loose: Node[] = [];
	const paragraph = (nodes: Node[]): void =>
		push(state, { kind: state.quote ? 'quote' : 'paragraph' }, chars(nodes, false));
	const flush = (): void => {
		paragraph(loose);
		loose = [];
	};
	for (const node of Array.from(element.childNodes)) {
		if (node.nodeType === TEXT_NODE) {
			loose.push(node);
			continue;
		}
		if (node.nodeType !== ELEMENT_NODE) continue;
		const child = node as Element;
		const tag = child.tagName;
		if (!BLOCK.has(tag)) {
			loose.push(child);
			continue;
		}
		flush();
		if (/^H[1-6]$/.test(tag)) {
			push(state, { kind: 'heading', level: Number(tag[1]) }, chars(inside(child), false));
		} else if (tag === 'UL' || tag === 'OL') {
			readList(child, 0, state);
		} else if (tag === 'TABLE') {
			readTable(child, state);
		} else if (tag === 'PRE') {
			push(state, { kind: 'code' }, chars(inside(child), true));
		} else if (tag === 'BLOCKQUOTE') {
			readBlocks(child, { ...state, quote: true });
		} else if (tag === 'HR') {
			continue;
		} else if (tag !== 'P' && hasBlocks(child)) {
			readBlocks(child, state);
		} else {
			paragraph(inside(child));
		}
	}
	flush();
}

function inside(element: Element): Node[] {
	return Array.from(element.childNodes);
}

function hasBlocks(element: Element): boolean {
	return Array.from(element.children).some((c) => BLOCK.has(c.tagName));
}

function readList(list: Element, depth: number, state: ReadState): void {
	const ordered = list.tagName === 'OL';
	let number = Number(list.getAttribute('start') ?? '1');
	if (!Number.isFinite(number)) number = 1;
	for (const item of Array.from(list.children)) {
		if (item.tagName !== 'LI') continue;
		push(
			state,
			{ kind: 'item', list: { ordered, depth, number: ordered ? number : null } },
			chars(inside(item), false, true)
		);
		number++;
		for (const nested of Array.from(item.querySelectorAll(':scope > ul, :scope > ol'))) {
			readList(nested, depth + 1, state);
		}
	}
}

function readTable(table: Element, state: ReadState): void {
	// An author's caption reads as the paragraph before its table.
	const caption = Array.from(table.children).find((c) => c.tagName === 'CAPTION');
	if (caption) push(state, { kind: 'paragraph' }, chars(inside(caption), false));
	const rows: SourceRow[] = [];
	for (const row of Array.from(table.querySelectorAll('tr'))) {
		if (row.closest('table') !== table) continue;
		const cells = Array.from(row.children)
			.filter((c) => c.tagName === 'TD' || c.tagName === 'TH')
			.map((cell): SourceRow['cells'][number] => {
				const align = (cell.getAttribute('align') ?? '').toLowerCase();
				return {
					header: cell.tagName === 'TH',
					align: align === 'left' || align === 'center' || align === 'right' ? align : null,
					tokens: tokens(chars(inside(cell), false), state.segmenter)
				};
			});
		const head = row.parentElement?.tagName === 'THEAD';
		rows.push({
			head,
			cells,
			key: `${head ? 'h' : 'b'}\u0001${cells.map((c) => keyOf(c.tokens)).join('\u0001')}`,
			plain: cells.map((c) => textOf(c.tokens)).join(' ')
		});
	}
	if (rows.length === 0) return;
	state.out.push({
		kind: 'table',
		number: [],
		tokens: [],
		rows,
		key: `table\u0002${rows.map((r) => r.key).join('\u0002')}`,
		plain: rows.map((r) => r.plain).join(' ')
	});
}

function push(
	state: ReadState,
	shape: Pick<Source, 'kind' | 'level' | 'list'>,
	text: Char[]
): void {
	if (!text.some((c) => c.object || c.c.trim())) return;
	const all = tokens(text, state.segmenter);
	const pattern = shape.kind === 'heading' ? HEADING_NUMBER : CLAUSE_NUMBER;
	const match = shape.kind === 'code' ? null : pattern.exec(textOf(all));
	let split = 0;
	if (match) {
		// The number ends on a token boundary: "4." "4" "." " " are tokens of their own.
		let length = 0;
		while (split < all.length && length < match[0].length) length += all[split++]!.chars.length;
		if (length !== match[0].length) split = 0;
	}
	const rest = all.slice(split);
	state.out.push({
		...shape,
		number: all.slice(0, split),
		tokens: rest,
		key: `${shape.kind}${shape.level ?? ''}${shape.list ? `:${shape.list.depth}` : ''}\u0002${keyOf(rest)}`,
		plain: textOf(rest)
	});
}

function keyOf(tokens: Token[]): string {
	return tokens.map((t) => t.key).join('\u0003');
}

function textOf(tokens: Token[]): string {
	return tokens.map((t) => t.chars.map((c) => c.c).join('')).join('');
}

/**
 * The characters of a block, whitespace collapsed as a browser shows it (kept in code). A list
 * item's nested lists are items of their own, left out here.
 */
function chars(nodes: Node[], pre: boolean, item = false): Char[] {
	const out: Char[] = [];
	const space = (): void => {
		if (out.length > 0 && out[out.length - 1]!.c !== ' ') out.push({ c: ' ', frames: [] });
	};
	const walk = (children: Node[], frames: Element[]): void => {
		for (const child of children) {
			if (child.nodeType === TEXT_NODE) {
				const text = child.textContent ?? '';
				// UTF-16 units, as the word segmenter counts.
				for (let k = 0; k < text.length; k++) {
					const c = text[k]!;
					if (!pre && /\s/.test(c)) {
						if (out.length > 0 && out[out.length - 1]!.c !== ' ') out.push({ c: ' ', frames });
					} else {
						out.push({ c, frames });
					}
				}
			} else if (child.nodeType === ELEMENT_NODE) {
				const element = child as Element;
				if (item && (element.tagName === 'UL' || element.tagName === 'OL')) continue;
				if (VOID.has(element.tagName)) {
					out.push({ c: '\uFFFC', frames, object: element });
				} else if (BLOCK.has(element.tagName)) {
					// A loose list item's paragraphs: one block, a space between them.
					space();
					walk(inside(element), frames);
					space();
				} else {
					walk(inside(element), [...frames, element]);
				}
			}
		}
	};
	walk(nodes, []);
	if (!pre) {
		while (out.length > 0 && out[out.length - 1]!.c === ' ') out.pop();
	}
	return out;
}

/** Words, spaces and punctuation (by the locale's word rules), each in one formatting. */
function tokens(text: Char[], segmenter: Intl.Segmenter): Token[] {
	const out: Token[] = [];
	let start = 0;
	while (start < text.length) {
		let end = start + 1;
		const signature = signatureOf(text[start]!);
		while (
			end < text.length &&
			!text[end]!.object &&
			!text[start]!.object &&
			signatureOf(text[end]!) === signature
		)
			end++;
		const run = text.slice(start, end);
		const string = run.map((c) => c.c).join('');
		let offset = 0;
		for (const segment of segmenter.segment(string)) {
			const length = segment.segment.length;
			out.push({
				chars: run.slice(offset, offset + length),
				key: `${segment.segment}\u0004${signature}`
			});
			offset += length;
		}
		start = end;
	}
	return out;
}

const signatures = new WeakMap<Element[], string>();

/** What a character's formatting is compared by: the elements, links' targets, images. */
function signatureOf(char: Char): string {
	if (char.object) return describe(char.object);
	let signature = signatures.get(char.frames);
	if (signature === undefined) {
		signature = char.frames.map(describe).join('>');
		signatures.set(char.frames, signature);
	}
	return signature;
}

function describe(element: Element): string {
	const attributes = ['href', 'src', 'alt', 'title']
		.map((name) => (element.hasAttribute(name) ? `${name}=${element.getAttribute(name)}` : ''))
		.join(' ');
	return `${element.tagName}${attributes.trim() ? ` ${attributes}` : ''}`;
}

export function countRuns(blocks: DiffBlock[]): { added: number; removed: number } {
	let added = 0;
	let removed = 0;
	const count = (parts: DiffPart[]): void => {
		for (const part of parts) {
			if (part.type === 'added' && part.text.trim()) added++;
			if (part.type === 'removed' && part.text.trim()) removed++;
		}
	};
	for (const block of blocks) {
		count(block.parts);
		for (const row of block.rows ?? []) for (const cell of row.cells) count(cell.parts);
	}
	return { added, removed };
}

/** One version of a statement in one locale, as its version document publishes it. */
export interface DiffSide {
	version: string;
	hash: string;
	title: string;
	change: string;
	summary: string | null;
	html: string;
}

/** The diff document (`assent.diff/2`) of two versions of a statement in one locale. */
export function statementDiff(
	environment: DiffEnvironment,
	options: { id: string; locale: string; from: DiffSide; to: DiffSide }
): StatementDiff {
	const { id, locale, from, to } = options;
	const blocks = diffBlocks(environment, { from: from.html, to: to.html, locale });
	return {
		schema: 'assent.diff/2',
		id,
		locale,
		from: { version: from.version, hash: from.hash, title: from.title },
		to: {
			version: to.version,
			hash: to.hash,
			title: to.title,
			change: to.change,
			summary: to.summary
		},
		...countRuns(blocks),
		blocks
	};
}
