import Dexie, { liveQuery } from 'dexie';
import type { AssentError } from '../core/errors';
import { storeError, toStoreError } from './errors';

/**
 * A Dexie live query as reactive state: it re-runs when the tables it read change, in this tab
 * or another tab of the same site. Call it while a component initializes.
 */
export function live<T>(
	query: () => Promise<T>,
	initial: T
): { readonly value: T; readonly error: AssentError | null } {
	return liveWith(
		() => undefined,
		() => query(),
		initial
	);
}

/**
 * `live` for a query that depends on reactive state: `key` is read in an effect, and a new live
 * query replaces the old one whenever it changes. The last value stays until the new one comes.
 */
export function liveWith<K, T>(
	key: () => K,
	query: (key: K) => Promise<T>,
	initial: T
): { readonly value: T; readonly error: AssentError | null } {
	let value = $state<T>(initial);
	let error = $state<AssentError | null>(null);
	$effect(() => {
		const current = key();
		if (!Dexie.dependencies.indexedDB) {
			error = storeError('store/unavailable', 'indexedDB is not defined');
			return;
		}
		const subscription = liveQuery(() => query(current)).subscribe({
			next: (next) => {
				value = next;
				error = null;
			},
			error: (failure: unknown) => {
				error = toStoreError(failure);
			}
		});
		return () => subscription.unsubscribe();
	});
	return {
		get value() {
			return value;
		},
		get error() {
			return error;
		}
	};
}
