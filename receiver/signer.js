/**
 * Signing receipts off the receiver's critical path: each receipt is still its own Ed25519
 * signature over its own canonical JSON (SPEC section 6), made by `receipts.js`, but a batch's
 * signatures are made in a worker thread while the receiver checks the rest of the batch and
 * begins the transaction. Small batches are signed in place: a thread's round trip would cost
 * more than their signatures.
 */
import { Worker } from 'node:worker_threads';
import { receiptFields, signReceipt } from './receipts.js';

/**
 * @typedef {import('./types.js').Receipt} Receipt
 * @typedef {import('./types.js').SigningKey} SigningKey
 * @typedef {{ id: string, digest: string, receivedAt: string, subject?: 'unverified', relayed?: true }} ReceiptFields
 */

/** Below this many receipts in a batch, signing in place is faster than a thread. */
export const SIGN_IN_THREAD_FROM = 32;
/** Receipts signed together, so the first come back while the batch is still checked. */
export const SIGN_CHUNK = 16;
/** Chunks the signing thread holds for one batch at a time. */
const SIGN_IN_FLIGHT = 2;

/**
 * The one signing thread of the process, shared by every receiver in it.
 * @type {Worker | undefined}
 */
let thread;
let jobs = 0;
/** @type {Map<number, { resolve: (signatures: string[]) => void, reject: (error: Error) => void }>} */
const waiting = new Map();
/** The keys the current thread holds, by `kid`. */
let given = new Set();

function signingThread() {
	if (thread) return thread;
	const worker = new Worker(new URL('./sign-worker.js', import.meta.url));
	// The thread never keeps the process alive: a receiver that is closed leaves nothing behind.
	worker.unref();
	worker.on(
		'message',
		/** @param {{ job: number, signatures?: string[], error?: string }} message */ (message) => {
			const job = waiting.get(message.job);
			waiting.delete(message.job);
			if (!job) return;
			if (message.signatures) job.resolve(message.signatures);
			else job.reject(new Error(`The signing thread failed: ${message.error}`));
		}
	);
	const fail = (/** @type {Error} */ error) => {
		if (thread === worker) {
			thread = undefined;
			given = new Set();
		}
		for (const [n, job] of waiting) {
			waiting.delete(n);
			job.reject(error);
		}
	};
	worker.on('error', fail);
	worker.on('exit', (code) => fail(new Error(`The signing thread stopped (exit code ${code}).`)));
	thread = worker;
	return worker;
}

/**
 * Signs `receipts` with `key` in the signing thread; should the thread fail, here.
 * @param {SigningKey} key
 * @param {ReceiptFields[]} receipts
 * @returns {Promise<Receipt[]>}
 */
function signInThread(key, receipts) {
	return new Promise((resolve, reject) => {
		const worker = signingThread();
		const job = ++jobs;
		waiting.set(job, { resolve, reject });
		const first = !given.has(key.kid);
		given.add(key.kid);
		worker.postMessage({
			job,
			kid: key.kid,
			...(first ? { privateKey: key.privateKey } : {}),
			receipts
		});
	})
		.then((signatures) => {
			const all = /** @type {string[]} */ (signatures);
			// Never a receipt without its own signature: a short answer is signed here instead.
			if (all.length !== receipts.length) throw new Error('signatures missing');
			return receipts.map((fields, i) => ({
				...receiptFields({ key, ...fields }),
				signature: /** @type {string} */ (all[i])
			}));
		})
		.catch(() => receipts.map((fields) => signReceipt({ key, ...fields })));
}

/**
 * The receipts of one batch, signed as its records pass their checks: `add` a record's fields
 * when it has passed, then `receipts()` once all have, for every receipt in the order added.
 *
 * In a large batch the signing thread takes chunks from the front, a few at a time; once every
 * record is checked, this thread signs chunks the other has not taken yet from the back, one per
 * turn of the event loop, while the receiver waits for the database. Each chunk is signed once,
 * by one of them.
 * @param {{ key: SigningKey, size: number }} options  `size`: the records in the batch
 */
export function batchSigner(options) {
	const { key } = options;
	const inThread = options.size >= SIGN_IN_THREAD_FROM;
	/** @type {{ fields: ReceiptFields[], signed?: Receipt[] | Promise<Receipt[]> }[]} */
	const chunks = [];
	/** The first chunk the signing thread has not taken. */
	let front = 0;
	let inFlight = 0;
	/** @type {ReceiptFields[]} */
	let pending = [];
	const here = (/** @type {ReceiptFields[]} */ fields) =>
		fields.map((f) => signReceipt({ key, ...f }));
	// The thread gets the next chunk as soon as it is done with one: never idle, and never so
	// far ahead that nothing is left for this thread to take from the back.
	const feed = () => {
		while (inFlight < SIGN_IN_FLIGHT && front < chunks.length) {
			const chunk = /** @type {(typeof chunks)[number]} */ (chunks[front++]);
			if (chunk.signed) continue;
			inFlight++;
			chunk.signed = signInThread(key, chunk.fields).finally(() => {
				inFlight--;
				feed();
			});
		}
	};
	const close = () => {
		if (pending.length === 0) return;
		chunks.push({ fields: pending, ...(inThread ? {} : { signed: here(pending) }) });
		pending = [];
		if (inThread) feed();
	};
	return {
		/** @param {ReceiptFields} fields */
		add(fields) {
			pending.push(fields);
			if (pending.length >= SIGN_CHUNK) close();
		},
		/** @returns {Promise<Receipt[]>} */
		async receipts() {
			close();
			for (let i = chunks.length - 1; i >= front; i--) {
				// A turn of the event loop first: the caller's queries go out meanwhile.
				await new Promise((resolve) => setImmediate(resolve));
				const chunk = /** @type {(typeof chunks)[number]} */ (chunks[i]);
				if (chunk.signed) break;
				chunk.signed = here(chunk.fields);
			}
			return (await Promise.all(chunks.map((chunk) => chunk.signed ?? here(chunk.fields)))).flat();
		}
	};
}
