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
	let value = $state<T>(initial);
	let error = $state<AssentError | null>(null);
	$effect(() => {
		// Where Dexie found no IndexedDB a live query never runs: say so rather than wait forever.
		if (!Dexie.dependencies.indexedDB) {
			error = storeError('store/unavailable', 'indexedDB is not defined');
			return;
		}
		const subscription = liveQuery(query).subscribe({
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
