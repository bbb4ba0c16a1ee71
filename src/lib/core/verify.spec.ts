import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVIDENCE_FORMAT, EVIDENCE_VERIFY_STEPS, type EvidenceBundle } from './evidence';
import { canonicalJson } from './jcs';
import { HASH_1_0, sampleAct, sampleChain } from './record-fixtures';
import type { AcceptanceRecord } from './record';
import { jwkThumbprint } from './signature';
import {
	RECORDS_EXPORT_FORMAT,
	describeVerdict,
	parseStrictJson,
	verifyEvidence,
	type PublishedIndex
} from './verify';

const INDEX: PublishedIndex = {
	statements: [{ id: 'terms', versions: [{ version: '1.0', locales: { en: { hash: HASH_1_0 } } }] }]
};

interface Signer {
	jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string };
	kid: string;
	sign: (record: AcceptanceRecord) => Promise<Record<string, unknown>>;
	/** Signs any fields as a receipt is signed (a manifest, here). */
	signFields: (fields: Record<string, unknown>) => Promise<Record<string, unknown>>;
}

async function signer(): Promise<Signer> {
	const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
		'sign',
		'verify'
	])) as CryptoKeyPair;
	const { x } = await crypto.subtle.exportKey('jwk', pair.publicKey);
	const jwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: x! };
	const kid = await jwkThumbprint(jwk);
	const signFields = async (fields: Record<string, unknown>) => {
		const signature = await crypto.subtle.sign(
			{ name: 'Ed25519' },
			pair.privateKey,
			new TextEncoder().encode(canonicalJson(fields))
		);
		return { ...fields, signature: Buffer.from(signature).toString('base64url') };
	};
	return {
		jwk,
		kid,
		signFields,
		sign: (record) =>
			signFields({
				schema: 'assent.receipt/1',
				alg: 'Ed25519',
				kid,
				id: record.id,
				digest: record.digest,
				receivedAt: '2026-11-24T06:31:00.000Z'
			})
	};
}

let backend: Signer;
let stranger: Signer;
let chain: AcceptanceRecord[];

beforeAll(async () => {
	[backend, stranger] = await Promise.all([signer(), signer()]);
	chain = await sampleChain({
		acts: [1, 2, 3, 4].map((n) => sampleAct({ subject: `customer-${n}` }))
	});
});

function exportText(records: unknown[]): string {
	return JSON.stringify({
		format: RECORDS_EXPORT_FORMAT,
		exportedAt: '2026-11-25T08:00:00.000Z',
		origin: 'https://statements.example.com',
		records,
		sync: {}
	});
}

async function bundle(
	records: AcceptanceRecord[],
	change: (b: EvidenceBundle) => void = () => {}
): Promise<string> {
	const file: EvidenceBundle = {
		format: EVIDENCE_FORMAT,
		subject: 'customer-1',
		generatedAt: '2026-11-25T08:00:00.000Z',
		key: { alg: 'Ed25519', kid: backend.kid, jwk: backend.jwk },
		records: await Promise.all(
			records.map(async (record) => ({
				raw: JSON.stringify(record),
				record,
				receivedAt: '2026-11-24T06:31:00.000Z',
				receipt: (await backend.sign(record)) as unknown as EvidenceBundle['records'][0]['receipt']
			}))
		),
		statements: [
			{
				id: 'terms',
				version: '1.0',
				locale: 'en',
				title: 'Terms',
				hash: HASH_1_0,
				html: '<p>x</p>'
			}
		],
		verify: [...EVIDENCE_VERIFY_STEPS]
	};
	change(file);
	return JSON.stringify(file);
}

