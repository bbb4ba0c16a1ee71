/**
 * The site's `/partners.json` is read once for both of its readers: the intake's partner origins
 * and the subject tokens' keys.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publishedPartners } from './intake.js';
import { keyRegistry } from './registry.js';
import { partnersDocument } from './site-documents.js';

const SITE = 'https://statements.example.com';

function registry() {
	const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
	return JSON.stringify({
		partners: [{ id: 'shop', origins: ['https://shop.example'], keys: [{ ...jwk, kid: 'shop-1' }] }]
	});
}

describe('partnersDocument', () => {
	it('gives the partner checks and the token keys one read of /partners.json', async () => {
		const asked: string[] = [];
		let up = true;
		const text = registry();
		const fetch = (async (url: string) => {
			asked.push(url);
			await new Promise((resolve) => setTimeout(resolve, 10));
			return up ? new Response(text) : new Response('Bad gateway', { status: 502 });
		}) as typeof globalThis.fetch;
		let now = 0;
		const document = partnersDocument({ site: SITE, fetch, now: () => now });
		const partners = publishedPartners({ site: SITE, document });
		const keys = keyRegistry({ site: SITE, document });

		const [found, current] = await Promise.all([partners.lookup('shop'), keys.current()]);
		expect(found).toEqual({
			partner: { id: 'shop', name: undefined, origins: ['https://shop.example'] }
		});
		expect([...(current.keys?.get('shop')?.keys() ?? [])]).toEqual(['shop-1']);
		expect(asked).toEqual([`${SITE}/partners.json`]);

		// Within the refresh period neither reader asks again.
		now = 10_000;
		await keys.current();
		expect(await partners.lookup('unknown')).toEqual({ partner: undefined });
		expect(asked).toHaveLength(1);

		// A failed read is one failure, reported to both; what the last good read gave is kept.
		up = false;
		now = 40_000;
		expect(await partners.lookup('unknown')).toEqual({
			partner: undefined,
			error: `The partner registry ${SITE}/partners.json could not be read (HTTP 502).`
		});
		expect((await keys.current()).keys?.get('shop')?.has('shop-1')).toBe(true);
		expect(asked).toHaveLength(2);
	});
});
