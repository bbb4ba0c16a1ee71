/**
 * `/widget/host-store.js`: keeps the widget's records in the host page's own IndexedDB when the
 * browser refuses storage to the embedded frame (third-party storage blocked). The frame still
 * shows the statement, takes the click and builds every record; this module only stores what
 * the frame sends and answers what it asks. Loaded on demand, so pages whose frame has storage
 * never download it. Plain IndexedDB: no library, every transaction with strict durability.
 */

import { readStoreRequest } from '../lib/core/relay-protocol';
import { settleEntry, type SettledEntry, type SettleUpdate } from '../lib/core/settle';

/** Kept apart from the inline widget's database, whose schema Dexie owns. */
const NAME = 'assent-relay';
/** 2 adds the records' `subject` index; the upgrade keeps every record and outbox entry. */
const VERSION = 2;

interface StoredRecord {
	id: string;
	seq: number;
	digest: string;
	subject?: unknown;
	partner?: unknown;
	statement?: { id?: unknown };
	[key: string]: unknown;
}

interface Entry extends SettledEntry {
	seq: number;
}

let opened: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
	opened ??= new Promise<IDBDatabase>((resolve, reject) => {
		if (typeof indexedDB === 'undefined') {
			// Named as the store's error mapping expects, so the frame says "no storage here".
			const missing = new Error('this page has no IndexedDB');
			missing.name = 'MissingAPIError';
			throw missing;
		}
		const request = indexedDB.open(NAME, VERSION);
		request.onupgradeneeded = (event) => {
			const db = request.result;
			if (event.oldVersion < 1) {
				db.createObjectStore('records', { keyPath: 'id' }).createIndex('seq', 'seq', {
					unique: true
				});
				db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('state', ['state', 'seq']);
			}
			// Indexes what is already stored too, inside the upgrade transaction: nothing moves.
			if (event.oldVersion < 2) {
				request.transaction!.objectStore('records').createIndex('subject', 'subject');
			}
		};
		request.onsuccess = () => {
			const db = request.result;
			// Another tab deleting or upgrading the database: let go, and open again next time.
			db.onversionchange = () => {
				db.close();
				opened = undefined;
			};
			db.onclose = () => (opened = undefined);
			resolve(db);
		};
		request.onerror = () => reject(request.error);
		request.onblocked = () => reject(new Error('blocked by another tab of this site'));
	}).catch((error: unknown) => {
		opened = undefined;
		throw error;
	});
	return opened;
}

function run<T>(
	stores: string[],
	mode: IDBTransactionMode,
	work: (tx: IDBTransaction, done: (value: T) => void) => void
): Promise<T> {
	return open().then(
		(db) =>
			new Promise<T>((resolve, reject) => {
				const tx = db.transaction(stores, mode, { durability: 'strict' });
				let result: T;
				// Resolve on complete, never earlier: the caller may say "saved" only then.
				tx.oncomplete = () => resolve(result);
				tx.onerror = () => reject(tx.error);
				tx.onabort = () => reject(tx.error ?? new Error('aborted'));
				work(tx, (value) => (result = value));
			})
	);
}

const all = <T>(request: IDBRequest<T[]>, done: (value: T[]) => void) => {
	request.onsuccess = () => done(request.result);
};

