import { describe, expect, it } from 'vitest';
import { EMBED_DATA_ID, embedDataBlock, type EmbedFrameData } from './embed-data';

const data = (provider: string): EmbedFrameData => ({
	id: 'terms',
	provider,
	origins: [],
	partners: [{ id: 'p', name: '</script><script>alert(1)</script>', url: '', origins: [] }],
	preview: null
});

describe('the frame data block', () => {
	it('stays one script element whatever the words hold, and reads back as the same data', () => {
		const value = data('Shop <!-- </SCRIPT> --> Ltd');
		const block = embedDataBlock(value);
		const open = `<script type="application/json" id="${EMBED_DATA_ID}">`;
		expect(block.startsWith(open)).toBe(true);
		const body = block.slice(open.length, -'</script>'.length);
		expect(body).not.toContain('<');
		expect(JSON.parse(body)).toEqual(value);
	});
});