describe('verifyEvidence on a records export', () => {
	it('verifies an untouched export', async () => {
		const result = await verifyEvidence({ text: exportText(chain), index: INDEX });
		expect(result.ok).toBe(true);
		expect(result.kind).toBe('export');
		expect(result.records.map((r) => r.verified)).toEqual([true, true, true, true]);
		expect(describeVerdict({ verification: result })).toBe('All 4 records verified');
		expect(describeVerdict({ verification: result, locale: 'zh-CN' })).toBe('全部 4 条记录已验证');
	});

	it('fails the digest of a record whose label was changed, and says where', async () => {
		const changed = structuredClone(chain);
		changed[2]!.presentation.label = 'I accept nothing';
		const result = await verifyEvidence({ text: exportText(changed), index: INDEX });
		expect(result.ok).toBe(false);
		expect(result.records[2]!.checks.digest).toMatchObject({
			state: 'fail',
			code: 'digest-mismatch'
		});
		expect(result.records[1]!.verified).toBe(true);
		expect(result.firstFailure).toMatchObject({ where: 'record', check: 'digest' });
		expect(describeVerdict({ verification: result })).toBe(
			'Record #3 (seq 3): digest does not match: the record was changed after it was made.'
		);
	});

	it('fails the chain at the seq after a removed record', async () => {
		const removed = chain.filter((r) => r.seq !== 2);
		const result = await verifyEvidence({ text: exportText(removed), index: INDEX });
		expect(result.ok).toBe(false);
		expect(result.records.map((r) => r.checks.digest.state)).toEqual(['pass', 'pass', 'pass']);
		expect(result.records[1]!.seq).toBe(3);
		expect(result.records[1]!.checks.chain).toMatchObject({
			state: 'fail',
			code: 'chain-missing',
			values: { missing: '2' }
		});
		expect(result.records[2]!.checks.chain.state).toBe('not-checked');
		expect(describeVerdict({ verification: result })).toBe(
			'Record #2 (seq 3): records are missing before it (seq 2): a record was removed.'
		);
	});

	it('fails the statement check for a hash the site never published', async () => {
		const [record] = await sampleChain({
			acts: [
				sampleAct({
					statement: { ...chain[0]!.statement, hash: `sha256:${'c'.repeat(64)}` }
				})
			]
		});
		const result = await verifyEvidence({ text: exportText([record]), index: INDEX });
		expect(result.records[0]!.checks.digest.state).toBe('pass');
		expect(result.records[0]!.checks.statement).toMatchObject({
			state: 'fail',
			code: 'statement-hash',
			values: { published: HASH_1_0 }
		});
		expect(result.firstFailure).toMatchObject({ where: 'record', check: 'statement' });
	});

	it('says statement hashes were not checked when the site index is missing', async () => {
		const result = await verifyEvidence({ text: exportText(chain), index: null });
		expect(result.ok).toBe(false);
		expect(result.firstFailure).toBeNull();
		expect(result.records[0]!.checks.statement.code).toBe('statement-no-index');
		expect(describeVerdict({ verification: result })).toMatch(
			/^No check failed, but 4 of 4 records could not be fully checked/
		);
	});

	it('names a file that is not an export or bundle', async () => {
		const result = await verifyEvidence({ text: '{"format":"other/1"}', index: INDEX });
		expect(describeVerdict({ verification: result })).toMatch(
			/^The file cannot be verified: its format is "other\/1"/
		);
		const broken = await verifyEvidence({ text: '{"format":', index: INDEX });
		expect(broken.problems[0]!.code).toBe('file-not-json');
	});
});

