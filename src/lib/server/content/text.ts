/** Small text helpers shared by the content checks and their messages. */

/**
 * Characters XML 1.0 does not allow (C0 controls other than tab and newlines, lone surrogates,
 * U+FFFE and U+FFFF). The feed is XML, so no text field or statement may hold one.
 */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** The first character of `text` XML forbids, with its offset, or undefined. */
export function forbiddenCharacter(text: string): { codePoint: string; index: number } | undefined {
	const match = NOT_XML.exec(text);
	if (!match) return undefined;
	const code = match[0].codePointAt(0)!;
	return { codePoint: `U+${code.toString(16).toUpperCase().padStart(4, '0')}`, index: match.index };
}

/** The explanation that follows a forbidden character in a message. */
export function forbiddenCharacterAdvice(codePoint: string): string {
	return `contains ${codePoint}, a control or non-character that XML (and so the Atom feed) cannot carry. Delete it; it is usually invisible, left by copying from another program.`;
}

/** The 1-based line of `index` in `text`. */
export function lineAt(text: string, index: number): number {
	let line = 1;
	for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
	return line;
}

/** `1 statement`, `2 statements`; `plural` defaults to `singular` + "s". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
	return `${n} ${n === 1 ? singular : plural}`;
}
