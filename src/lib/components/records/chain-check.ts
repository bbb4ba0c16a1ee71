/**
 * Verifying the chain of this browser's records without holding it in memory: read in chunks
 * through the `seq` index, digests of a chunk computed in parallel, in a Web Worker where the
 * browser has them (so the page stays responsive), with progress as records are checked.
 */
import { ChainChecker, type ChainVerdict } from '../../core/chain';
import type { AssentDatabase } from '../../store/db';
import { recordChunks } from '../../store/log';

export interface ChainCheck {
	verdict: ChainVerdict;
	/** The `seq` of the first bad record, when it has a numeric one. */
	seq?: number;
}

/** Told how many records were checked so far. */
export type Progress = (checked: number) => void;

/** A running check: its result, and a way to stop it when a newer one supersedes it. */
export interface RunningCheck {
	result: Promise<ChainCheck>;
	cancel(): void;
}

/** Checks a chain given as chunks, oldest first. */
export async function checkChunks(
	chunks: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>,
	progress?: Progress
): Promise<ChainCheck> {
	const checker = new ChainChecker();
	let verdict: ChainVerdict | undefined;
	for await (const chunk of chunks) {
		verdict = await checker.push(chunk);
		if (verdict) break;
		progress?.(checker.checked);
	}
	verdict ??= checker.finish();
	const seq = (checker.culprit as { seq?: unknown } | null | undefined)?.seq;
	return !verdict.ok && typeof seq === 'number' ? { verdict, seq } : { verdict };
}

/** Messages between the page and the verifying worker. */
export type WorkerRequest = { database: string } | { stop: true };
export type WorkerReply =
	| { kind: 'progress'; checked: number }
	| { kind: 'done'; check: ChainCheck }
	| { kind: 'failed'; message: string };

/**
 * Verifies the chain stored in `db`: in a Web Worker opening the same database where the
 * browser offers workers and `db` is the browser's own IndexedDB, else here, chunk by chunk.
 */
export function checkStoredChain(db: AssentDatabase, progress?: Progress): RunningCheck {
	// Dexie fills in the IndexedDB it found when it loaded: a worker can open the same database
	// only when that is the browser's own, not storage given to this database alone.
	const ownStorage =
		typeof indexedDB !== 'undefined' && db._options.indexedDB === globalThis.indexedDB;
	if (typeof Worker === 'undefined' || !ownStorage) {
		let cancelled = false;
		const chunks = async function* () {
			for await (const chunk of recordChunks(db)) {
				if (cancelled) return;
				yield chunk;
			}
		};
		return {
			result: checkChunks(chunks(), (n) => !cancelled && progress?.(n)),
			cancel: () => (cancelled = true)
		};
	}
	const worker = new Worker(new URL('./chain.worker.ts', import.meta.url), { type: 'module' });
	let cancelled = false;
	const result = new Promise<ChainCheck>((resolve, reject) => {
		worker.onmessage = (event: MessageEvent<WorkerReply>) => {
			if (cancelled) return;
			const reply = event.data;
			if (reply.kind === 'progress') return progress?.(reply.checked);
			if (reply.kind === 'done') resolve(reply.check);
			else reject(new Error(reply.message));
		};
		worker.onerror = (event) => {
			reject(new Error(event.message || 'the verifying worker failed to start'));
		};
	});
	worker.postMessage({ database: db.name } satisfies WorkerRequest);
	return {
		result,
		// The worker stops at its next chunk and ends itself once it closed the database.
		cancel: () => {
			cancelled = true;
			worker.postMessage({ stop: true } satisfies WorkerRequest);
		}
	};
}
