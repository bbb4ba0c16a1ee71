/** The minting helper partners' backends use: as a module and as `node receiver/mint.js`. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempFolders } from './fixtures';
import { generateSubjectKey, mintSubjectToken } from './mint.js';
import { parseRegistry } from './registry.js';
import { verifySubjectToken } from './tokens.js';

const run = promisify(execFile);
const mint = resolve(import.meta.dirname, 'mint.js');
const folders = tempFolders();
afterAll(() => folders.cleanup());
const AUDIENCE = 'https://statements.example.com';

describe('mintSubjectToken', () => {
	it('signs iss, sub, aud, iat and exp with the key named by kid', async () => {
		const { privateJwk, publicJwk } = generateSubjectKey({ kid: 'shop-1', alg: 'ES256' });
		const now = new Date('2026-11-25T08:00:00Z');
		const token = await mintSubjectToken({
			key: privateJwk,
			partner: 'shop',
			subject: 'customer-123',
			audience: `${AUDIENCE}/statements/`,
			ttl: 600,
			now
		});
		const [header, claims] = token
			.split('.')
			.slice(0, 2)
			.map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
		expect(header).toEqual({ alg: 'ES256', kid: 'shop-1', typ: 'JWT' });
		expect(claims).toEqual({
			iss: 'shop',
			sub: 'customer-123',
			aud: AUDIENCE,
			iat: now.getTime() / 1000,
			exp: now.getTime() / 1000 + 600
		});
		const keys = parseRegistry({
			text: JSON.stringify({ partners: [{ id: 'shop', keys: [publicJwk] }] }),
			source: 'partners.json'
		});
		expect(
			await verifySubjectToken({
				token,
				keys,
				issuers: ['shop'],
				subject: 'customer-123',
				audience: AUDIENCE,
				at: now.getTime()
			})
		).toMatchObject({ ok: true, issuer: 'shop', kid: 'shop-1' });
	});

	it('refuses a public key, a key without kid and a lifetime over 24 hours', async () => {
		const { privateJwk, publicJwk } = generateSubjectKey({ kid: 'k' });
		const base = { partner: 'shop', subject: 'c', audience: AUDIENCE };
		await expect(mintSubjectToken({ ...base, key: publicJwk })).rejects.toThrow(
			/must be a private JWK/
		);
		await expect(mintSubjectToken({ ...base, key: { ...privateJwk, kid: '' } })).rejects.toThrow(
			/has no "kid"/
		);
		await expect(mintSubjectToken({ ...base, key: privateJwk, ttl: 86_401 })).rejects.toThrow(
			/ttl must be a whole number of seconds from 1 to 86400/
		);
	});
});

describe('node receiver/mint.js', () => {
	it('makes a key pair to register, then mints a token with it', async () => {
		const out = join(folders.make('assent-mint-'), 'shop.private.jwk.json');
		const made = await run(process.execPath, [mint, 'keygen', '--kid', 'shop-2026', '--out', out]);
		const { keys } = parse(made.stdout) as { keys: Record<string, string>[] };
		const privateJwk = JSON.parse(readFileSync(out, 'utf8'));
		expect(keys).toEqual([{ kid: 'shop-2026', kty: 'OKP', crv: 'Ed25519', x: privateJwk.x }]);
		expect(made.stderr).toContain(`Wrote the private key to ${out}`);

		const minted = await run(process.execPath, [
			mint,
			'--key',
			out,
			'--partner',
			'shop',
			'--subject',
			'customer-9',
			'--audience',
			AUDIENCE
		]);
		const token = minted.stdout.trim();
		const verified = await verifySubjectToken({
			token,
			keys: parseRegistry({
				text: JSON.stringify({ partners: [{ id: 'shop', keys }] }),
				source: 'partners.json'
			}),
			issuers: ['shop'],
			subject: 'customer-9',
			audience: AUDIENCE,
			at: Date.now()
		});
		expect(verified).toMatchObject({ ok: true });
	});

	it('says how to call it when arguments are missing', async () => {
		await expect(run(process.execPath, [mint, '--partner', 'shop'])).rejects.toMatchObject({
			code: 1,
			stderr: expect.stringContaining('Usage: node receiver/mint.js --key')
		});
	});
});
