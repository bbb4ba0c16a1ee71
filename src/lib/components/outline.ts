/** The clauses of a statement: its `<h2>` headings with the anchors the renderer gave them. */
export function outline(html: string): { id: string; text: string }[] {
	const headings: { id: string; text: string }[] = [];
	for (const match of html.matchAll(/<h2 id="([^"]+)">([\s\S]*?)<\/h2>/g)) {
		const text = decodeEntities(match[2]!.replace(/<[^>]*>/g, '')).trim();
		if (text) headings.push({ id: decodeEntities(match[1]!), text });
	}
	return headings;
}

const ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: '\u00a0'
};

function decodeEntities(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
		if (name[0] === '#') {
			const code =
				name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
			return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
		}
		return ENTITIES[name.toLowerCase()] ?? whole;
	});
}

/** Statements with more clauses than this get a table of contents. */
export const OUTLINE_FROM = 5;
