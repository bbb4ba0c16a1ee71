/**
 * `RemoteLog`, a frame's record store kept by the host page (`/widget/host-store.js`) over the
 * widget channel, passes the record store contract: here over real MessageChannels to the
 * host page's store on in-memory IndexedDB.
 */
import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { buildRecord } from '../core/record-builder';
import { sampleAct } from '../core/record-fixtures';
import { recordStoreContract } from '../store/record-store.spec-suite';
import { frameToHost, watchedFrameToHost } from './relay-fixtures';

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

describe('RemoteLog vouching', () => {
	it('vouches only for the records this frame built, as built, and not for what the host wrote', async () => {
		globalThis.indexedDB = new IDBFactory();
		vi.resetModules();
		const { answer, operations } = await import('../../entries/host-store');
		const tab = frameToHost(answer);
		const other = frameToHost(answer);
		try {
			const own = await tab.log.append({ act: sampleAct({ subject: 'shopper' }) });
			// Another frame (another tab, or this one after a reload) built the next one.
			const earlier = await other.log.append({ act: sampleAct({ subject: 'shopper' }) });
			// The host page writes a record of its own, digest and all, with a pending entry.
			const forged = await buildRecord({
				act: sampleAct({ subject: 'victim' }),
				prev: { digest: earlier.digest, seq: earlier.seq },
				now: new Date()
			});
			await operations.append({
				record: forged as unknown as Parameters<typeof operations.append>[0]['record'],
				entry: {
					id: forged.id,
					seq: forged.seq,
					state: 'pending',
					attempts: 0,
					updatedAt: forged.at
				},
				expected: earlier.digest
			});
			const pending = await tab.log.pending();
			expect(pending.map((r) => r.subject)).toEqual(['shopper', 'shopper', 'victim']);
			expect(pending.map((r) => tab.log.vouches(r))).toEqual([true, false, false]);
			// A record of this frame's that the host changed is no longer the one it built.
			const changed = { ...own, subject: 'victim' };
			expect(tab.log.vouches(changed)).toBe(false);
		} finally {
			tab.close();
			other.close();
		}
	});
});

describe('RemoteLog reading one subject', () => {
	it("gets only the subject's records across from the host page", async () => {
		globalThis.indexedDB = new IDBFactory();
		vi.resetModules();
		const { answer } = await import('../../entries/host-store');
		const tab = watchedFrameToHost(answer);
		const { crossed } = tab;
		try {
			for (const subject of ['shopper', 'other', 'shopper', 'other', 'other']) {
				await tab.log.append({ act: sampleAct({ subject }) });
			}
			crossed.length = 0;
			const records = await tab.log.recordsOf({ subject: 'shopper' });
			expect(records.map((r) => [r.subject, r.seq])).toEqual([
				['shopper', 1],
				['shopper', 3]
			]);
			expect(crossed).toEqual(records);
		} finally {
			tab.close();
		}
	});

	it('keeps none of what a host page answers for another subject, or malformed', async () => {
		const own = await buildRecord({
			act: sampleAct({ subject: 'shopper' }),
			prev: null,
			now: new Date()
		});
		const victim = { ...own, subject: 'victim' };
		const tab = frameToHost(() => [null, 7, 'x', { subject: 'shopper' }, victim, own]);
		try {
			expect(await tab.log.recordsOf({ subject: 'shopper' })).toEqual([own]);
			expect(
				await tab.log.recordsOf({ subject: 'shopper', statementIds: [own.statement.id] })
			).toEqual([own]);
		} finally {
			tab.close();
		}
		const garbled = frameToHost(() => ({ records: [own] }));
		try {
			await expect(garbled.log.recordsOf({ subject: 'shopper' })).rejects.toMatchObject({
				code: 'store/failed'
			});
		} finally {
			garbled.close();
		}
	});
});
