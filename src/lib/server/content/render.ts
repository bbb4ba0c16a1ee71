import { Marked } from 'marked';
import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';

/** The prefix of the heading anchors the renderer makes; the only ids statement HTML keeps. */
const HEADING_PREFIX = 'section-';

/** Only web links, mail and phone links, and links without a scheme (relative, fragment). */
const ALLOWED_URI = /^(?:(?:https?|mailto|tel):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;
const URI_ATTRIBUTES = new Set([
	'href',
	'src',
	'xlink:href',
	'action',
	'formaction',
	'cite',
	'poster'
]);

/** Adds the statement rules that DOMPurify's configuration cannot say to a sanitizer. */
function statementPolicy(purify: ReturnType<typeof createDOMPurify>): void {
	purify.addHook('uponSanitizeAttribute', (node, data) => {
		const name = data.attrName.toLowerCase();
		if (URI_ATTRIBUTES.has(name)) {
			// DOMPurify lets data: URLs through on images; statements never need them.
			// eslint-disable-next-line no-control-regex
			const squeezed = data.attrValue.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
			if (/^data:/i.test(squeezed)) data.keepAttr = false;
		}
		if ((name === 'id' || name === 'name') && !data.attrValue.startsWith(HEADING_PREFIX)) {
			// Author-written ids could collide with the page's own landmarks and anchors.
			data.keepAttr = false;
		}
	});

	purify.addHook('afterSanitizeAttributes', (node) => {
		if (node.nodeName === 'A') {
			const href = node.getAttribute('href') ?? '';
			node.removeAttribute('target');
			if (/^https?:/i.test(href)) {
				node.setAttribute('target', '_blank');
				node.setAttribute('rel', 'noopener noreferrer nofollow');
			} else if (href) {
				node.setAttribute('rel', 'noopener noreferrer');
			}
		}
	});
}

const SANITIZE_CONFIG = {
	USE_PROFILES: { html: true },
	FORBID_TAGS: [
		'style',
		'form',
		'input',
		'button',
		'select',
		'option',
		'textarea',
		'iframe',
		'frame',
		'frameset',
		'object',
		'embed',
		'base',
		'link',
		'meta',
		'template',
		'dialog',
		'video',
		'audio',
		'source',
		'track',
		'picture',
		'noscript',
		'marquee'
	],
	FORBID_ATTR: ['style', 'srcset', 'action', 'formaction', 'ping', 'background', 'class'],
	ALLOW_DATA_ATTR: false,
	ALLOWED_URI_REGEXP: ALLOWED_URI
};

/** The one markdown renderer of the project: statements are rendered here and nowhere else. */
const marked = new Marked({
	gfm: true,
	breaks: false,
	renderer: {
		heading({ tokens, depth }) {
			const inner = this.parser.parseInline(tokens);
			const id = headingId(inner);
			return `<h${depth}${id ? ` id="${id}"` : ''}>${inner}</h${depth}>\n`;
		}
	}
});

/** `## 3. Data we share` gets the anchor `section-3-data-we-share`, stable across versions. */
function headingId(html: string): string {
	const text = html
		.replace(/<[^>]*>/g, '')
		.replace(/&[a-z#0-9]+;/gi, ' ')
		.toLowerCase()
		.normalize('NFKC')
		.replace(/[^\p{L}\p{N}]+/gu, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60);
	return text ? HEADING_PREFIX + text : '';
}

/**
 * The sanitizer and the window it works in. A jsdom window slows down with every document
 * sanitized in it, so each window serves a fixed number of renders and is then replaced by a
 * fresh one; the output does not depend on which window made it.
 */
const RENDERS_PER_WINDOW = 100;
let sanitizer = createSanitizer();
let renders = 0;

function currentSanitizer(): ReturnType<typeof createSanitizer> {
	if (renders >= RENDERS_PER_WINDOW) {
		sanitizer.window.close();
		sanitizer = createSanitizer();
		renders = 0;
	}
	renders += 1;
	return sanitizer;
}

function createSanitizer() {
	const { window } = new JSDOM('');
	const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
	statementPolicy(purify);
	return { window, purify };
}

/** Sanitizes HTML for a statement page: no script, handlers, frames, forms, styles or data: URLs. */
export function sanitizeHtml(html: string): string {
	return currentSanitizer().purify.sanitize(html, SANITIZE_CONFIG) as unknown as string;
}

/** Renders a statement's markdown body to sanitized HTML. */
export function renderMarkdown(markdown: string): string {
	return renderStatement(markdown).html;
}

/** A link or image source in rendered statement HTML, as the page will carry it. */
export interface StatementLink {
	/** `a`, `area` or `img`. */
	tag: string;
	attribute: 'href' | 'src';
	url: string;
}

export interface RenderedStatement {
	html: string;
	blocks: TextBlock[];
	/** What the sanitizer took out of the author's markup, e.g. `<script>`, `onclick on <img>`. */
	removed: string[];
	/** Every link and image source left in the HTML, for the content checks. */
	links: StatementLink[];
	/** Every `id` in the HTML (the heading anchors), for checking `#…` links. */
	ids: string[];
	/**
	 * The text of a leading `# heading`, when the body starts with one. It is dropped from the
	 * HTML when it repeats `title` (the page shows the title already); `dropped` says whether.
	 */
	leadingHeading?: { text: string; dropped: boolean };
}

/**
 * Renders a statement's body to sanitized HTML and its text blocks, from one sanitized DOM (a
 * second parse of the HTML would double the build time of large content folders). With `title`,
 * a leading `# heading` that repeats it is left out: the page shows the title once, above.
 */
export function renderStatement(
	markdown: string,
	options: { title?: string } = {}
): RenderedStatement {
	const { window, purify } = currentSanitizer();
	const fragment = purify.sanitize(marked.parse(markdown, { async: false }), {
		...SANITIZE_CONFIG,
		RETURN_DOM_FRAGMENT: true
	}) as unknown as DocumentFragment;
	const removed = describeRemoved(purify.removed);
	const container = window.document.createElement('div');
	container.append(fragment);
	let leadingHeading: RenderedStatement['leadingHeading'];
	const first = container.firstElementChild;
	if (first?.tagName === 'H1' && !previousText(first)) {
		const text = clean(first.textContent ?? '');
		const dropped = options.title !== undefined && sameTitle(text, options.title);
		if (dropped) first.remove();
		leadingHeading = { text, dropped };
	}
	const links: StatementLink[] = [];
	for (const element of Array.from(container.querySelectorAll('a[href], area[href], img[src]'))) {
		const attribute = element.tagName === 'IMG' ? 'src' : 'href';
		links.push({
			tag: element.tagName.toLowerCase(),
			attribute,
			url: element.getAttribute(attribute) ?? ''
		});
	}
	const ids = Array.from(container.querySelectorAll('[id]')).map((e) => e.id);
	return {
		html: container.innerHTML,
		blocks: blocksOf(container),
		removed,
		links,
		ids,
		...(leadingHeading ? { leadingHeading } : {})
	};
}

/** True when text (not only whitespace) comes before `element` in its parent. */
function previousText(element: Element): boolean {
	let node = element.previousSibling;
	while (node) {
		if ((node.textContent ?? '').trim()) return true;
		node = node.previousSibling;
	}
	return false;
}

/** Titles compare without case, spacing or punctuation: `# Terms of use` repeats "Terms of Use." */
function sameTitle(a: string, b: string): boolean {
	const key = (text: string) =>
		text
			.normalize('NFKC')
			.toLowerCase()
			.replace(/[^\p{L}\p{N}]+/gu, '');
	return key(a) === key(b);
}

/** DOMPurify's record of removed nodes and attributes, as an author would name them. */
function describeRemoved(removed: unknown[]): string[] {
	const found = new Set<string>();
	for (const entry of removed as { element?: Node; attribute?: Attr | null; from?: Element }[]) {
		if (entry.element) {
			const node = entry.element;
			// Comments are the author's notes, and whitespace is not content: neither is a loss.
			if (node.nodeType === 8 || (node.nodeType === 3 && !(node.textContent ?? '').trim())) {
				continue;
			}
			found.add(node.nodeType === 1 ? `<${node.nodeName.toLowerCase()}>` : node.nodeName);
		} else if (entry.attribute && entry.from) {
			const name = entry.attribute.name.toLowerCase();
			const tag = entry.from.nodeName.toLowerCase();
			// marked marks fenced code with its language; that class is its own, not the author's.
			if (name === 'class' && tag === 'code' && /^language-/.test(entry.attribute.value)) continue;
			if (URI_ATTRIBUTES.has(name)) {
				const value = entry.attribute.value.trim();
				const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
				found.add(`${name}="${shown}" on <${tag}>`);
			} else {
				found.add(`${name} on <${tag}>`);
			}
		}
	}
	return [...found];
}

export type TextBlockKind = 'heading' | 'paragraph' | 'item' | 'row' | 'code' | 'quote';

/** A block of a statement's text, the unit a diff aligns on. */
export interface TextBlock {
	kind: TextBlockKind;
	text: string;
}

const BLOCK_TAGS: Record<string, TextBlockKind> = {
	H1: 'heading',
	H2: 'heading',
	H3: 'heading',
	H4: 'heading',
	H5: 'heading',
	H6: 'heading',
	P: 'paragraph',
	LI: 'item',
	TR: 'row',
	PRE: 'code',
	DT: 'item',
	DD: 'paragraph'
};

function blocksOf(container: Element): TextBlock[] {
	const blocks: TextBlock[] = [];
	const walk = (element: Element, inQuote: boolean): void => {
		for (const child of Array.from(element.children)) {
			const kind = BLOCK_TAGS[child.tagName];
			if (child.tagName === 'BLOCKQUOTE') {
				walk(child, true);
			} else if (kind === 'row') {
				const cells = Array.from(child.children).map((cell) => clean(cell.textContent ?? ''));
				blocks.push({ kind, text: cells.join(' | ') });
			} else if (kind === 'item') {
				const nested = Array.from(child.children).filter((c) => /^(UL|OL|P)$/.test(c.tagName));
				const own = child.cloneNode(true) as Element;
				own.querySelectorAll('ul, ol').forEach((list) => list.remove());
				const marker = listMarker(child);
				blocks.push({ kind, text: marker + clean(own.textContent ?? '') });
				for (const list of nested) if (list.tagName !== 'P') walk(list, inQuote);
			} else if (kind) {
				const text = clean(child.textContent ?? '');
				if (text) blocks.push({ kind: inQuote && kind === 'paragraph' ? 'quote' : kind, text });
			} else {
				walk(child, inQuote);
			}
		}
	};
	walk(container, false);
	return blocks;
}

function listMarker(item: Element): string {
	const list = item.parentElement;
	if (list?.tagName !== 'OL') return '• ';
	const start = Number(list.getAttribute('start') ?? '1');
	return `${start + Array.from(list.children).indexOf(item)}. `;
}

function clean(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}
