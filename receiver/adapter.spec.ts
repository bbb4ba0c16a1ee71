/**
 * The browser's HTTP adapter against the reference receiver: the sync contract every adapter
 * passes (src/lib/sync/contract.spec-suite.ts), with a real receiver and database behind it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { AcceptanceRecord } from '../src/lib/core/record';
import { adapterContract } from '../src/lib/sync/contract.spec-suite';
import { httpAdapter } from '../src/lib/sync/http';
import { PARTNERS, testSite, type TestSite } from './fixtures';
import { generateSubjectKey, mintSubjectToken } from './mint.js';
import { startReceiver } from './receiver.js';
import type { RunningReceiver } from './types.js';

let site: TestSite;
let running: RunningReceiver;
/** Acme's backend key, registered in the site's partners.json: it vouches for subjects. */
const acmeKey = generateSubjectKey({ kid: 'acme-1' });
const AUDIENCE = 'https://statements.example.com';

beforeAll(async () => {
	site = testSite();
	writeFileSync(
		join(site.dir, 'partners.json'),
		JSON.stringify({
			schema: 'assent.partners/1',
			partners: PARTNERS.map((p) => ({ ...p, keys: [acmeKey.publicJwk] }))
		})
	);
	const index = join(site.dir, 'statements', 'index.json');
	writeFileSync(
		index,
		JSON.stringify({
			...JSON.parse(readFileSync(index, 'utf8')),
			site: { name: 'Test', baseUrl: `${AUDIENCE}/` }
		})
	);
	running = await startReceiver({
		port: 0,
		database: 'memory://',
		site: site.dir,
		// These records carry no subject token: accepted, marked unverified (SPEC section 8).
		subjects: 'unverified',
		token: 'partner-token',
		// The contract's backend refuses this subject: an operator's own rule, through `policy`.
		policy: ({ record }) =>
			record.subject === 'refuse-me' ? { reason: 'This customer is unknown to us.' } : undefined,
		log: () => {}
	});
});
afterAll(async () => {
	await running?.close();
	site?.remove();
});

adapterContract({
	name: 'HTTP adapter to the reference receiver',
	create: async () => {
		const database = running.receiver.database!;
		await database.query('delete from assent_records');
		return {
			adapter: httpAdapter({
				url: running.url,
				headers: () => ({ Authorization: 'Bearer partner-token' })
			}),
			token: (subject) =>
				mintSubjectToken({
					key: acmeKey.privateJwk,
					partner: 'acme',
					subject,
					audience: AUDIENCE
				}),
			received: async () =>
				(await database.query('select raw from assent_records order by id')).rows.map(
					(row) => JSON.parse(String(row.raw)) as AcceptanceRecord
				),
			close: async () => {}
		};
	}
});
