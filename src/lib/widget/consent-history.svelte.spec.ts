/**
 * The consent state's load against a long history in this browser: what is shown depends only on
 * the subject's records of the widget's statements, so only those are read, from the host page's
 * relay store (a frame without storage) and from the frame's own database alike; `status()`
 * still answers from them in full.
 */
import { IDBFactory, IDBKeyRange, indexedDB } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { AcceptanceRecord, Act } from '../core/record';
import { sampleAct } from '../core/record-fixtures';
import { AssentDatabase } from '../store/db';
import { RecordLog } from '../store/log';
import type { RecordStore } from '../store/record-store';
import { ConsentState } from './consent.svelte';
import { ACCEPT_TERMS, siteFetch, termsSite } from './consent-fixtures';
import { watchedFrameToHost } from './relay-fixtures';

const HASH = `sha256:${'1'.repeat(64)}`;
const NOW = new Date('2026-11-24T12:00:00.000Z');
const documents: Record<string, unknown> = termsSite(HASH).documents;
const site = siteFetch(documents);

const privacy = { ...sampleAct().statement, id: 'privacy' };

/**
 * The browser's history: customer-1 accepted terms 1.0 once among many answers to another
 * statement, and other customers accepted terms. Returns customer-1's acceptance of terms.
 */
async function history(log: RecordStore): Promise<AcceptanceRecord> {
	const acts: Act[] = [];
	for (let i = 0; i < 12; i++) {
		acts.push(sampleAct({ subject: 'customer-1', statement: privacy }));
		acts.push(sampleAct({ subject: `customer-${100 + i}` }));
	}
	acts.splice(7, 0, sampleAct({ subject: 'customer-1' }));
	let accepted: AcceptanceRecord | undefined;
	for (const act of acts) {
		const record = await log.append({ act });
		if (record.subject === 'customer-1' && record.statement.id === 'terms') accepted = record;
	}
	return accepted!;
}

async function loaded(log: RecordStore): Promise<ConsentState> {
	const consent = new ConsentState({
		...ACCEPT_TERMS,
		log,
		emit: () => {},
		fetch: site,
		now: () => NOW
	});
	await consent.load();
	return consent;
}

describe("the widget's load with a long history in the browser", () => {
	it("gets only the subject's records of its statements across from the host page", async () => {
		globalThis.indexedDB = new IDBFactory();
		vi.resetModules();
		const { answer } = await import('../../entries/host-store');
		const tab = watchedFrameToHost(answer);
		const { crossed } = tab;
		try {
			const accepted = await history(tab.log);
			crossed.length = 0;
			const consent = await loaded(tab.log);
			expect(consent.phase).toBe('ready');
			expect(consent.needsAnswer).toBe(false);
			expect(crossed).toEqual([accepted]);
			const status = await consent.standing();
			expect(status.statements).toEqual([
				expect.objectContaining({ id: 'terms', accepted: '1.0', needed: false })
			]);
			expect(status.decidedBy).toEqual([{ id: accepted.id, source: 'local' }]);
		} finally {
			tab.close();
		}
	});

	it("reads only the subject's records of its statements from the frame's own database", async () => {
		const log = new RecordLog({
			db: new AssentDatabase({
				name: `assent-history-${Math.random().toString(36).slice(2)}`,
				indexedDB,
				IDBKeyRange
			})
		});
		try {
			const accepted = await history(log);
			const read: AcceptanceRecord[] = [];
			log.db.records.hook('reading', (record) => {
				read.push(record);
				return record;
			});
			const consent = await loaded(log);
			expect(consent.needsAnswer).toBe(false);
			expect(read).toEqual([accepted]);
			expect((await consent.standing()).decidedBy).toEqual([{ id: accepted.id, source: 'local' }]);
		} finally {
			log.close();
		}
	});
});
