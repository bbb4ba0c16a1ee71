import { describe, expect, it } from 'vitest';
import type { Act, AcceptanceRecord } from './record';
import { sampleAct, sampleChain, sampleStatement } from './record-fixtures';
import type { VersionTimeline } from './statement';
import {
	associationStatus,
	lastAcceptance,
	lastAcceptedVersion,
	needsAcceptance,
	upcomingChange
} from './status';

const VERSIONS: VersionTimeline[] = [
	{ version: '2.1', issued: '2024-08-20', effective: '2024-09-01', change: 'minor' },
	{ version: '1.0', issued: '2024-01-01', effective: '2024-01-01', change: 'initial' },
	{ version: '3.0', issued: '2024-09-15', effective: '2025-01-01', change: 'material' },
	{ version: '1.1', issued: '2024-02-20', effective: '2024-03-01', change: 'minor' },
	{ version: '2.0', issued: '2024-05-01', effective: '2024-06-01', change: 'material' }
];
const OCTOBER = new Date('2024-10-01T12:00:00.000Z');

function accept(version: string, overrides: Record<string, unknown> = {}): Act {
	return sampleAct({ statement: sampleStatement({ version }), ...overrides });
}

async function records(...acts: Act[]): Promise<AcceptanceRecord[]> {
	return sampleChain({ acts, start: new Date('2024-07-01T00:00:00.000Z') });
}

const base = { subject: 'customer-123', statementId: 'terms', versions: VERSIONS, now: OCTOBER };

describe('lastAcceptedVersion', () => {
	it('is undefined when the subject never accepted', async () => {
		expect(lastAcceptedVersion({ ...base, records: [] })).toBeUndefined();
		const others = await records(
			accept('2.0', { subject: 'someone-else' }),
			accept('2.0', { statement: sampleStatement({ id: 'privacy', version: '2.0' }) }),
			accept('2.0', { action: 'decline' })
		);
		expect(lastAcceptedVersion({ ...base, records: others })).toBeUndefined();
	});

	it('takes the newest acceptance by time, whatever the order of the records', async () => {
		const list = await records(accept('1.0'), accept('2.0'), accept('1.1'));
		expect(lastAcceptedVersion({ ...base, records: list })).toBe('1.1');
		expect(lastAcceptedVersion({ ...base, records: [...list].reverse() })).toBe('1.1');
	});

	it('keeps an acceptance when a decline comes later', async () => {
		const list = await records(accept('2.0'), accept('2.1', { action: 'decline' }));
		expect(lastAcceptedVersion({ ...base, records: list })).toBe('2.0');
	});

	it('counts an association as acceptance, per partner when asked', async () => {
		const list = await records(
			accept('1.0', { action: 'associate', partner: 'acme' }),
			accept('2.0', { action: 'associate', partner: 'globex' })
		);
		expect(lastAcceptedVersion({ ...base, records: list })).toBe('2.0');
		expect(lastAcceptedVersion({ ...base, records: list, partner: 'acme' })).toBe('1.0');
		expect(lastAcceptance({ ...base, records: list, partner: 'initech' })).toBeUndefined();
	});
});

