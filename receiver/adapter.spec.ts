/**
 * The browser's HTTP adapter against the reference receiver: the sync contract every adapter
 * passes (src/lib/sync/contract.spec-suite.ts), with a real receiver and database behind it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AcceptanceRecord } from '../src/lib/core/record';
import { sampleAct, sampleChain } from '../src/lib/core/record-fixtures';
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

describe('HTTP adapter reading a long standing from the reference receiver', () => {
	it('follows the receiver’s pages past its page size and gets every record once', async () => {
		const database = running.receiver.database!;
		await database.query('delete from assent_records');
		const [record] = await sampleChain({ acts: [sampleAct({ subject: 'long-standing' })] });
		// 2,500 rows stored as the receiver stores them (the adapter checks no digests): three
		// pages of the receiver's default 1,000.
		await database.query(
			`insert into assent_records (id, digest, raw, record, action, subject, partner, statement_id,
				statement_version, statement_locale, statement_hash, at, received_at, receipt, subject_verified)
			select gen_random_uuid(), $1::text, $2::text, $2::text::jsonb, 'accept', 'long-standing',
				null, 'terms', '1.0', 'en', $3::text, timestamptz '2026-01-01' + g * interval '1 second', now(),
				$4::text::jsonb, true
			from generate_series(1, 2500) g`,
			[
				record!.digest,
				JSON.stringify(record),
				record!.statement.hash,
				JSON.stringify({ schema: 'assent.receipt/1', receivedAt: '2026-11-24T06:30:01.000Z' })
			]
		);
		const requests: string[] = [];
		const adapter = httpAdapter({
			url: running.url,
			fetch: (input, init) => {
				requests.push(String(input));
				return fetch(input, init);
			}
		});
		const token = await mintSubjectToken({
			key: acmeKey.privateJwk,
			partner: 'acme',
			subject: 'long-standing',
			audience: AUDIENCE
		});
		const { records } = await adapter.standing('long-standing', token);
		expect(records).toHaveLength(2500);
		expect(requests).toHaveLength(3);
		expect(requests[1]).toContain('cursor=');
		await database.query('delete from assent_records');
	});
});
