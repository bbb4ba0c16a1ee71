import { scriptHash } from './script-hash.js';

/** As the source appears in a policy's text, quoted. */
const sha256 = (text: string) => `'${scriptHash(text)}'`;

const ALL = 'Promise.all([';
const THEN = ']).then(([kit, app])';
const PRELOAD = /[ \t]*<link\b[^>]*\brel="modulepreload"[^>]*>\n?/g;

/**
 * Holds back SvelteKit's client in a prerendered page until `until` (a script expression for a
 * promise) settles: its inline start script asks for the page's modules only then, and so do its
 * module preloads, which would otherwise fetch and compile them on the page's thread meanwhile.
 * The page's Content-Security-Policy allows the changed script by its new hash in place of the
 * old one. Throws when the page has no start script of the form SvelteKit writes, or no hash of
 * it in its policy, rather than leave a page whose script the browser would refuse.
 */
export function startAfter(html: string, until: string): string {
	const boot = /<script>(\s*\{\s*__sveltekit_[\s\S]*?)<\/script>/.exec(html);
	const text = boot?.[1];
	const from = text?.indexOf(ALL) ?? -1;
	const to = text?.indexOf(THEN, from) ?? -1;
	if (!boot || text === undefined || from < 0 || to < 0) {
		throw new Error(
			"The page's SvelteKit start script is not of the form expected (Promise.all of its imports, then kit.start): update startAfter in src/lib/server/deferred-start.ts for this SvelteKit version."
		);
	}
	const policy = /<meta http-equiv="content-security-policy" content="[^"]*"/.exec(html);
	const before = sha256(text);
	if (!policy || !policy[0].includes(before)) {
		throw new Error(
			"The page's Content-Security-Policy does not list its start script's hash: startAfter needs kit.csp mode 'hash' (svelte.config.js)."
		);
	}
	// What comes before the start script: where SvelteKit puts the preloads.
	const upToScript = html.slice(0, boot.index);
	const preloads = [...upToScript.matchAll(PRELOAD)].map(
		(link) => /\bhref="([^"]*)"/.exec(link[0])?.[1] ?? ''
	);
	const preload = preloads.length
		? `${JSON.stringify(preloads)}.forEach((href) => document.head.append(Object.assign(document.createElement('link'), { rel: 'modulepreload', href }))); return `
		: 'return ';
	const changed = `${text.slice(0, from)}Promise.resolve(${until}).then(() => { ${preload}${ALL}${text.slice(from + ALL.length, to)}]); }).then(([kit, app])${text.slice(to + THEN.length)}`;
	const at = boot.index + '<script>'.length;
	const head = upToScript.replace(PRELOAD, '');
	const page = `${head}${html.slice(boot.index, at)}${changed}${html.slice(at + text.length)}`;
	return page.replace(policy[0], policy[0].replace(before, sha256(changed)));
}
