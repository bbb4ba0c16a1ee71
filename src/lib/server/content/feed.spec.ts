import { describe, expect, it } from 'vitest';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { atomFeed, FALLBACK_TAG_AUTHORITY } from './feed';
import { loadContent } from './load';
import { statementFile, v10, v11, writeContent } from './test-content';
import type { Content } from './types';

const ATOM = 'http://www.w3.org/2005/Atom';
const NOW = new Date('2025-06-15T12:00:00Z');

/** An element of the parsed feed: namespace, local name, attributes and children. */
interface Node {
	uri: string;
	local: string;
	attributes: Record<string, string>;
	children: Node[];
	text: string;
}

/**
 * Parses `xml` with saxes, a strict XML 1.0 and Namespaces parser: any well-formedness error
 * (a bad escape, a character XML forbids, an unbound prefix) throws.
 */
function parseXml(xml: string): Node {
	const parser = new SaxesParser({ xmlns: true, fileName: 'feed.xml' });
	const stack: Node[] = [];
	let root: Node | undefined;
	parser.on('error', (error) => {
		throw error;
	});
	parser.on('opentag', (tag: SaxesTagNS) => {
		const node: Node = {
			uri: tag.uri,
			local: tag.local,
			attributes: Object.fromEntries(
				Object.values(tag.attributes).map((a) => [
					a.prefix ? `${a.prefix}:${a.local}` : a.local,
					a.value
				])
			),
			children: [],
			text: ''
		};
		stack[stack.length - 1]?.children.push(node);
		root ??= node;
		stack.push(node);
	});
	parser.on('text', (text) => {
		if (stack.length) stack[stack.length - 1]!.text += text;
	});
	parser.on('closetag', () => void stack.pop());
	parser.write(xml).close();
	return root!;
}

const atom = (node: Node, local: string) =>
	node.children.filter((c) => c.uri === ATOM && c.local === local);
const one = (node: Node, local: string) => {
	const found = atom(node, local);
	expect(found, `exactly one <${local}>`).toHaveLength(1);
	return found[0]!;
};

/** RFC 4151: tag:<DNS name or e-mail>,<YYYY[-MM[-DD]]>:<specific>, specific in URI characters. */
const TAG_URI =
	/^tag:([A-Za-z0-9._-]+@)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*,\d{4}(-\d{2}(-\d{2})?)?:([A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-F]{2})*$/;

const v20 = statementFile(
	{
		title: 'Terms',
		version: '"2.0"',
		issued: '2025-06-01',
		effective: '2025-07-01',
		change: 'material',
		summary: 'Shares the delivery region & more.'
	},
	'## 1. Scope\n\nNew text.\n'
);

function site(siteYaml: string): Content {
	return loadContent({
		dir: writeContent({
			'site.yaml': siteYaml,
			'statements/terms/1.0.en.md': v10,
			'statements/terms/1.0.zh-CN.md': v10.replace('Terms', '条款'),
			'statements/terms/1.1.en.md': v11,
			'statements/terms/2.0.en.md': v20
		})
	});
}

const sample = () =>
	site('name: Example\nlocales: [en, zh-CN]\nbaseUrl: https://statements.example.com\n');

function ids(content: Content, now = NOW) {
	const feed = parseXml(atomFeed({ content, now }));
	return { feed: one(feed, 'id').text, entries: atom(feed, 'entry').map((e) => one(e, 'id').text) };
}

