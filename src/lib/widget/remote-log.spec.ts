/**
 * `RemoteLog`, a frame's record store kept by the host page (`/widget/host-store.js`) over the
 * widget channel, passes the record store contract: here over real MessageChannels to the
 * host page's store on in-memory IndexedDB.
 */
import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { vi } from 'vitest';
import { createChannel, type Endpoint } from '../core/channel';
import { recordStoreContract } from '../store/record-store.spec-suite';
import { RemoteLog } from './remote-log';

/** A frame's channel to a host page that answers `store` with `answer`. */
function frameToHost(answer: (params: unknown) => unknown): { log: RemoteLog; close(): void } {
	const { port1, port2 } = new MessageChannel();
	const endpoint = (port: MessagePort): Endpoint => ({
		post: (message) => port.postMessage(message),
		listen(handle) {
			const listener = (event: MessageEvent) => handle(event.data);
			port.addEventListener('message', listener);
			port.start();
			return () => port.removeEventListener('message', listener);
		}
	});
	const host = createChannel({ endpoint: endpoint(port1) });
	host.serve({ store: answer });
	const frame = createChannel({ endpoint: endpoint(port2) });
	return {
		log: new RemoteLog({ channel: frame }),
		close: () => {
			frame.close('The test is over.');
			host.close('The test is over.');
			port1.close();
			port2.close();
		}
	};
}

recordStoreContract({
	name: 'RemoteLog (host page store over the channel)',
	create: async () => {
		// The partner page's own IndexedDB, fresh, and host-store.js loaded once on that page.
		globalThis.indexedDB = new IDBFactory();
		vi.resetModules();
		const { answer } = await import('../../entries/host-store');
		// Two tabs of the partner site: two frames, each with its host page and channel.
		const tabs = [frameToHost(answer), frameToHost(answer)];
		return {
			tabs: [tabs[0]!.log, tabs[1]!.log],
			close: async () => tabs.forEach((tab) => tab.close())
		};
	},
	broken: async () =>
		// The host page's browser has no room left: every operation fails as IndexedDB says.
		frameToHost(() => {
			throw Object.assign(new Error('The quota has been exceeded.'), {
				name: 'QuotaExceededError'
			});
		}).log
});
