/**
 * What the partner page does for its frame besides showing it: pushes records through the custom
 * adapter registered on the page, and, when the browser refuses the frame storage, keeps its
 * records and holds its sync lock through `/widget/host-store.js`, loaded only then.
 */
import type { Channel } from '../lib/core/channel';
import type { AssentAdapter } from './types';

/** What `/widget/host-store.js` offers the loader. */
export interface HostStoreModule {
	/** Answers one relay store request of the frame. */
	answer(params: unknown): Promise<unknown>;
	holdLock: typeof import('./host-store').holdLock;
}

/** Loads `/widget/host-store.js` from the statements site (once; the browser caches modules). */
export const hostStore = (origin: string): Promise<HostStoreModule> =>
	import(/* @vite-ignore */ new URL('/widget/host-store.js', origin).href);

/** Answers the frame's `push` and `store` requests on `channel`. */
export function serveFrame(options: {
	channel: Channel;
	/** The statements site, which serves host-store.js. */
	origin: string;
	/** The adapter registered on this page, if any, when the frame asks. */
	adapter: () => AssentAdapter | undefined;
}): void {
	options.channel.serve({
		push: (params) => {
			const adapter = options.adapter();
			if (!adapter) throw new Error('No adapter is registered on the host page.');
			// Records from the frame's store: an array, or nothing to push.
			return adapter.push(Array.isArray(params) ? params : []);
		},
		store: async (params) => (await hostStore(options.origin)).answer(params)
	});
}
