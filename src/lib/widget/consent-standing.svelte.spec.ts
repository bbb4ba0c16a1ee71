/**
 * The consent state deciding from this browser's records and the backend's standing (SPEC
 * section 8): what it asks, what `status()` says, and what it reports.
 */
import { describe, expect, it, vi } from 'vitest';
import type { AcceptanceRecord } from '../core/record';
import { sampleAct, sampleChain } from '../core/record-fixtures';
import { ConsentState, type ConsentLog } from './consent.svelte';
import { ACCEPT_TERMS, siteFetch, termsSite } from './consent-fixtures';
import type { StandingRead } from './standing';

const BASE = 'https://statements.example.com';
const HASH = `sha256:${'1'.repeat(64)}`;
const NOW = new Date('2026-11-24T12:00:00.000Z');
const documents: Record<string, unknown> = termsSite(HASH).documents;
const site = siteFetch(documents);

/** The subject's acceptance of terms 1.0, made on another device. */
async function elsewhere(): Promise<AcceptanceRecord> {
	const [record] = await sampleChain({
		acts: [
			sampleAct({
				subject: 'customer-1',
				statement: {
					id: 'terms',
					version: '1.0',
					locale: 'en',
					hash: HASH,
					url: `${BASE}/statements/terms/1.0/en/`
				}
			})
		]
	});
	return record!;
}

function setup(standing: () => Promise<StandingRead>) {
	const log: ConsentLog & { appended: number } = {
		appended: 0,
		recordsOf: async () => [],
		append: async () => {
			log.appended++;
			throw new Error('nothing is recorded in these tests');
		}
	};
	const emit = vi.fn<(name: string, detail: unknown) => void>();
	const consent = new ConsentState({
		...ACCEPT_TERMS,
		log,
		emit,
		standing,
		fetch: site,
		now: () => NOW
	});
	const errors = () => emit.mock.calls.filter(([n]) => n === 'assent:error').map(([, d]) => d);
	return { consent, log, errors };
}

describe('the consent state with a standing', () => {
	it('does not ask for what the subject accepted on another device, and says which record decided', async () => {
		const record = await elsewhere();
		const { consent, log, errors } = setup(async () => ({
			checked: true,
			at: NOW.toISOString(),
			trusted: [{ record, receipt: {} }],
			refused: []
		}));
		await consent.load();
		expect(consent.needsAnswer).toBe(false);
		const status = await consent.standing();
		expect(status.statements).toEqual([
			expect.objectContaining({
				accepted: '1.0',
				needed: false,
				decidedBy: { id: record.id, source: 'remote' }
			})
		]);
		expect(status.decidedBy).toEqual([{ id: record.id, source: 'remote' }]);
		expect(status.backend).toEqual({
			checked: true,
			at: NOW.toISOString(),
			records: 1,
			ignored: 0
		});
		expect(log.appended).toBe(0);
		expect(errors()).toEqual([]);
	});

	it('decides from this browser when offline, says so, and reports nothing', async () => {
		const { consent, errors } = setup(async () => ({
			checked: false,
			reason: 'offline',
			message: 'The standing could not be read.'
		}));
		await consent.load();
		expect(consent.needsAnswer).toBe(true);
		const status = await consent.standing();
		expect(status.statements[0]).toMatchObject({ needed: true, reason: 'never-accepted' });
		expect(status.decidedBy).toEqual([]);
		expect(status.backend).toEqual({
			checked: false,
			reason: 'offline',
			message: 'The standing could not be read.'
		});
		expect(errors()).toEqual([]);
	});

	it('shows what this browser holds when the backend is slow, then takes the standing in', async () => {
		const record = await elsewhere();
		let answer!: (read: StandingRead) => void;
		const { consent } = setup(() => new Promise((resolve) => (answer = resolve)));
		// The load gives up waiting after STANDING_WAIT_MS and shows this browser's records.
		await consent.load();
		expect(consent.needsAnswer).toBe(true);
		expect((await consent.standing()).backend).toMatchObject({
			checked: false,
			reason: 'checking'
		});
		answer({
			checked: true,
			at: NOW.toISOString(),
			trusted: [{ record, receipt: {} }],
			refused: []
		});
		await vi.waitFor(() => expect(consent.needsAnswer).toBe(false));
	}, 10_000);

	it('reports each record that failed its checks once, and a refused token', async () => {
		const refused = { id: 'r-1', problem: 'digest' as const, message: 'Record r-1 was changed.' };
		const { consent, errors } = setup(async () => ({
			checked: true,
			at: NOW.toISOString(),
			trusted: [],
			refused: [refused]
		}));
		await consent.load();
		await consent.refreshStanding();
		expect(errors()).toEqual([
			{ code: 'standing/record', message: expect.stringContaining('Record r-1 was changed.') }
		]);
		expect(consent.notice).toEqual({ key: 'error.standing/record' });
		expect(consent.needsAnswer).toBe(true);
	});
});
