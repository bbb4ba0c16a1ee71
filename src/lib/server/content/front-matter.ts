import { parseDocument } from 'yaml';
import { AssentError } from '../../core/errors';

export interface FrontMatterResult {
	data: Record<string, unknown>;
	body: string;
	/** 1-based line of the body's first line in the file, for messages. */
	bodyLine: number;
}

/**
 * Splits `---`-fenced YAML front matter from a markdown file and parses it. `text` has LF line
 * endings already.
 */
export function parseFrontMatter(options: { text: string; file: string }): FrontMatterResult {
	const { file } = options;
	const text = options.text.replace(/^\uFEFF/, '');
	if (!text.startsWith('---\n')) {
		throw new AssentError(
			'content/front-matter',
			`${file}: no front matter. Start the file with a line "---", the fields (title, version, issued, change, summary), and another "---" line.`,
			{ file }
		);
	}
	const end = text.indexOf('\n---', 3);
	const after = end === -1 ? '' : text.slice(end + 4, end + 5);
	if (end === -1 || (after !== '\n' && after !== '')) {
		throw new AssentError(
			'content/front-matter',
			`${file}: the front matter is not closed. Add a line "---" after the last field.`,
			{ file }
		);
	}
	const yamlText = text.slice(4, end + 1);
	const document = parseDocument(yamlText, { prettyErrors: true, uniqueKeys: true });
	if (document.errors.length > 0) {
		const first = document.errors[0]!;
		const line = first.linePos?.[0]?.line;
		throw new AssentError(
			'content/front-matter',
			`${file}${line ? `:${line + 1}` : ''}: the front matter is not valid YAML (${first.message.split('\n')[0]}). Write one "field: value" per line; quote values that contain ": " or start with a special character.`,
			{ file }
		);
	}
	const data: unknown = document.toJS();
	if (data === null || typeof data !== 'object' || Array.isArray(data)) {
		throw new AssentError(
			'content/front-matter',
			`${file}: the front matter must be a list of "field: value" lines (title, version, issued, change, summary).`,
			{ file }
		);
	}
	const bodyStart = end + 5;
	const bodyLine = text.slice(0, bodyStart).split('\n').length;
	return { data: data as Record<string, unknown>, body: text.slice(bodyStart), bodyLine };
}