describe('verifyEvidence on an evidence bundle', () => {
	it('verifies a bundle, its receipts included', async () => {
		const result = await verifyEvidence({ text: await bundle(chain), index: INDEX });
		expect(result.ok).toBe(true);
		expect(result.records.every((r) => r.checks.receipt.state === 'pass')).toBe(true);
		expect(result.records.every((r) => r.checks.raw.state === 'pass')).toBe(true);
	});

	it('fails the receipt signed by another key', async () => {
		const text = await bundle(chain);
		const forged = JSON.parse(text) as EvidenceBundle;
		forged.records[1]!.receipt = {
			...((await stranger.sign(chain[1]!)) as unknown as EvidenceBundle['records'][0]['receipt']),
			kid: backend.kid
		};
		const result = await verifyEvidence({ text: JSON.stringify(forged), index: INDEX });
		expect(result.records[1]!.checks.receipt).toMatchObject({
			state: 'fail',
			code: 'receipt-signature'
		});
		expect(result.firstFailure).toMatchObject({ check: 'receipt', record: { position: 2 } });
		// Signed by the other key under its own kid: the kid is not the bundle key's thumbprint.
		forged.records[1]!.receipt = (await stranger.sign(
			chain[1]!
		)) as unknown as EvidenceBundle['records'][0]['receipt'];
		const other = await verifyEvidence({ text: JSON.stringify(forged), index: INDEX });
		expect(other.records[1]!.checks.receipt.code).toBe('receipt-kid');
	});

	it('fails a key whose kid is not its thumbprint', async () => {
		const text = await bundle(chain, (b) => {
			b.key.kid = stranger.kid;
		});
		const result = await verifyEvidence({ text, index: INDEX });
		expect(result.firstFailure).toMatchObject({
			where: 'file',
			problem: { code: 'key-thumbprint' }
		});
	});

	it('fails a record whose raw text differs from it', async () => {
		const text = await bundle(chain, (b) => {
			b.records[0]!.raw = JSON.stringify({ ...chain[0], subject: 'someone-else' });
		});
		const result = await verifyEvidence({ text, index: INDEX });
		expect(result.records[0]!.checks.raw).toMatchObject({ state: 'fail', code: 'raw-differs' });
		expect(result.records[0]!.checks.digest.state).toBe('pass');
		expect(describeVerdict({ verification: result })).toMatch(
			/^Record #1 \(seq 1\): the raw text is not this record/
		);
	});

	it('refuses raw text with a duplicate key', async () => {
		const text = await bundle(chain, (b) => {
			const raw = JSON.stringify(chain[0]);
			b.records[0]!.raw = raw.replace('{', '{"subject":"someone-else",');
		});
		const result = await verifyEvidence({ text, index: INDEX });
		expect(result.records[0]!.checks.raw).toMatchObject({
			state: 'fail',
			code: 'raw-duplicate-key',
			values: { key: '$.subject' }
		});
	});

	it('fails a statement the bundle holds with another hash', async () => {
		const text = await bundle(chain, (b) => {
			b.statements[0]!.hash = `sha256:${'d'.repeat(64)}`;
		});
		const result = await verifyEvidence({ text, index: INDEX });
		expect(result.records[0]!.checks.statement.code).toBe('statement-bundle-hash');
	});

	it('groups records of two browsers into two chains and checks each', async () => {
		const other = await sampleChain({
			acts: [sampleAct(), sampleAct()],
			start: new Date('2026-11-24T07:00:00.000Z')
		});
		// The backend never got seq 1 and 2 of the first browser (another subject's records).
		const mixed = [chain[2]!, other[0]!, chain[3]!, other[1]!];
		const result = await verifyEvidence({ text: await bundle(mixed), index: INDEX });
		expect(result.chains).toBe(2);
		expect(result.records.map((r) => r.chain)).toEqual([1, 2, 1, 2]);
		expect(result.records.map((r) => r.checks.chain.code)).toEqual([
			'chain-start-unknown',
			'chain-first',
			'chain-ok',
			'chain-ok'
		]);
		expect(result.ok).toBe(true);
	});
});

/** A signed document's fields, without its signature. */
function unsigned(document: unknown): Record<string, unknown> {
	const { signature: _, ...fields } = document as Record<string, unknown>;
	void _;
	return fields;
}

/** The manifest `by` signs for `records`, as a receiver does (`assent.manifest/1`). */
async function manifestOf(
	records: AcceptanceRecord[],
	by: Signer = backend,
	fields: Record<string, unknown> = {}
): Promise<EvidenceBundle['manifest']> {
	return (await by.signFields({
		schema: 'assent.manifest/1',
		alg: 'Ed25519',
		kid: by.kid,
		subject: 'customer-1',
		generatedAt: '2026-11-25T08:00:00.000Z',
		count: records.length,
		records: records.map((r) => [r.id, r.digest]),
		...fields
	})) as unknown as EvidenceBundle['manifest'];
}

/** A bundle holding `records`, with the backend's manifest of `listed` (all of them by default). */
async function signedBundle(
	records: AcceptanceRecord[],
	listed: AcceptanceRecord[] = records,
	by: Signer = backend
): Promise<string> {
	const manifest = await manifestOf(listed, by);
	return bundle(records, (b) => {
		b.manifest = manifest;
	});
}

