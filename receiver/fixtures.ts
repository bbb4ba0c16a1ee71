/** Sites, records and databases for the receiver's tests. Not used by the receiver itself. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { AcceptanceRecord } from '../src/lib/core/record';
import { HASH_1_0, sampleAct, sampleChain } from '../src/lib/core/record-fixtures';

/** The PostgreSQL server the receiver's tests also run against, when there is one. */
export const postgresUrl = process.env.ASSENT_TEST_DATABASE_URL || undefined;
/** CI must run the PostgreSQL half too: there, a missing server fails the run. */
export const inCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

/** A statement the test site publishes: `terms` 1.0 in English, as `sampleAct` names it. */
export const PUBLISHED = {
	id: 'terms',
	version: '1.0',
	locale: 'en',
	hash: HASH_1_0,
	effective: '2020-01-01'
};

/** The partner registry the test site publishes. */
export const PARTNERS = [
	{
		id: 'acme',
		name: 'Acme',
		url: 'https://acme.example',
		origins: ['https://partner.example', 'https://shop.example']
	}
];

export interface TestSite {
	dir: string;
	/** Publishes one more version and locale, as a rebuilt site would. */
	publish(statement: {
		id: string;
		version: string;
		locale: string;
		hash: string;
		/** When it comes into force. @default '2020-01-01' */
		effective?: string;
	}): void;
	remove(): void;
}

/** A built site folder with a `statements/index.json` shaped as the real build writes it. */
export function testSite(): TestSite {
	const dir = mkdtempSync(join(tmpdir(), 'assent-receiver-site-'));
	mkdirSync(join(dir, 'statements'));
	const published: {
		id: string;
		version: string;
		locale: string;
		hash: string;
		effective?: string;
	}[] = [PUBLISHED];
	writeFileSync(
		join(dir, 'partners.json'),
		JSON.stringify({ schema: 'assent.partners/1', partners: PARTNERS })
	);
	const write = () => {
		const ids = [...new Set(published.map((p) => p.id))];
		const index = {
			schema: 'assent.statements/1',
			statements: ids.map((id) => ({
				id,
				versions: [...new Set(published.filter((p) => p.id === id).map((p) => p.version))].map(
					(version) => ({
						version,
						effective:
							published.find((p) => p.id === id && p.version === version)?.effective ??
							'2020-01-01',
						locales: Object.fromEntries(
							published
								.filter((p) => p.id === id && p.version === version)
								.map((p) => [
									p.locale,
									{ hash: p.hash, url: `/statements/${id}/${version}/${p.locale}/` }
								])
						)
					})
				)
			}))
		};
		writeFileSync(join(dir, 'statements', 'index.json'), JSON.stringify(index));
	};
	write();
	return {
		dir,
		publish(statement) {
			published.push(statement);
			write();
		},
		remove: () => rmSync(dir, { recursive: true, force: true })
	};
}

/** `count` chained records of one browser, accepting `terms` 1.0 unless `overrides` say else. */
export function makeRecords(
	count: number,
	overrides: Record<string, unknown> = {}
): Promise<AcceptanceRecord[]> {
	return sampleChain({
		acts: Array.from({ length: count }, (_, i) =>
			sampleAct({ subject: `customer-${i + 1}`, ...overrides })
		),
		start: new Date()
	});
}

/** A statement field naming a version the test site does not publish (yet). */
export function unpublished(version: string) {
	return {
		id: 'terms',
		version,
		locale: 'en',
		hash: `sha256:${'c'.repeat(64)}`,
		url: `https://statements.example.com/statements/terms/${version}/en/`
	};
}

/**
 * A fresh, empty schema on the PostgreSQL server, and a URL whose connections use it: each
 * suite starts from no tables at all, as a new operator does.
 */
export async function postgresSchema(url: string): Promise<{ url: string; drop(): Promise<void> }> {
	const name = `assent_test_${randomBytes(6).toString('hex')}`;
	const admin = async (sql: string) => {
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		try {
			await client.query(sql);
		} finally {
			await client.end();
		}
	};
	await admin(`create schema ${name}`);
	const scoped = new URL(url);
	scoped.searchParams.set('options', `-c search_path=${name}`);
	return { url: scoped.href, drop: () => admin(`drop schema ${name} cascade`) };
}

/** Temporary folders removed by `cleanup`. */
export function tempFolders() {
	const made: string[] = [];
	return {
		make(prefix: string) {
			const dir = mkdtempSync(join(tmpdir(), prefix));
			made.push(dir);
			return dir;
		},
		cleanup() {
			for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
		}
	};
}