describe('atomFeed', () => {
	it('is Atom that a strict XML parser reads, one entry per version and locale, announced ones included', () => {
		const feed = parseXml(atomFeed({ content: sample(), now: NOW }));
		expect(feed.uri).toBe(ATOM);
		expect(feed.local).toBe('feed');
		for (const name of ['id', 'title', 'updated', 'author']) one(feed, name);
		expect(one(feed, 'updated').text).toBe('2025-06-01T00:00:00Z');
		const entries = atom(feed, 'entry');
		expect(entries).toHaveLength(4);
		for (const entry of entries) for (const name of ['id', 'title', 'updated']) one(entry, name);
		const announced = entries.find((e) => one(e, 'title').text.includes('2.0'))!;
		expect(one(announced, 'title').text).toBe('Terms 2.0 (announced, effective 2025-07-01)');
		expect(one(announced, 'summary').text).toContain('Shares the delivery region & more.');
		const extra = (local: string) =>
			announced.children.find((c) => c.uri === 'urn:assent:feed:1' && c.local === local)!.text;
		expect(extra('effective')).toBe('2025-07-01');
		expect(extra('hash')).toMatch(/^sha256:[0-9a-f]{64}$/);
		expect(atom(announced, 'link')[0]!.attributes.href).toBe(
			'https://statements.example.com/statements/terms/2.0/en/'
		);
		// An entry in force since after its issue is updated on the day it came into force.
		const minor = entries.find((e) => one(e, 'title').text === 'Terms 1.1')!;
		expect(one(minor, 'published').text).toBe('2025-02-10T00:00:00Z');
		expect(one(minor, 'updated').text).toBe('2025-03-01T00:00:00Z');
	});

	it('gives the feed and every entry a tag: URI from the site host, unique in the feed', () => {
		const { feed, entries } = ids(sample());
		expect(feed).toBe('tag:statements.example.com,2025-01-10:/statements');
		expect(entries).toContain('tag:statements.example.com,2025-01-10:/statements/terms/1.0/zh-CN');
		expect(entries).toContain('tag:statements.example.com,2025-06-01:/statements/terms/2.0/en');
		for (const id of [feed, ...entries]) {
			expect(id).toMatch(TAG_URI);
			expect(id).not.toMatch(/\s/);
			expect(() => new URL(id)).not.toThrow();
		}
		expect(new Set(entries).size).toBe(entries.length);
	});

	it('gives two sites different ids, and one site the same ids on every build', () => {
		const a = ids(sample());
		const again = ids(sample(), new Date('2026-01-01T00:00:00Z'));
		expect(again).toEqual(a);
		const other = ids(site('name: Example\nbaseUrl: https://legal.other.example\n'));
		const sameHostOtherPath = ids(
			site('name: Example\nbaseUrl: https://statements.example.com/b/\n')
		);
		for (const b of [other, sameHostOtherPath]) {
			expect(b.feed).not.toBe(a.feed);
			expect(b.entries.filter((id) => a.entries.includes(id))).toEqual([]);
		}
		expect(sameHostOtherPath.feed).toBe('tag:statements.example.com,2025-01-10:/b/statements');
	});

	it('takes the publisher e-mail address, else a reserved name, when the site has no baseUrl', () => {
		const withContact = ids(
			site('name: Example\npublisher:\n  name: Ex Ltd\n  contact: legal@example.com\n')
		);
		expect(withContact.feed).toBe('tag:legal@example.com,2025-01-10:/statements');
		const bare = ids(site('name: Example Cloud Statements\n'));
		expect(bare.feed).toBe(
			`tag:${FALLBACK_TAG_AUTHORITY},2025-01-10:/Example%20Cloud%20Statements/statements`
		);
		for (const id of [...withContact.entries, ...bare.entries]) expect(id).toMatch(TAG_URI);
	});

	it('escapes markup and replaces characters XML forbids in every text', () => {
		const content = site(
			'name: "Q&A <Cloud> \\"Legal\\" \'s"\npublisher:\n  name: "A & B ]]> Ltd"\nbaseUrl: https://statements.example.com\n'
		);
		const version = content.statements[0]!.versions[0]!;
		version.locales.en!.title = 'Terms <b>&amp;</b> ]]> \u0001\uFFFE end';
		version.locales.en!.summary = 'Tab\tand \uD800 lone surrogate';
		const feed = parseXml(atomFeed({ content, now: NOW }));
		expect(one(feed, 'title').text).toBe('Q&A <Cloud> "Legal" \'s: statement versions');
		expect(one(one(feed, 'author'), 'name').text).toBe('A & B ]]> Ltd');
		const entry = atom(feed, 'entry').find((e) => one(e, 'title').text.startsWith('Terms <b>'))!;
		expect(one(entry, 'title').text).toBe('Terms <b>&amp;</b> ]]> \uFFFD\uFFFD end 1.0');
		expect(one(entry, 'summary').text).toContain('Tab\tand \uFFFD lone surrogate');
	});
});
