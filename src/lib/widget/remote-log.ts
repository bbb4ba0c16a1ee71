/**
 * The record log of a frame whose browser refuses it storage (third-party storage blocked): the
 * records live in the host page's IndexedDB through `/widget/host-store.js`, while this frame
 * still builds every record, its chain link and digest. An append resolves only after the host
 * answered that its strict-durability transaction completed.
 */
import type { Act, AcceptanceRecord } from '../core/record';
import { buildRecord } from '../core/record-builder';
import { PROTOCOL, type StoreOperation } from '../core/widget-protocol';
import type { OutboxEntry, SyncState } from '../store/db';
import { storeError, toStoreError } from '../store/errors';
import { pauseAfterCollision } from '../store/log';
import type { HostChannel } from './frame';

const MAX_APPEND_ATTEMPTS = 8;
/** How long the host may take to answer one storage request. */
const ANSWER_TIMEOUT_MS = 15_000;

export class RemoteLog {
	readonly #channel: HostChannel;
	#next = 0;

	constructor(options: { channel: HostChannel }) {
		this.#channel = options.channel;
	}

	#ask<T>(op: StoreOperation, args: Record<string, unknown>): Promise<T> {
		const id = `store-${++this.#next}`;
		return new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => {
				stop();
				reject(storeError('store/failed', 'the host page did not answer a storage request'));
			}, ANSWER_TIMEOUT_MS);
			const stop = this.#channel.listen((message) => {
				if (message.type !== 'stored' || message.id !== id) return;
				stop();
				clearTimeout(timer);
				if (message.error === undefined) resolve(message.result as T);
				else reject(toStoreError(hostError(message.error)));
			});
			this.#channel.post({ protocol: PROTOCOL, type: 'store', id, op, args });
		});
	}

	async all(): Promise<AcceptanceRecord[]> {
		return this.#ask('all', {});
	}

	async head(): Promise<AcceptanceRecord | undefined> {
		return (await this.#ask<AcceptanceRecord | null | undefined>('head', {})) ?? undefined;
	}

	async append(options: { act: Act; target?: string | null }): Promise<AcceptanceRecord> {
		for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
			const head = await this.head();
			const record = await buildRecord({
				act: options.act,
				prev: head ? { digest: head.digest, seq: head.seq } : null
			});
			const entry: OutboxEntry = {
				id: record.id,
				seq: record.seq,
				state: 'pending',
				attempts: 0,
				updatedAt: record.at,
				...(options.target !== undefined ? { target: options.target } : {})
			};
			const outcome = await this.#ask<'added' | 'moved'>('append', {
				record,
				entry,
				expected: head?.digest ?? null
			});
			if (outcome === 'added') return record;
			// Another tab wrote first.
			await pauseAfterCollision(attempt);
		}
		throw storeError('store/conflict', `${MAX_APPEND_ATTEMPTS} attempts`);
	}

	async entries(options: { state?: SyncState; limit?: number } = {}): Promise<OutboxEntry[]> {
		return this.#ask('entries', { ...options });
	}

	async pending(options: { limit?: number } = {}): Promise<AcceptanceRecord[]> {
		const entries = await this.entries({ state: 'pending', ...options });
		const records = await this.#ask<(AcceptanceRecord | null | undefined)[]>('records', {
			ids: entries.map((e) => e.id)
		});
		return records.filter((r): r is AcceptanceRecord => !!r);
	}

	async settle(
		updates: {
			id: string;
			state: SyncState;
			reason?: string;
			retryable?: boolean;
			receivedAt?: string;
			receipt?: unknown;
			error?: string;
			target?: string | null;
		}[]
	): Promise<void> {
		const known = new Map((await this.entries()).map((e) => [e.id, e]));
		const at = new Date().toISOString();
		const entries: OutboxEntry[] = [];
		for (const update of updates) {
			const entry = known.get(update.id);
			// An acknowledged record stays acknowledged, whatever a late answer says.
			if (!entry || (entry.state === 'synced' && update.state !== 'synced')) continue;
			entries.push({
				...entry,
				state: update.state,
				attempts: entry.attempts + 1,
				updatedAt: at,
				...(update.reason !== undefined ? { reason: update.reason } : {}),
				...(update.retryable !== undefined ? { retryable: update.retryable } : {}),
				...(update.receivedAt !== undefined ? { receivedAt: update.receivedAt } : {}),
				...(update.receipt !== undefined ? { receipt: update.receipt } : {}),
				...(update.error !== undefined ? { lastError: update.error } : {}),
				...(update.target !== undefined ? { target: update.target } : {})
			});
		}
		if (entries.length > 0) await this.#ask('settle', { entries });
	}

	close(): void {}
}

/**
 * Whether this frame may use IndexedDB. Browsers that block third-party storage refuse it to
 * frames embedded by another site (Chromium: "UnknownError … denied permission"; others a
 * SecurityError on access).
 */
export async function frameStorageAllowed(): Promise<boolean> {
	try {
		if (typeof indexedDB === 'undefined') return false;
		return await new Promise<boolean>((resolve) => {
			const request = indexedDB.open('assent-probe');
			request.onsuccess = () => {
				request.result.close();
				indexedDB.deleteDatabase('assent-probe');
				resolve(true);
			};
			request.onerror = () => resolve(false);
			request.onblocked = () => resolve(true);
		});
	} catch {
		return false;
	}
}

/**
 * The host page answers a failure as "<name>: <message>"; the name (QuotaExceededError,
 * MissingAPIError, InvalidStateError…) decides which store error the customer is shown.
 */
function hostError(text: string): Error {
	const error = new Error(`host page storage: ${text}`);
	error.name = /^(\w+):/.exec(text)?.[1] ?? 'Error';
	return error;
}

/**
 * The sync lock, held by the host page for a frame that may not take Web Locks itself. Its
 * records live on the host's origin, so the host's lock is the right one: every tab of that site
 * competes for it, and one syncs.
 */
export function hostLocks(channel: HostChannel): LockManager {
	const request = (
		_name: string,
		options: LockOptions,
		callback: (lock: Lock | null) => unknown
	): Promise<unknown> =>
		new Promise((resolve, reject) => {
			const release = () => channel.post({ protocol: PROTOCOL, type: 'lock', hold: false });
			const stop = channel.listen((message) => {
				if (message.type !== 'locked') return;
				stop();
				Promise.resolve(callback(null)).then(resolve, reject).finally(release);
			});
			options.signal?.addEventListener('abort', () => {
				stop();
				release();
				reject(options.signal?.reason);
			});
			channel.post({ protocol: PROTOCOL, type: 'lock', hold: true });
		});
	return { request, query: () => Promise.resolve({}) } as unknown as LockManager;
}