describe('needsAcceptance', () => {
	it('asks a subject that never accepted', () => {
		expect(needsAcceptance({ ...base, records: [] })).toEqual({
			needed: true,
			reason: 'never-accepted',
			inForce: '2.1'
		});
	});

	it('asks after a decline alone', async () => {
		const list = await records(accept('2.1', { action: 'decline' }));
		expect(needsAcceptance({ ...base, records: list }).reason).toBe('never-accepted');
	});

	it('does not ask again for a minor change', async () => {
		const list = await records(accept('2.0'));
		expect(needsAcceptance({ ...base, records: list })).toEqual({
			needed: false,
			reason: 'up-to-date',
			accepted: '2.0',
			inForce: '2.1',
			changedSince: [VERSIONS[0]]
		});
	});

	it('does not ask when the accepted version is in force', async () => {
		const list = await records(accept('2.1'));
		expect(needsAcceptance({ ...base, records: list })).toMatchObject({
			needed: false,
			reason: 'up-to-date',
			changedSince: []
		});
	});

	it('asks again when a material version came into force, and lists what changed', async () => {
		const list = await records(accept('1.1'));
		const need = needsAcceptance({ ...base, records: list });
		expect(need).toMatchObject({
			needed: true,
			reason: 'material-change',
			accepted: '1.1',
			inForce: '2.1'
		});
		expect(need.changedSince?.map((v) => v.version)).toEqual(['2.0', '2.1']);
	});

	it('asks from the first day a material version is in force (UTC), not before', async () => {
		const list = await records(accept('1.1'));
		const eve = new Date('2024-05-31T23:59:59.999Z');
		const day = new Date('2024-06-01T00:00:00.000Z');
		expect(needsAcceptance({ ...base, records: list, now: eve }).needed).toBe(false);
		expect(needsAcceptance({ ...base, records: list, now: day }).needed).toBe(true);
	});

	it('does not ask yet for an announced material version, but reports it as upcoming', async () => {
		const list = await records(accept('2.1'));
		expect(needsAcceptance({ ...base, records: list }).needed).toBe(false);
		expect(upcomingChange({ versions: VERSIONS, now: OCTOBER, accepted: '2.1' })).toEqual({
			announced: [VERSIONS[2]],
			material: true
		});
		const january = new Date('2025-01-01T00:00:00.000Z');
		expect(needsAcceptance({ ...base, records: list, now: january })).toMatchObject({
			needed: true,
			reason: 'material-change',
			inForce: '3.0'
		});
	});

	it('does not ask when an announced version was accepted ahead of time', async () => {
		const list = await records(accept('3.0'));
		expect(needsAcceptance({ ...base, records: list })).toMatchObject({
			needed: false,
			reason: 'up-to-date',
			changedSince: []
		});
		expect(upcomingChange({ versions: VERSIONS, now: OCTOBER, accepted: '3.0' })).toEqual({
			announced: [],
			material: false
		});
	});

	it('asks nothing while every version is still announced', () => {
		const early = new Date('2023-12-31T00:00:00.000Z');
		expect(needsAcceptance({ ...base, records: [], now: early })).toEqual({
			needed: false,
			reason: 'nothing-in-force'
		});
	});
});

describe('upcomingChange', () => {
	it('lists announced versions oldest first, and says whether any is material', () => {
		const versions: VersionTimeline[] = [
			...VERSIONS,
			{ version: '3.1', issued: '2024-09-20', effective: '2025-02-01', change: 'minor' }
		];
		const upcoming = upcomingChange({ versions, now: OCTOBER });
		expect(upcoming.announced.map((v) => v.version)).toEqual(['3.0', '3.1']);
		expect(upcoming.material).toBe(true);
		const january = new Date('2025-01-15T00:00:00.000Z');
		expect(upcomingChange({ versions, now: january })).toEqual({
			announced: [versions[5]],
			material: false
		});
	});
});

describe('associationStatus', () => {
	const who = { subject: 'customer-123', partner: 'acme' };

	it('is not associated without association records', async () => {
		const list = await records(
			accept('2.0'),
			accept('2.0', { action: 'associate', partner: 'globex' })
		);
		expect(associationStatus({ ...who, records: list })).toEqual({ associated: false });
	});

	it('follows an association, then a disassociation', async () => {
		const list = await records(
			accept('2.0', { action: 'associate', partner: 'acme' }),
			accept('2.0', { action: 'disassociate', partner: 'acme' })
		);
		const [associated, disassociated] = list;
		expect(associationStatus({ ...who, records: list.slice(0, 1) })).toEqual({
			associated: true,
			since: associated!.at,
			record: associated
		});
		expect(associationStatus({ ...who, records: [...list].reverse() })).toEqual({
			associated: false,
			since: disassociated!.at,
			record: disassociated
		});
	});

	it('breaks a tie in time by seq', async () => {
		const list = await records(
			accept('2.0', { action: 'disassociate', partner: 'acme' }),
			accept('2.0', { action: 'associate', partner: 'acme' })
		);
		const sameTime = list.map((r) => ({ ...r, at: '2024-07-01T00:00:00.000Z' }));
		expect(associationStatus({ ...who, records: sameTime }).associated).toBe(true);
		expect(associationStatus({ ...who, records: [...sameTime].reverse() }).associated).toBe(true);
	});

	it('keeps subjects and partners apart', async () => {
		const list = await records(
			accept('2.0', { action: 'associate', partner: 'acme' }),
			accept('2.0', { action: 'disassociate', partner: 'globex' }),
			accept('2.0', { action: 'disassociate', partner: 'acme', subject: 'customer-456' })
		);
		expect(associationStatus({ ...who, records: list }).associated).toBe(true);
		expect(associationStatus({ ...who, partner: 'globex', records: list }).associated).toBe(false);
	});
});
