/** Record logs in memory (fake-indexeddb) for the records page's tests. Not shipped to browsers. */
import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Act, AcceptanceRecord } from '$lib/core/record';
import { sampleAct, sampleStatement } from '$lib/core/record-fixtures';
import { AssentDatabase } from '$lib/store/db';
import { RecordLog } from '$lib/store/log';

/**
 * Lets Dexie's live queries run where the environment has no IndexedDB of its own: they stay
 * silent unless Dexie found one when it loaded. The global `indexedDB` stays undefined.
 */
export function enableLiveQueries(): void {
	Dexie.dependencies.indexedDB = new IDBFactory();
	Dexie.dependencies.IDBKeyRange = IDBKeyRange;
}

/** Takes IndexedDB away from Dexie, as in a browser that offers none; returns the undo. */
export function disableIndexedDB(): () => void {
	const { indexedDB, IDBKeyRange } = Dexie.dependencies;
	Dexie.dependencies.indexedDB = undefined as unknown as IDBFactory;
	Dexie.dependencies.IDBKeyRange = undefined as unknown as typeof IDBKeyRange;
	return () => {
		Dexie.dependencies.indexedDB = indexedDB;
		Dexie.dependencies.IDBKeyRange = IDBKeyRange;
	};
}

/** A record log with its own empty in-memory database; its clock ticks one second a call. */
export function memoryLog(): RecordLog {
	let tick = Date.parse('2026-11-24T06:30:00.000Z');
	return new RecordLog({
		db: new AssentDatabase({ indexedDB: new IDBFactory(), IDBKeyRange }),
		now: () => new Date((tick += 1000))
	});
}

/** Four acts that differ in subject, statement, partner and action. */
export function variedActs(): Act[] {
	return [
		sampleAct({ subject: 'alice' }),
		sampleAct({
			subject: 'bob',
			action: 'associate',
			partner: 'harbor-books',
			statement: sampleStatement({ id: 'partner-association', version: '2.0' })
		}),
		sampleAct({ subject: 'alice', action: 'decline', partner: 'harbor-books' }),
		sampleAct({
			subject: 'carol',
			action: 'disassociate',
			partner: 'lumen-travel',
			statement: sampleStatement({ id: 'partner-association', version: '2.0' })
		})
	];
}

/** Appends `acts` one after the other, as a customer would make them. */
export async function appendAll(options: {
	log: RecordLog;
	acts: Act[];
}): Promise<AcceptanceRecord[]> {
	const records: AcceptanceRecord[] = [];
	for (const act of options.acts) records.push(await options.log.append({ act }));
	return records;
}