/** The operations the frame may ask for: the same ones its own record log offers. */
export const operations = {
	head: () =>
		run<StoredRecord | undefined>(['records'], 'readonly', (tx, done) => {
			const request = tx.objectStore('records').index('seq').openCursor(null, 'prev');
			request.onsuccess = () => done(request.result?.value as StoredRecord | undefined);
		}),

	all: () =>
		run<StoredRecord[]>(['records'], 'readonly', (tx, done) =>
			all(tx.objectStore('records').index('seq').getAll() as IDBRequest<StoredRecord[]>, done)
		),

	/**
	 * The records of one subject, oldest first, optionally of some statements and one partner
	 * (the frame's `RecordFilter`): read through the subject index, so only they cross to the
	 * frame.
	 */
	recordsOf: (args: { subject?: unknown; statementIds?: unknown; partner?: unknown }) => {
		const { subject, statementIds, partner } = args;
		if (
			typeof subject !== 'string' ||
			(statementIds !== undefined && !Array.isArray(statementIds)) ||
			(partner !== undefined && typeof partner !== 'string')
		) {
			const error = new Error(
				'recordsOf needs a subject (string), and optionally statementIds (array) and partner (string).'
			);
			return Promise.reject(Object.assign(error, { code: 'store/failed' }));
		}
		return run<StoredRecord[]>(['records'], 'readonly', (tx, done) =>
			all(
				tx.objectStore('records').index('subject').getAll(subject) as IDBRequest<StoredRecord[]>,
				(records) =>
					done(
						records
							.filter(
								(r) =>
									(!statementIds || statementIds.includes(r.statement?.id)) &&
									(!partner || r.partner === partner)
							)
							.sort((a, b) => a.seq - b.seq)
					)
			)
		);
	},

	/** Adds a record and its outbox entry if the chain head is still `expected`. */
	append: (args: { record: StoredRecord; entry: Entry; expected: string | null }) =>
		run<'added' | 'moved'>(['records', 'outbox'], 'readwrite', (tx, done) => {
			const records = tx.objectStore('records');
			const cursor = records.index('seq').openCursor(null, 'prev');
			cursor.onsuccess = () => {
				const head = (cursor.result?.value as StoredRecord | undefined)?.digest ?? null;
				if (head !== args.expected) return done('moved');
				records.add(args.record);
				tx.objectStore('outbox').add(args.entry);
				done('added');
			};
		}),

	entries: (args: { state?: string; limit?: number }) =>
		run<Entry[]>(['outbox'], 'readonly', (tx, done) => {
			const outbox = tx.objectStore('outbox');
			const request = args.state
				? outbox
						.index('state')
						.getAll(IDBKeyRange.bound([args.state, 0], [args.state, Infinity]), args.limit)
				: outbox.getAll(null, args.limit);
			all(request as IDBRequest<Entry[]>, (entries) => done(entries.sort((a, b) => a.seq - b.seq)));
		}),

	records: (args: { ids: string[] }) =>
		run<(StoredRecord | undefined)[]>(['records'], 'readonly', (tx, done) => {
			const store = tx.objectStore('records');
			const found: (StoredRecord | undefined)[] = [];
			args.ids.forEach((id, i) => {
				const request = store.get(id);
				request.onsuccess = () => {
					found[i] = request.result as StoredRecord | undefined;
					if (i === args.ids.length - 1) done(found);
				};
			});
			if (args.ids.length === 0) done(found);
		}),

	/**
	 * Notes what the backend said beside records, by the one settle rule, decided inside the
	 * transaction: an acknowledged record stays acknowledged, whatever a late answer from another
	 * tab's sync says. Records are never touched.
	 */
	settle: (args: { updates: SettleUpdate[]; at: string }) =>
		run<void>(['outbox'], 'readwrite', (tx) => {
			const outbox = tx.objectStore('outbox');
			for (const update of args.updates) {
				const current = outbox.get(update.id);
				current.onsuccess = () => {
					const settled = settleEntry({
						entry: current.result as Entry | undefined,
						update,
						at: args.at
					});
					if (settled) outbox.put(settled);
				};
			}
		})
};

/** Answers one relay store request of the frame (channel method `store`), checked first. */
export function answer(params: unknown): Promise<unknown> {
	const request = readStoreRequest(params);
	if (!request) {
		const error = new Error('The frame asked for a store operation this page does not know.');
		return Promise.reject(Object.assign(error, { code: 'store/failed' }));
	}
	return (operations[request.op] as (args: unknown) => Promise<unknown>)(request.args);
}

/**
 * Holds the sync lock for a frame the browser refuses Web Locks (and storage), or lets it go:
 * the frame's records live on this origin, so this origin's lock is the right one, and every tab
 * of the site competes for the same one. Returns the new holder, to abort on release.
 */
export function holdLock(options: {
	hold: boolean;
	held: AbortController | undefined;
	/** Tells the frame it holds the lock. */
	granted: () => void;
}): AbortController | undefined {
	options.held?.abort();
	if (!options.hold) return undefined;
	const held = new AbortController();
	if (!navigator.locks) options.granted();
	else
		navigator.locks
			.request('assent:sync', { signal: held.signal }, () => {
				options.granted();
				return new Promise((release) => held.signal.addEventListener('abort', release));
			})
			.catch(() => undefined);
	return held;
}
