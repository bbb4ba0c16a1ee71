import { describe, expect, it } from 'vitest';
import { recordDigest, sha256Hex } from './digest';
import { canonicalJson } from './jcs';
import type { UnsignedRecord } from './record';
import { buildRecord } from './record-builder';
import { sampleAct } from './record-fixtures';

describe('sha256Hex', () => {
	it.each([
		['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
		['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
		[
			'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
			'248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'
		]
	])('hashes %j as in FIPS 180-2', async (text, hex) => {
		expect(await sha256Hex(text)).toBe(hex);
	});

	it('hashes the UTF-8 bytes of the text', async () => {
		// printf 'é€😀' | sha256sum
		expect(await sha256Hex('é€😀')).toBe(
			'df9226927fd572c1ee66eec85de1bb139497614899f36e4e90474cb71f6ef9d0'
		);
	});
});

describe('recordDigest', () => {
	const unsigned: UnsignedRecord = {
		schema: 'assent.record/1',
		id: '01a20c3f-3abb-7000-8000-000000000000',
		action: 'accept',
		at: '2026-11-24T06:30:00.123Z',
		seq: 1,
		subject: 'customer-123',
		partner: null,
		statement: {
			id: 'terms',
			version: '1.0',
			locale: 'en',
			hash: `sha256:${'a'.repeat(64)}`,
			url: 'https://statements.example.com/statements/terms/1.0/en/'
		},
		presentation: { embed: 'iframe', origin: 'https://partner.example', label: 'I accept' },
		client: { userAgent: 'UA', widget: 'assent/0.1.0' },
		prev: null
	};

	it('hashes the canonical JSON of the record without its digest (a fixed vector)', async () => {
		// Written by hand and hashed with `printf '%s' "$TEXT" | sha256sum`, so the digest rule
		// cannot drift unnoticed and anyone can recompute a digest without this code.
		const text =
			'{"action":"accept","at":"2026-11-24T06:30:00.123Z","client":{"userAgent":"UA","widget":"assent/0.1.0"},' +
			'"id":"01a20c3f-3abb-7000-8000-000000000000","partner":null,' +
			'"presentation":{"embed":"iframe","label":"I accept","origin":"https://partner.example"},' +
			'"prev":null,"schema":"assent.record/1","seq":1,' +
			`"statement":{"hash":"sha256:${'a'.repeat(64)}","id":"terms","locale":"en",` +
			'"url":"https://statements.example.com/statements/terms/1.0/en/","version":"1.0"},' +
			'"subject":"customer-123"}';
		expect(canonicalJson(unsigned)).toBe(text);
		expect(await recordDigest(unsigned)).toBe(
			'sha256:f4040fefbbddc3b88a9a7c92712a26fdb6e636b2fbbf88a3d66676455a541f4a'
		);
	});

	it('ignores a digest already on the record', async () => {
		const digest = await recordDigest(unsigned);
		expect(await recordDigest({ ...unsigned, digest: 'sha256:whatever' } as UnsignedRecord)).toBe(
			digest
		);
	});

	it('agrees with buildRecord', async () => {
		const record = await buildRecord({ act: sampleAct(), prev: null });
		expect(await recordDigest(record)).toBe(record.digest);
		expect(record.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
	});
});
