/**
 * The static server's framing rules on a built site folder: every page refuses to be framed,
 * the widget's pages allow the site and the partners' origins, and the `_headers` file the
 * build writes for CDNs is what the server sends.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatHeaders, frameRules, parseHeaders, writeHeaders } from './headers.js';
import { staticSite } from './static.js';

let dir: string;
let server: Server | undefined;

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'assent-static-'));
	const page = (path: string) => {
		mkdirSync(join(dir, path), { recursive: true });
		writeFileSync(join(dir, path, 'index.html'), '<!doctype html><title>page</title>');
	};
	page('');
	page('statements/terms');
	page('records');
	page('console');
	page('embed/partner-association');
	mkdirSync(join(dir, 'widget'));
	writeFileSync(join(dir, 'widget', 'assent.js'), 'export {};');
	writeFileSync(
		join(dir, 'partners.json'),
		JSON.stringify({
			schema: 'assent.partners/1',
			origins: ['https://shop.example'],
			partners: [
				{ id: 'harbor-books', origins: ['https://harbor-books.example', 'http://localhost:4174'] },
				{ id: 'lumen-travel', origins: ['https://lumen-travel.example'] }
			]
		})
	);
});
afterEach(async () => {
	if (server) {
		server.closeAllConnections();
		await new Promise((resolve) => server!.close(resolve));
		server = undefined;
	}
	rmSync(dir, { recursive: true, force: true });
});

async function serve(): Promise<string> {
	const site = staticSite({ dir });
	server = createServer((req, res) =>
		site(req, res, () => {
			res.writeHead(404).end();
		})
	);
	await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const framing = (response: Response) => ({
	status: response.status,
	csp: response.headers.get('content-security-policy'),
	xfo: response.headers.get('x-frame-options')
});

describe('the static server', () => {
	it('lets no site frame the pages, and only the site, its origins and its partners frame the widget', async () => {
		const base = await serve();
		const none = { status: 200, csp: "frame-ancestors 'none'", xfo: 'DENY' };
		for (const path of ['/', '/statements/terms/', '/records/', '/console/']) {
			expect(framing(await fetch(`${base}${path}`)), path).toEqual(none);
		}
		expect(framing(await fetch(`${base}/embed/partner-association/?partner=harbor-books`))).toEqual(
			{
				status: 200,
				csp: "frame-ancestors 'self' http://localhost:4174 https://harbor-books.example https://lumen-travel.example https://shop.example",
				xfo: null
			}
		);
	});

	it('sends what the build wrote to _headers, the file CDNs read', async () => {
		const file = writeHeaders({ dir });
		const text = readFileSync(file, 'utf8');
		expect(text).toContain("/embed/*\n  Content-Security-Policy: frame-ancestors 'self' http");
		expect(parseHeaders({ text, source: file })).toEqual(frameRules({ dir }));
		// The rules never overlap: hosts apply every matching rule, so DENY must not reach /embed/.
		expect(text).not.toMatch(/^\/\*$/m);

		// Edited by hand for one host: the server follows the file.
		writeFileSync(
			file,
			formatHeaders({
				rules: [
					{ path: '/', headers: { 'X-Frame-Options': 'DENY' } },
					{
						path: '/embed/*',
						headers: { 'Content-Security-Policy': 'frame-ancestors https://only.example' }
					}
				]
			})
		);
		const base = await serve();
		expect(framing(await fetch(`${base}/embed/partner-association/`)).csp).toBe(
			'frame-ancestors https://only.example'
		);
	});

	it('names the line of a _headers file it cannot read', () => {
		expect(() =>
			parseHeaders({ text: '  X-Frame-Options: DENY\n', source: 'build/_headers' })
		).toThrow('build/_headers, line 1: expected a path');
	});

	it('says what to do when the site has no partner registry', () => {
		rmSync(join(dir, 'partners.json'));
		expect(() => staticSite({ dir })).toThrow(/partners\.json is missing.*npm run build/);
	});
});
