import { describe, expect, it } from 'vitest';
import type { AcceptanceRecord } from './record';
import { buildRecord } from './record-builder';
import { actProblem, recordProblem } from './record-check';
import { sampleAct } from './record-fixtures';

const NOW = new Date('2026-11-24T06:30:00.123Z');
const PREV = { digest: `sha256:${'c'.repeat(64)}`, seq: 6 };

describe('recordProblem', () => {
	async function record(): Promise<AcceptanceRecord> {
		return buildRecord({ act: sampleAct({ subjectToken: 't' }), prev: PREV, now: NOW });
	}

	it('finds nothing wrong with a built record or its JSON round trip', async () => {
		const built = await record();
		expect(recordProblem(built)).toBeUndefined();
		expect(recordProblem(JSON.parse(JSON.stringify(built)))).toBeUndefined();
	});

	it.each<[string, (r: Record<string, unknown>) => void, string]>([
		['a missing partner', (r) => delete r.partner, 'partner'],
		['another schema', (r) => (r.schema = 'assent.record/2'), 'schema'],
		['an uppercase id', (r) => (r.id = String(r.id).toUpperCase()), 'id'],
		['a time without milliseconds', (r) => (r.at = '2026-11-24T06:30:00Z'), 'at'],
		['an impossible date', (r) => (r.at = '2026-02-30T06:30:00.000Z'), 'at'],
		['a zero seq', (r) => (r.seq = 0), 'seq'],
		['a bad prev', (r) => (r.prev = 'sha256:'), 'prev'],
		['no digest', (r) => delete r.digest, 'digest'],
		['an undefined subjectToken', (r) => (r.subjectToken = undefined), 'subjectToken'],
		['an extra field', (r) => (r.syncState = 'pending'), 'syncState']
	])('reports %s', async (_, change, field) => {
		const copy = { ...(await record()) } as Record<string, unknown>;
		change(copy);
		expect(recordProblem(copy)?.field).toBe(field);
	});

	it('reports a value that is not an object as a whole', () => {
		expect(recordProblem('x')).toEqual({ field: '', message: 'expected an object; got "x".' });
		expect(actProblem(null)?.message).toMatch(/expected an object/);
	});
});