describe('verifyEvidence on the manifest of a bundle', () => {
	it('shows the bundle complete when its signed manifest lists exactly its records', async () => {
		const result = await verifyEvidence({ text: await signedBundle(chain), index: INDEX });
		expect(result.ok).toBe(true);
		expect(result.completeness).toBe('verified');
		expect(describeVerdict({ verification: result })).toBe('All 4 records verified');
	});

	it('says completeness could not be checked for a bundle without a manifest, and is no error', async () => {
		const result = await verifyEvidence({ text: await bundle(chain), index: INDEX });
		expect(result.ok).toBe(true);
		expect(result.completeness).toBe('absent');
		const records = await verifyEvidence({ text: exportText(chain), index: INDEX });
		expect(records.completeness).toBe('none');
	});

	it('names the record removed from the bundle, wherever it was', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.subarray([0, 1, 2, 3], { minLength: 1, maxLength: 3 }),
				async (removed) => {
					const kept = chain.filter((_, i) => !removed.includes(i));
					const result = await verifyEvidence({
						text: await signedBundle(kept, chain),
						index: INDEX
					});
					expect(result.ok).toBe(false);
					expect(result.completeness).toBe('failed');
					expect(result.problems.map((p) => [p.code, p.values.id, p.values.number])).toEqual(
						removed.map((i) => ['manifest-missing', chain[i]!.id, i + 1])
					);
					const first = chain[removed[0]!]!;
					expect(describeVerdict({ verification: result })).toBe(
						`The bundle is not complete as the receiver signed it: record ${first.id} (number ${removed[0]! + 1} in the receiver’s signed manifest, digest ${first.digest}) is not in the file: it was removed.`
					);
				}
			),
			{ numRuns: 8 }
		);
	});

	it('names a record added to the bundle, and one listed with another digest', async () => {
		const added = await verifyEvidence({
			text: await signedBundle(chain, chain.slice(0, 3)),
			index: INDEX
		});
		expect(added.problems).toEqual([
			{ code: 'manifest-added', values: { position: 4, id: chain[3]!.id } }
		]);
		expect(describeVerdict({ verification: added })).toBe(
			`The bundle is not complete as the receiver signed it: record #4 (${chain[3]!.id}) is not in the receiver’s signed manifest: it was added to the file.`
		);
		const manifest = await manifestOf(chain);
		manifest!.records[1]![1] = `sha256:${'e'.repeat(64)}`;
		const resigned = await backend.signFields(unsigned(manifest));
		const text = await bundle(chain, (b) => {
			b.manifest = resigned as unknown as EvidenceBundle['manifest'];
		});
		const other = await verifyEvidence({ text, index: INDEX });
		expect(other.problems).toMatchObject([
			{ code: 'manifest-digest', values: { position: 2, id: chain[1]!.id } }
		]);
	});

	it('rejects a manifest changed after signing, or signed by another key', async () => {
		// The record is taken out of the manifest too, to hide its removal: the signature breaks.
		const manifest = await manifestOf(chain);
		const hidden = await bundle(chain.slice(1), (b) => {
			b.manifest = { ...manifest!, count: 3, records: manifest!.records.slice(1) };
		});
		const changed = await verifyEvidence({ text: hidden, index: INDEX });
		expect(changed.ok).toBe(false);
		expect(changed.firstFailure).toMatchObject({
			where: 'file',
			problem: { code: 'manifest-signature' }
		});
		expect(describeVerdict({ verification: changed })).toMatch(
			/the list of records was changed after the receiver signed it\.$/
		);

		const stranger_ = await verifyEvidence({
			text: await signedBundle(chain, chain, stranger),
			index: INDEX
		});
		expect(stranger_.firstFailure).toMatchObject({
			problem: { code: 'manifest-kid', values: { signed: stranger.kid, kid: backend.kid } }
		});
		// Signed by another key under the bundle key's kid.
		const forged = await bundle(chain);
		const file = JSON.parse(forged) as EvidenceBundle;
		file.manifest = (await stranger.signFields({
			...unsigned(await manifestOf(chain)),
			kid: backend.kid
		})) as unknown as EvidenceBundle['manifest'];
		const under = await verifyEvidence({ text: JSON.stringify(file), index: INDEX });
		expect(under.problems.map((p) => p.code)).toEqual(['manifest-signature']);
	});

	it('names a failing record before what the manifest says about it', async () => {
		const text = await signedBundle(chain);
		const file = JSON.parse(text) as EvidenceBundle;
		file.records[2]!.record = { ...chain[2]!, subject: 'someone-else' };
		file.records[2]!.raw = JSON.stringify(file.records[2]!.record);
		const result = await verifyEvidence({ text: JSON.stringify(file), index: INDEX });
		expect(result.firstFailure).toMatchObject({ where: 'record', check: 'digest' });
		expect(result.completeness).toBe('verified');
	});

	it('refuses a manifest that is not a signed list', async () => {
		const text = await bundle(chain, (b) => {
			b.manifest = { records: 'all of them' } as unknown as EvidenceBundle['manifest'];
		});
		const result = await verifyEvidence({ text, index: INDEX });
		expect(result.problems.map((p) => p.code)).toEqual(['manifest-malformed']);
		expect(result.ok).toBe(false);
	});
});

describe('parseStrictJson', () => {
	it('finds duplicate keys at any depth, however they are escaped', () => {
		expect(parseStrictJson('{"a":{"b":1,"\\u0062":2}}').duplicate).toBe('$.a.b');
		expect(parseStrictJson('[{"a":"x,\\"a\\":"},{"a":1}]').duplicate).toBeNull();
		expect(parseStrictJson('{"a":[{"c":1},{"c":2,"c":3}]}').duplicate).toBe('$.a[1].c');
	});
});
