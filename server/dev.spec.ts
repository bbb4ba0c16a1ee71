import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../tests/e2e/server';

let dev: ChildProcess;
let origin = '';

// The ceilings below leave room for a busy 2-core machine; they are not speed goals.
beforeAll(async () => {
	const port = await freePort();
	origin = `http://127.0.0.1:${port}`;
	dev = spawn(
		process.execPath,
		[resolve('node_modules/vite/bin/vite.js'), 'dev', '--port', String(port), '--strictPort'],
		// Vite colours its output when CI is set, which would split ":<port>" with escape codes.
		{
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, NODE_ENV: 'development', NO_COLOR: '1', FORCE_COLOR: '0' }
		}
	);
	let output = '';
	await new Promise<void>((ready, fail) => {
		const seen = (chunk: Buffer) => {
			// eslint-disable-next-line no-control-regex
			output += chunk.toString().replace(/\u001b\[[0-9;]*m/g, '');
			if (output.includes(`:${port}`)) ready();
		};
		dev.stdout!.on('data', seen);
		dev.stderr!.on('data', seen);
		dev.once('exit', (code) => fail(new Error(`vite dev ended (${code}):\n${output}`)));
	});
}, 120_000);

afterAll(() => {
	dev?.kill('SIGTERM');
});

describe('npm run dev', () => {
	it('serves the widget files partner pages load, built from the sources', async () => {
		for (const name of ['assent.js', 'host-store.js', 'inline.js']) {
			const response = await fetch(`${origin}/widget/${name}`);
			expect(response.status, name).toBe(200);
			expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
			expect(response.headers.get('access-control-allow-origin')).toBe('*');
			const code = await response.text();
			if (name === 'assent.js') expect(code).toContain('assent-consent');
			if (name === 'inline.js') expect(code).toContain('mountInline');
		}
	}, 180_000);

	it('serves the demo partner page and its files', async () => {
		const page = await fetch(`${origin}/demo/`);
		expect(page.status).toBe(200);
		expect(page.headers.get('content-type')).toMatch(/^text\/html/);
		expect(await page.text()).toContain('<assent-consent');
		const script = await fetch(`${origin}/demo/demo.js`);
		expect(script.status).toBe(200);
		expect(await script.text()).toContain("import(new URL('/widget/assent.js', site).href)");
	}, 60_000);
});
