/**
 * `node receiver/main.js` as an operator runs it: configured by environment variables, its data
 * and signing key in a folder that outlives restarts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { receiverConfig } from './config.js';
import { makeRecords, tempFolders, testSite } from './fixtures';

const main = resolve(import.meta.dirname, 'main.js');
const folders = tempFolders();
const site = testSite();
afterAll(() => {
	folders.cleanup();
	site.remove();
});

interface Started {
	child: ChildProcess;
	output: () => string;
	url: string;
}

/** Starts the program and waits for the line with its URL (or for it to end). */
function run(env: Record<string, string>): Promise<Started & { exit?: number }> {
	const child = spawn(process.execPath, [main], {
		env: { PATH: process.env.PATH ?? '', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	return new Promise((resolve) => {
		const read = (chunk: Buffer) => {
			output += chunk.toString();
			const url = /accepting records at (\S+)/.exec(output)?.[1];
			if (url) resolve({ child, output: () => output, url });
		};
		child.stdout.on('data', read);
		child.stderr.on('data', read);
		child.on('exit', (code) => resolve({ child, output: () => output, url: '', exit: code ?? -1 }));
	});
}

async function stop(started: Started): Promise<number | null> {
	const exited = new Promise<number | null>((resolve) => started.child.on('exit', resolve));
	started.child.kill('SIGTERM');
	return exited;
}

describe('node receiver/main.js', () => {
	it('runs from environment variables and keeps its records and key across restarts', async () => {
		const data = folders.make('assent-receiver-data-');
		const env = {
			ASSENT_RECEIVER_PORT: '0',
			ASSENT_RECEIVER_DATA: data,
			ASSENT_SITE: site.dir,
			ASSENT_RECEIVER_ORIGINS: 'https://shop.example, https://statements.example.com',
			ASSENT_RECEIVER_TOKEN: 'secret',
			// These records carry no subject token (SPEC section 8).
			ASSENT_SUBJECTS: 'unverified'
		};
		const batch = JSON.stringify({ records: await makeRecords(2) });
		const send = (url: string) =>
			fetch(url, {
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					Authorization: 'Bearer secret',
					// The records say they were made in the widget's frame, which sends from the site.
					Origin: 'https://statements.example.com'
				},
				body: batch
			});

		const first = await run(env);
		expect(first.url, first.output()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/acceptances$/);
		const keyFile = join(data, 'signing-key.pem');
		expect(first.output()).toContain(`made a new signing key ${keyFile}`);
		expect(statSync(keyFile).mode & 0o777).toBe(0o600);
		expect(existsSync(join(data, 'pglite', 'PG_VERSION'))).toBe(true);
		expect(first.output()).toContain('https://shop.example, https://statements.example.com');
		const firstAnswer = await send(first.url);
		expect(firstAnswer.status).toBe(200);
		const firstText = await firstAnswer.text();
		expect(JSON.parse(firstText).accepted).toHaveLength(2);
		expect(await stop(first)).toBe(0);

		const second = await run(env);
		expect(second.url).toMatch(/acceptances$/);
		expect(second.output()).not.toContain('made a new signing key');
		expect(second.output()).toContain(`receipts signed with ${keyFile}`);
		expect(await (await send(second.url)).text()).toBe(firstText);
		expect(await stop(second)).toBe(0);
		// Two starts of PGlite with its files on disk take a few seconds on a slow machine.
	}, 60_000);

	it('stops at once with what to fix when the site has not been built', async () => {
		const started = await run({
			ASSENT_RECEIVER_PORT: '0',
			ASSENT_RECEIVER_DATA: folders.make('assent-receiver-data-'),
			ASSENT_SITE: join(site.dir, 'missing')
		});
		expect(started.exit).toBe(1);
		expect(started.output()).toMatch(/statements index .*missing.* could not be read/);
		expect(started.output()).toContain('npm run build');
	});
});

describe('receiverConfig', () => {
	it('reads the receiver from the environment, with defaults for npm start', () => {
		const config = receiverConfig({
			env: {},
			cwd: '/srv/assent',
			defaults: { site: '/srv/assent/build', origins: ['http://127.0.0.1:4173'] }
		});
		expect(config).toEqual({
			port: 4175,
			host: '127.0.0.1',
			database: '/srv/assent/data/receiver/pglite',
			site: '/srv/assent/build',
			origins: ['http://127.0.0.1:4173'],
			signingKey: '/srv/assent/data/receiver/signing-key.pem',
			refreshSeconds: 30,
			skewSeconds: 300,
			requestTimeoutMs: 30_000
		});
	});

	it('lets every variable override its default', () => {
		const config = receiverConfig({
			cwd: '/srv',
			env: {
				ASSENT_RECEIVER_PORT: '8080',
				ASSENT_RECEIVER_HOST: '0.0.0.0',
				ASSENT_RECEIVER_PATH: '/sync',
				DATABASE_URL: 'postgres://u:p@db/assent',
				ASSENT_RECEIVER_DATA: 'state',
				ASSENT_SITE: 'https://statements.example.com',
				ASSENT_RECEIVER_ORIGINS: ' https://a.example ,https://b.example,',
				ASSENT_RECEIVER_KEY: 'keys/receipts.pem',
				ASSENT_RECEIVER_TOKEN: 't0k',
				ASSENT_RECEIVER_REFRESH_SECONDS: '5',
				ASSENT_RECEIVER_SKEW_SECONDS: '60',
				ASSENT_RECEIVER_REQUEST_TIMEOUT_SECONDS: '10'
			},
			defaults: { origins: ['http://127.0.0.1:4173'] }
		});
		expect(config).toEqual({
			port: 8080,
			host: '0.0.0.0',
			path: '/sync',
			database: 'postgres://u:p@db/assent',
			site: 'https://statements.example.com',
			origins: ['https://a.example', 'https://b.example'],
			signingKey: '/srv/keys/receipts.pem',
			token: 't0k',
			refreshSeconds: 5,
			skewSeconds: 60,
			requestTimeoutMs: 10_000,
			siteOrigin: 'https://statements.example.com'
		});
	});

	it('says which variable is wrong', () => {
		expect(() => receiverConfig({ env: { ASSENT_RECEIVER_PORT: 'http' } })).toThrow(
			'ASSENT_RECEIVER_PORT must be a whole number; got "http".'
		);
	});
});
