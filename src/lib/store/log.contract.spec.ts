/** `RecordLog`, on Dexie over in-memory IndexedDB, passes the record store contract. */
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { AssentDatabase } from './db';
import { RecordLog } from './log';
import { recordStoreContract } from './record-store.spec-suite';

let counter = 0;

recordStoreContract({
	name: 'RecordLog (Dexie)',
	create: async () => {
		const name = `assent-contract-${++counter}-${Math.random().toString(36).slice(2)}`;
		// Two connections to one database, as two tabs of the site have.
		const tabs = [0, 1].map(
			() => new RecordLog({ db: new AssentDatabase({ name, indexedDB, IDBKeyRange }) })
		) as [RecordLog, RecordLog];
		await Promise.all(tabs.map((tab) => tab.open()));
		return {
			tabs,
			close: async () => {
				for (const tab of tabs) tab.close();
				await new Promise((resolve) => {
					const request = indexedDB.deleteDatabase(name);
					request.onsuccess = request.onerror = resolve;
				});
			}
		};
	},
	broken: async () => {
		// A browser whose IndexedDB refuses this site (private mode, blocked site data).
		const refusing = {
			open: () => {
				throw Object.assign(new Error('denied'), { name: 'UnknownError' });
			},
			deleteDatabase: () => {
				throw new Error('denied');
			},
			cmp: indexedDB.cmp.bind(indexedDB)
		} as unknown as IDBFactory;
		return new RecordLog({
			db: new AssentDatabase({ name: 'refused', indexedDB: refusing, IDBKeyRange })
		});
	}
});
