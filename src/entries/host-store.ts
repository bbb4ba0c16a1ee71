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
/**
 * 2 adds the records' `subject` index, 3 their `subjectStatement` index (subject and statement
 * id): each upgrade only adds an index, so it keeps every record and outbox entry.
 */
const VERSION = 3;
/** Where the subject's records of one statement are found without reading its others. */
const SUBJECT_STATEMENT = 'subjectStatement';

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

/**
 * Opens the database at `version` (upgrading an older one in place), or at whatever version it
 * has when `version` is undefined.
 */
function openAt(version: number | undefined): Promise<IDBDatabase> {
	return new Promise<IDBDatabase>((resolve, reject) => {
		if (typeof indexedDB === 'undefined') {
			// Named as the store's error mapping expects, so the frame says "no storage here".
			const missing = new Error('this page has no IndexedDB');
			missing.name = 'MissingAPIError';
			throw missing;
		}
		const request = version === undefined ? indexedDB.open(NAME) : indexedDB.open(NAME, version);
		request.onupgradeneeded = (event) => {
			const db = request.result;
			// Indexes made here cover what is already stored too, inside the upgrade
			// transaction: no record moves, none is rewritten.
			if (event.oldVersion < 1) {
				db.createObjectStore('records', { keyPath: 'id' }).createIndex('seq', 'seq', {
					unique: true
				});
				db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('state', ['state', 'seq']);
			}
			const records = request.transaction!.objectStore('records');
			if (event.oldVersion < 2) records.createIndex('subject', 'subject');
			if (event.oldVersion < 3) {
				records.createIndex(SUBJECT_STATEMENT, ['subject', 'statement.id']);
			}
		};
		let givenUp = false;
		request.onsuccess = () => {
			const db = request.result;
			// Opened after the wait was given up: nobody uses this connection.
			if (givenUp) return db.close();
			// Another tab deleting or upgrading the database: let go, and open again next time.
			db.onversionchange = () => {
				db.close();
				opened = undefined;
			};
			db.onclose = () => (opened = undefined);
			resolve(db);
		};
		request.onerror = () => reject(request.error);
		// The other tabs were asked to close it (every version of this module does at once): the
		// open goes on when they have, so waiting is right; a tab that never lets go is reported.
		request.onblocked = () => {
			const stuck = setTimeout(() => {
				givenUp = true;
				// Named as the store's error mapping expects: "being upgraded in another tab".
				const blocked = new Error('blocked by another tab of this site');
				blocked.name = 'BlockedError';
				reject(blocked);
			}, BLOCKED_TIMEOUT_MS);
			request.addEventListener('success', () => clearTimeout(stuck));
			request.addEventListener('error', () => clearTimeout(stuck));
		};
	});
}

/** How long an upgrade waits for other tabs of the site to close the database. */
const BLOCKED_TIMEOUT_MS = 5_000;

function open(): Promise<IDBDatabase> {
	opened ??= openAt(VERSION)
		.catch((error: unknown) => {
			// A newer version of this module (in a tab loaded after a release) upgraded the
			// database already: it only ever adds indexes, so this version opens it as it is.
			if ((error as { name?: string })?.name !== 'VersionError') throw error;
			return openAt(undefined);
		})
		.catch((error: unknown) => {
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
		const matching = (records: StoredRecord[]) =>
			records
				.filter(
					(r) =>
						(!statementIds || statementIds.includes(r.statement?.id)) &&
						(!partner || r.partner === partner)
				)
				.sort((a, b) => a.seq - b.seq);
		return run<StoredRecord[]>(['records'], 'readonly', (tx, done) => {
			const store = tx.objectStore('records');
			// Of some statements: each one's records through the subject-and-statement index, so
			// the subject's records of other statements are never read.
			if (statementIds && store.indexNames.contains(SUBJECT_STATEMENT)) {
				const ids = [...new Set(statementIds)].filter((id): id is string => typeof id === 'string');
				const found: StoredRecord[] = [];
				let left = ids.length;
				if (left === 0) return done([]);
				for (const id of ids) {
					const request = store.index(SUBJECT_STATEMENT).getAll([subject, id]);
					request.onsuccess = () => {
						found.push(...(request.result as StoredRecord[]));
						if (--left === 0) done(matching(found));
					};
				}
				return;
			}
			all(store.index('subject').getAll(subject) as IDBRequest<StoredRecord[]>, (records) =>
				done(matching(records))
			);
		});
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
