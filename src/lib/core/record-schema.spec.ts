/**
 * Keeps `static/schemas/record.json` and the record type the same, with an independent
 * validator (ajv, draft 2020-12) reading the schema as other tools will.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import schema from '../../../static/schemas/record.json';
import { RECORD_PATTERNS, type AcceptanceRecord } from './record';
import { recordProblem } from './record-check';
import { sampleAct, sampleChain } from './record-fixtures';
import { UUID_V7_PATTERN } from './uuid';

type Schema = Record<string, unknown>;
/** A record opened up for breaking in tests. */
type Loose = Record<string, unknown> & Record<'statement' | 'presentation' | 'client', Schema>;

// Strict: a keyword ajv does not know fails the test instead of being skipped. The schema's
// formats are also written as patterns, so ajv-formats is not needed.
const validate = new Ajv2020({ strict: true, validateFormats: false, allErrors: true }).compile(
	schema
);
/** Every place `value` breaks the schema, as `path: reason`; empty when it is valid. */
const check = (value: unknown): string[] =>
	validate(value)
		? []
		: (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);

let records: AcceptanceRecord[];

beforeAll(async () => {
	const scrolled = sampleAct({ subjectToken: 'opaque-token', partner: 'acme' });
	scrolled.presentation = {
		...scrolled.presentation,
		embed: 'inline',
		scrolledToEnd: false,
		visible: 'unknown'
	};
	const seen = sampleAct();
	seen.presentation = { ...seen.presentation, visible: true };
	records = await sampleChain({
		acts: [
			sampleAct(),
			scrolled,
			sampleAct({ action: 'decline' }),
			sampleAct({ action: 'associate', partner: 'acme' }),
			sampleAct({ action: 'disassociate', partner: 'acme' }),
			seen
		]
	});
});

describe('static/schemas/record.json', () => {
	it('is a draft 2020-12 schema without a relative $id, which other tools cannot resolve', () => {
		expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
		expect('$id' in schema).toBe(false);
	});

	it('accepts every record buildRecord writes, and their JSON round trips', () => {
		for (const record of records) {
			expect(check(record)).toEqual([]);
			expect(check(JSON.parse(JSON.stringify(record)))).toEqual([]);
		}
	});

	it('names exactly the fields of the record type', () => {
		const full = records[1]!;
		expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(full).sort());
		for (const part of ['statement', 'presentation', 'client'] as const) {
			expect(Object.keys(schema.properties[part].properties).sort()).toEqual(
				Object.keys(full[part]).sort()
			);
		}
		const optional = ['subjectToken'];
		expect([...schema.required].sort()).toEqual(
			Object.keys(full)
				.filter((key) => !optional.includes(key))
				.sort()
		);
	});

	it('shuts out extra fields at every level', () => {
		const objects: Schema[] = [];
		const walk = (node: unknown) => {
			if (typeof node !== 'object' || node === null) return;
			const s = node as Schema;
			if (s.type === 'object') objects.push(s);
			Object.values(s).forEach(walk);
		};
		walk(schema);
		expect(objects.length).toBe(4);
		for (const object of objects) expect(object.additionalProperties).toBe(false);
	});

	it('uses the same patterns as the code', () => {
		const p = schema.properties;
		expect(p.id.pattern).toBe(UUID_V7_PATTERN);
		expect(p.at.pattern).toBe(RECORD_PATTERNS.at);
		expect(p.subject.pattern).toBe(RECORD_PATTERNS.nonBlank);
		expect(p.subjectToken.pattern).toBe(RECORD_PATTERNS.nonBlank);
		expect(p.partner.pattern).toBe(RECORD_PATTERNS.partner);
		expect(p.prev.pattern).toBe(RECORD_PATTERNS.sha256);
		expect(schema.$defs.sha256.pattern).toBe(RECORD_PATTERNS.sha256);
		const s = p.statement.properties;
		expect(s.id.pattern).toBe(RECORD_PATTERNS.statementId);
		expect(s.version.pattern).toBe(RECORD_PATTERNS.version);
		expect(s.locale.pattern).toBe(RECORD_PATTERNS.locale);
		expect(s.url.pattern).toBe(RECORD_PATTERNS.url);
		expect(p.presentation.properties.origin.pattern).toBe(RECORD_PATTERNS.origin);
		expect(p.presentation.properties.label.pattern).toBe(RECORD_PATTERNS.nonBlank);
		expect(p.client.properties.widget.pattern).toBe(RECORD_PATTERNS.widget);
	});

	// Each change breaks the record for the schema and for recordProblem alike.
	it.each<[string, (r: Loose) => void]>([
		['another schema', (r) => (r.schema = 'assent.record/2')],
		['a v4 id', (r) => (r.id = '9b2c1f2e-0f0a-4c3b-8d1e-2f3a4b5c6d7e')],
		['an unknown action', (r) => (r.action = 'agree')],
		['a local time', (r) => (r.at = '2026-11-24T06:30:00.123+01:00')],
		['a fractional seq', (r) => (r.seq = 1.5)],
		['seq 0', (r) => (r.seq = 0)],
		['a blank subject', (r) => (r.subject = ' ')],
		['an empty subjectToken', (r) => (r.subjectToken = '')],
		['no partner field', (r) => delete r.partner],
		['an association without partner', (r) => ((r.action = 'associate'), (r.partner = null))],
		['a bad partner id', (r) => (r.partner = 'Acme')],
		['an uppercase hash', (r) => (r.statement.hash = String(r.statement.hash).toUpperCase())],
		['a relative url', (r) => (r.statement.url = '/statements/terms/1.0/en/')],
		['a statement title', (r) => (r.statement.title = 'Terms')],
		['an unknown embed', (r) => (r.presentation.embed = 'popup')],
		['an origin with a path', (r) => (r.presentation.origin = 'https://partner.example/x')],
		['an empty label', (r) => (r.presentation.label = '')],
		['a string scrolledToEnd', (r) => (r.presentation.scrolledToEnd = 'true')],
		['a string visible', (r) => (r.presentation.visible = 'true')],
		['no userAgent', (r) => delete r.client.userAgent],
		['a bare widget version', (r) => (r.client.widget = '0.1.0')],
		['a bad prev', (r) => (r.prev = 'sha256:abc')],
		['no digest', (r) => delete r.digest],
		['sync state inside', (r) => (r.state = 'pending')]
	])('refuses %s, as the code does', (_, change) => {
		const copy = JSON.parse(JSON.stringify(records[0])) as Loose;
		change(copy);
		expect(check(copy)).not.toEqual([]);
		expect(recordProblem(copy)).toBeDefined();
	});

	// Rules a pattern cannot say; the schema's description names them.
	it.each<[string, (r: Loose) => void]>([
		['an impossible date', (r) => (r.at = '2026-02-30T06:30:00.000Z')],
		['a non-canonical locale', (r) => (r.statement.locale = 'zh-cn')],
		['an origin with upper case', (r) => (r.presentation.origin = 'https://Partner.example')]
	])('leaves %s to the code', (_, change) => {
		const copy = JSON.parse(JSON.stringify(records[0])) as Loose;
		change(copy);
		expect(check(copy)).toEqual([]);
		expect(recordProblem(copy)).toBeDefined();
	});
});
