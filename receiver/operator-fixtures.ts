/** Sites, acts and requests for the tests of the operator's API and webhooks. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { AcceptanceRecord, Act } from '../src/lib/core/record';
import { sampleAct, sampleStatement } from '../src/lib/core/record-fixtures';

export const SITE = 'https://statements.example.com';
export const OPERATOR_TOKEN = 'console-token-0123456789abcdef';

/** `terms`: 1.0 initial, 1.1 minor, 2.0 material, 3.0 material announced for 2027. */
export const TERMS = [
	{ version: '1.0', issued: '2026-01-01', effective: '2026-01-01', change: 'initial' },
	{ version: '1.1', issued: '2026-02-20', effective: '2026-03-01', change: 'minor' },
	{ version: '2.0', issued: '2026-05-01', effective: '2026-06-01', change: 'material' },
	{ version: '3.0', issued: '2026-11-01', effective: '2027-01-01', change: 'material' }
] as const;
export const ASSOCIATION = [
	{ version: '1.0', issued: '2026-01-01', effective: '2026-01-01', change: 'initial' }
] as const;

/** The partners the tests link subjects to, shown on the page `sampleAct` names. */
export const PARTNER_IDS = ['harbor', 'acme'];

/**
 * A built site publishing `terms` and `partner-association`, with each version's JSON, and its
 * partner registry.
 */
export function operatorSite(dir: string) {
	const statements = [
		{ id: 'terms', versions: TERMS },
		{ id: 'partner-association', versions: ASSOCIATION }
	];
	const write = () => {
		mkdirSync(join(dir, 'statements'), { recursive: true });
		const index = {
			schema: 'assent.statements/1',
			site: { name: 'Test', locales: ['en'], baseUrl: `${SITE}/` },
			statements: statements.map((s) => ({
				id: s.id,
				versions: s.versions.map((v) => ({
					...v,
					locales: {
						en: {
							title: `${s.id} ${v.version}`,
							hash: sampleStatement({ id: s.id, version: v.version }).hash,
							url: `/statements/${s.id}/${v.version}/en/`,
							json: `/statements/${s.id}/${v.version}/en.json`
						}
					}
				}))
			}))
		};
		writeFileSync(join(dir, 'statements', 'index.json'), JSON.stringify(index));
		for (const s of statements) {
			for (const v of s.versions) {
				mkdirSync(join(dir, 'statements', s.id, v.version), { recursive: true });
				writeFileSync(
					join(dir, 'statements', s.id, v.version, 'en.json'),
					JSON.stringify({
						schema: 'assent.statement-version/1',
						id: s.id,
						version: v.version,
						locale: 'en',
						title: `${s.id} ${v.version}`,
						issued: v.issued,
						effective: v.effective,
						change: v.change,
						summary: 'What changed.',
						hash: sampleStatement({ id: s.id, version: v.version }).hash,
						html: `<h1>${s.id} ${v.version}</h1><p>The text.</p>`
					})
				);
			}
		}
	};
	write();
	writeFileSync(
		join(dir, 'partners.json'),
		JSON.stringify({
			schema: 'assent.partners/1',
			partners: PARTNER_IDS.map((id) => ({ id, origins: ['https://partner.example'] }))
		})
	);
	return {
		versions: (id: string) => statements.find((x) => x.id === id)!.versions.map((v) => ({ ...v })),
		publish(
			id: string,
			version: { version: string; issued: string; effective: string; change: string }
		) {
			const s = statements.find((x) => x.id === id)!;
			s.versions = [...s.versions, version] as never;
			write();
		}
	};
}

/** An act on `terms` (or `partner-association` for partner links) at version `version`. */
export function act(
	action: Act['action'],
	version: string,
	subject: string,
	partner?: string
): Act {
	const id = action === 'associate' || action === 'disassociate' ? 'partner-association' : 'terms';
	return sampleAct({
		action,
		subject,
		statement: sampleStatement({ id, version }),
		...(partner !== undefined ? { partner } : {})
	});
}

export async function post(url: string, records: AcceptanceRecord[], body?: string) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: body ?? JSON.stringify({ records })
	});
	const result = await response.json();
	expect(result.rejected).toEqual([]);
	return result;
}
