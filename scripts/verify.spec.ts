import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKey, publicKeyDocument, signReceipt } from '../receiver/index.js';
import evidenceSchema from '../static/schemas/evidence.json';
import recordSchema from '../static/schemas/record.json';
import { EVIDENCE_FORMAT, EVIDENCE_VERIFY_STEPS } from '../src/lib/core/evidence';
import { HASH_1_0, sampleAct, sampleChain } from '../src/lib/core/record-fixtures';
import type { AcceptanceRecord } from '../src/lib/core/record';

/** Runs the command as a person would; asynchronously, so the tests' own timers keep running. */
function verify(
	...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
	return new Promise((done, fail) => {
		const child = spawn(process.execPath, [resolve('scripts/verify.js'), ...args]);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', fail);
		child.on('close', (status) => done({ status, stdout, stderr }));
	});
}

/** Each record's assurance line, in order. */
const assurances = (stdout: string) =>
	[...stdout.matchAll(/^ {2}assurance: (.*)$/gm)].map((m) => m[1]);

let dir: string;
let site: string;
let records: AcceptanceRecord[];

function exportFile(name: string, list: AcceptanceRecord[]): string {
	const path = join(dir, name);
	writeFileSync(
		path,
		JSON.stringify({
			format: 'assent.records-export/1',
			exportedAt: '2026-11-25T08:00:00.000Z',
			origin: 'http://127.0.0.1:9',
			records: list,
			sync: {}
		})
	);
	return path;
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'assent-verify-'));
	// A built site folder needs only the index the hashes are checked against.
	site = join(dir, 'build');
	mkdirSync(join(site, 'statements'), { recursive: true });
	writeFileSync(
		join(site, 'statements', 'index.json'),
		JSON.stringify({
			schema: 'assent.statements/1',
			statements: [
				{ id: 'terms', versions: [{ version: '1.0', locales: { en: { hash: HASH_1_0 } } }] }
			]
		})
	);
	// The second record's widget was seen visibly shown; the others' visibility is not known.
	records = await sampleChain({
		acts: [1, 2, 3].map((n) => {
			const act = sampleAct({ subject: `c-${n}` });
			return n === 2 ? { ...act, presentation: { ...act.presentation, visible: true } } : act;
		})
	});
});

describe('node scripts/verify.js', () => {
	it('exits 0 and says so when every record of an export verifies against a built site', async () => {
		const result = await verify(exportFile('good.json', records), '--site', site);
		expect(result.stderr).toBe('');
		expect(result.stdout.split('\n')[0]).toBe('All 3 records verified');
		expect(result.stdout).toContain('  digest: ok, the content hashes to its digest.');
		// An export holds no receipts: as on /verify/, nothing says whether a token vouched.
		expect(assurances(result.stdout)).toEqual([
			'no receipt: whether the subject was verified is not known · visibility not known',
			'no receipt: whether the subject was verified is not known · seen visibly shown',
			'no receipt: whether the subject was verified is not known · visibility not known'
		]);
		expect(result.status).toBe(0);
	}, 60_000);

	it('exits 1 and names the record whose label was changed', async () => {
		const changed = structuredClone(records);
		changed[2]!.presentation.label = 'Something else';
		const result = await verify(exportFile('changed.json', changed), '--site', site);
		expect(result.stdout.split('\n')[0]).toBe(
			'Record #3 (seq 3): digest does not match: the record was changed after it was made.'
		);
		expect(result.stdout).toMatch(/^#3 seq 3 \S+: FAILED$/m);
		expect(result.status).toBe(1);
	}, 60_000);

	it('exits 1 when the published hashes cannot be read, saying why', async () => {
		const result = await verify(exportFile('good.json', records), '--site', join(dir, 'nowhere'));
		expect(result.stdout).toMatch(
			/^No check failed, but 3 of 3 records could not be fully checked/
		);
		expect(result.stdout).toContain('Statement hashes not checked');
		expect(result.status).toBe(1);
	}, 60_000);

	it('exits 2 with the usage for a file that does not exist', async () => {
		const result = await verify(join(dir, 'missing.json'));
		expect(result.stderr).toMatch(/^No file .*missing\.json\. Usage: node scripts\/verify\.js/);
		expect(result.status).toBe(2);
	}, 60_000);

	it('verifies an evidence bundle signed by the reference receiver, valid against its schema', async () => {
		const key = loadSigningKey({});
		const bundle = {
			format: EVIDENCE_FORMAT,
			subject: 'c-1',
			generatedAt: '2026-11-25T08:00:00.000Z',
			key: publicKeyDocument({ key }),
			records: records.map((record, i) => {
				const receivedAt = `2026-11-24T06:3${i}:00.000Z`;
				return {
					// Spaced as a browser might send it: the bytes received, not a rewrite.
					raw: JSON.stringify(record, null, 1),
					record,
					receivedAt,
					// The first subject vouched for by a token, the second not, the third relayed.
					receipt: signReceipt({
						key,
						id: record.id,
						digest: record.digest,
						receivedAt,
						...(i === 1 ? { subject: 'unverified' } : {}),
						...(i === 2 ? { relayed: true } : {})
					})
				};
			}),
			statements: [
				{
					id: 'terms',
					version: '1.0',
					locale: 'en',
					title: 'Terms',
					hash: HASH_1_0,
					html: '<p>Terms</p>'
				}
			],
			verify: [...EVIDENCE_VERIFY_STEPS]
		};
		const ajv = new Ajv2020({ strict: true, validateFormats: false });
		const validate = ajv.compile(evidenceSchema);
		expect(validate(bundle), JSON.stringify(validate.errors)).toBe(true);
		const validateRecord = ajv.compile(recordSchema);
		for (const entry of bundle.records) expect(validateRecord(entry.record)).toBe(true);

		const path = join(dir, 'evidence.json');
		writeFileSync(path, JSON.stringify(bundle));
		const good = await verify(path, '--site', site);
		expect(good.stdout.split('\n')[0]).toBe('All 3 records verified');
		expect(good.stdout).toContain(`  receipt: ok, signed by the backend’s key ${key.kid}.`);
		expect(assurances(good.stdout)).toEqual([
			'subject verified by a token · visibility not known',
			'subject not verified · seen visibly shown',
			'subject verified by a token · relayed from the partner page’s storage · visibility not known'
		]);
		// Under its record's line, after its checks.
		expect(good.stdout).toMatch(
			/^#3 seq 3 \S+: verified\n(?: {2}\w+: .*\n)+ {2}assurance: subject verified by a token · relayed/m
		);
		expect(good.status).toBe(0);

		// A receipt of another receiver's key, slipped in under this one's kid.
		const other = loadSigningKey({});
		bundle.records[1]!.receipt = {
			...signReceipt({
				key: other,
				id: records[1]!.id,
				digest: records[1]!.digest,
				receivedAt: 'x'
			}),
			kid: key.kid
		};
		writeFileSync(path, JSON.stringify(bundle));
		const forged = await verify(path, '--site', site);
		expect(forged.stdout.split('\n')[0]).toBe(
			`Record #2 (seq 2): the receipt’s signature does not verify against key ${key.kid}: it was forged or changed.`
		);
		expect(forged.status).toBe(1);
	}, 60_000);
});
