import { describe, expect, it } from 'vitest';
import { outline } from './outline';

describe('outline', () => {
	it('lists the h2 clauses with their anchors and readable text, not h3 or markup', () => {
		const html =
			'<h2 id="section-1-scope">1. Scope &amp; <em>terms</em></h2>\n<p>x</p>\n<h3 id="sub">Sub</h3>\n<h2 id="section-2">2. 我们&#x5171;享的&quot;数据&quot;</h2>';
		expect(outline(html)).toEqual([
			{ id: 'section-1-scope', text: '1. Scope & terms' },
			{ id: 'section-2', text: '2. 我们共享的"数据"' }
		]);
	});
});
