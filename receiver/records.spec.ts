import { describe, expect, it } from 'vitest';
import { recordDigest as browserDigest } from '../src/lib/core/digest';
import { makeRecords } from './fixtures';
import { checkRecord, duplicateKey, recordDigest, recordTexts } from './records.js';

describe('duplicateKey', () => {
	it('compares keys decoded, whether written plainly or with escapes', () => {
		expect(duplicateKey('{"action":1,"\\u0061ction":2}')).toBe('action');
		expect(duplicateKey('{"a\\"b":1,"a\\u0022b":2}')).toBe('a"b');
		expect(duplicateKey('{"s":{"x":1,"y":[{"x":1,"x":2}]}}')).toBe('s.y[0].x');
		expect(duplicateKey('{"action":1,"Action":2,"a\\\\":3,"a":4}')).toBeUndefined();
	});
});

describe('recordTexts', () => {
	it('returns each record of the body as the very text that was sent', () => {
		const body =
			'{ "before": {"records": [1]}, "records" :\n[ {"a":"]}\\"[{"} ,\t[1, {"b": [2]}], "x\\\\", -1.5e3,true ,null ], "after": "records" }';
		expect(JSON.parse(body).records).toHaveLength(6);
		expect(recordTexts({ body })).toEqual([
			'{"a":"]}\\"[{"}',
			'[1, {"b": [2]}]',
			'"x\\\\"',
			'-1.5e3',
			'true',
			'null'
		]);
	});

	it('takes the last "records" key, as JSON.parse does', () => {
		const body = '{"records":[{"first":1}],"records":[{"second":2}, {"third":3}]}';
		expect(recordTexts({ body })).toEqual(['{"second":2}', '{"third":3}']);
		expect(JSON.parse(body).records).toEqual([{ second: 2 }, { third: 3 }]);
	});

	it('finds keys written with escapes, and empty lists', () => {
		expect(recordTexts({ body: '{"rec\\u006frds": [ {"id":"x"} ]}' })).toEqual(['{"id":"x"}']);
		expect(recordTexts({ body: ' {"records":[ ]} ' })).toEqual([]);
	});

	it('says when the body has no records list', () => {
		expect(recordTexts({ body: '[{"records":[]}]' })).toBeUndefined();
		expect(recordTexts({ body: '{"records":{}}' })).toBeUndefined();
		expect(recordTexts({ body: '{}' })).toBeUndefined();
	});

	it('keeps the text of real records, which parse back to the same records', async () => {
		const records = await makeRecords(3, { subject: 'ünïcødé "quoted" [customer]' });
		const body = JSON.stringify({ records }, null, 2);
		const texts = recordTexts({ body })!;
		expect(texts.map((t) => JSON.parse(t))).toEqual(records);
		expect(texts.every((t) => body.includes(t))).toBe(true);
	});
});

describe('checkRecord', () => {
	it('accepts what the widget builds, with the digest the browser computed', async () => {
		const [record] = await makeRecords(1, { subjectToken: 'tok', partner: 'acme' });
		const checked = checkRecord({ record });
		expect(checked).toEqual({ ok: true, digest: record!.digest });
		expect(recordDigest(record!)).toBe(await browserDigest(record!));
	});

	it('refuses what the schema cannot see: impossible dates, spellings, origins, URLs', async () => {
		const [record] = await makeRecords(1);
		const cases: [Record<string, unknown>, RegExp][] = [
			[{ at: '2026-13-01T00:00:00.000Z' }, /"at" is .* not a real instant/],
			[{ statement: { ...record!.statement, locale: 'zh-cn' } }, /canonical spelling \(zh-CN\)/],
			[{ statement: { ...record!.statement, url: 'https://exa mple.com/x' } }, /"statement.url"/],
			[
				{ presentation: { ...record!.presentation, origin: 'https://Partner.example:443' } },
				/"presentation.origin"/
			],
			[{ subject: 'a\u0000b' }, /"subject" holds U\+0000/],
			[{ client: { ...record!.client, userAgent: 'x\ud800' } }, /"client.userAgent" holds/]
		];
		for (const [change, reason] of cases) {
			const changed = { ...record!, ...change };
			const outcome = checkRecord({ record: { ...changed, digest: recordDigest(changed) } });
			expect(outcome, JSON.stringify(change)).toEqual({
				ok: false,
				reason: expect.stringMatching(reason)
			});
		}
	});

	it('names the schema rule a record breaks', async () => {
		const [record] = await makeRecords(1);
		expect(checkRecord({ record: { ...record!, schema: 'assent.record/2' } })).toEqual({
			ok: false,
			reason: expect.stringMatching(/"schema" must be equal to constant \("assent.record\/1"\)/)
		});
		expect(
			checkRecord({ record: { ...record!, statement: { ...record!.statement, hash: 'x' } } })
		).toEqual({
			ok: false,
			reason: expect.stringMatching(/"statement.hash" must match pattern/)
		});
		expect(checkRecord({ record: 'a string' })).toEqual({
			ok: false,
			reason: expect.stringMatching(/the record must be object/)
		});
	});
});
