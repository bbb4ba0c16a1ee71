import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startAfter } from './deferred-start';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** A prerendered page as SvelteKit writes it: policy, module preloads, inline start script. */
function kitPage(boot: string, policyHash = hash(boot)) {
	return `<!doctype html>
<html lang="en">
	<head>
		<meta charset="utf-8" />
		<meta http-equiv="content-security-policy" content="object-src 'none'; script-src 'self' 'sha256-other=' ${policyHash}; base-uri 'none'">
		<link href="../_app/immutable/entry/start.A1.js" rel="modulepreload">
		<link href="../_app/immutable/chunks/B2.js" rel="modulepreload">
		<title>Records</title>
	</head>
	<body>
		<div style="display: contents"><p class="loading">Reading…</p>
			<script>${boot}</script>
		</div>
	</body>
</html>`;
}

const BOOT = `
				{
					__sveltekit_abc = {
						base: new URL("..", location).pathname.slice(0, -1)
					};

					const element = document.currentScript.parentElement;

					Promise.all([
						import("../_app/immutable/entry/start.A1.js"),
						import("../_app/immutable/entry/app.C3.js")
					]).then(([kit, app]) => {
						kit.start(app, element, { node_ids: [0, 2] });
					});
				}
			`;

const scriptOf = (html: string) => /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';

describe('startAfter', () => {
	it("starts SvelteKit's client after the promise, with its preloads then, allowed by the new hash", () => {
		const page = startAfter(kitPage(BOOT), 'window.early?.read');
		const script = scriptOf(page);
		expect(script).toContain('Promise.resolve(window.early?.read).then(() =>');
		expect(script).toContain('kit.start(app, element');
		// Still a script the browser runs, element taken while it runs, not later.
		expect(() => new Function(script)).not.toThrow();
		expect(script.indexOf('document.currentScript')).toBeLessThan(
			script.indexOf('Promise.resolve')
		);
		// No preload in the HTML: the script makes them when it starts, the same files.
		expect(page).not.toMatch(/<link[^>]*modulepreload/);
		expect(script).toContain(
			'["../_app/immutable/entry/start.A1.js","../_app/immutable/chunks/B2.js"]'
		);
		const policy = /content-security-policy" content="([^"]*)"/.exec(page)?.[1] ?? '';
		expect(policy).toContain(hash(script));
		expect(policy).not.toContain(hash(BOOT));
		expect(policy).toContain("'sha256-other='");
		expect(page).toContain('<title>Records</title>');
	});

	it('runs the client once the promise settles, and not before', async () => {
		const script = scriptOf(startAfter(kitPage(BOOT), 'globalThis.gate'));
		const started: string[] = [];
		const appended: string[] = [];
		let open = () => {};
		const gate = new Promise<void>((resolve) => (open = resolve));
		// The script's imports answered by a stand-in for SvelteKit's client.
		const run = new Function(
			'globalThis',
			'document',
			'location',
			'load',
			script.replace(/import\(/g, 'load(')
		);
		run(
			{ gate },
			{
				currentScript: { parentElement: 'body' },
				head: { append: (link: { href: string }) => appended.push(link.href) },
				createElement: () => ({})
			},
			new URL('https://statements.example.com/records/'),
			async (path: string) =>
				path.includes('start')
					? { start: (_app: unknown, element: string) => started.push(element) }
					: {}
		);
		await new Promise((resolve) => setTimeout(resolve, 10));
		expect(started).toEqual([]);
		expect(appended).toEqual([]);
		open();
		await new Promise((resolve) => setTimeout(resolve, 10));
		expect(started).toEqual(['body']);
		expect(appended).toEqual([
			'../_app/immutable/entry/start.A1.js',
			'../_app/immutable/chunks/B2.js'
		]);
	});

	it('refuses a start script of another form, or one its policy does not name', () => {
		expect(() =>
			startAfter(kitPage(BOOT.replace('Promise.all', 'Promise.allSettled')), 'p')
		).toThrow(/not of the form expected/);
		expect(() => startAfter(kitPage(BOOT, "'sha256-x='"), 'p')).toThrow(/does not list/);
	});
});
