/**
 * Signing receipts off the receiver's critical path: each receipt is still its own Ed25519
 * signature over its own canonical JSON (SPEC section 6), made by `receipts.js`, but a batch's
 * signatures are made in a worker thread while the receiver checks the rest of the batch and
 * begins the transaction. Small batches are signed in place: a thread's round trip would cost
 * more than their signatures.
 */
import { Worker } from 'node:worker_threads';
import { signReceipt } from './receipts.js';

/**
 * @typedef {import('./types.js').Receipt} Receipt
 * @typedef {import('./types.js').SigningKey} SigningKey
 * @typedef {{ id: string, digest: string, receivedAt: string, subject?: 'unverified', relayed?: true }} ReceiptFields
 */

/** Below this many receipts in a batch, signing in place is faster than a thread. */
export const SIGN_IN_THREAD_FROM = 32;
/** Receipts sent to the thread together, so the first come back while the batch is still checked. */
export const SIGN_CHUNK = 64;

/**
 * The one signing thread of the process, shared by every receiver in it.
 * @type {Worker | undefined}
 */
let thread;
let jobs = 0;
/** @type {Map<number, { resolve: (signed: Receipt[]) => void, reject: (error: Error) => void }>} */
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
		/** @param {{ job: number, signed?: Receipt[], error?: string }} message */ (message) => {
			const job = waiting.get(message.job);
			waiting.delete(message.job);
			if (!job) return;
			if (message.signed) job.resolve(message.signed);
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
	}).then(
		(signed) => /** @type {Receipt[]} */ (signed),
		() => receipts.map((fields) => signReceipt({ key, ...fields }))
	);
}

/**
 * The receipts of one batch, signed as its records pass their checks: `add` a record's fields
 * when it has passed, then `receipts()` once all have, for every receipt in the order added.
 * @param {{ key: SigningKey, size: number }} options  `size`: the records in the batch
 */
export function batchSigner(options) {
	const { key } = options;
	const inThread = options.size >= SIGN_IN_THREAD_FROM;
	/** @type {(Receipt[] | Promise<Receipt[]>)[]} */
	const parts = [];
	/** @type {ReceiptFields[]} */
	let pending = [];
	const send = () => {
		if (pending.length === 0) return;
		const chunk = pending;
		pending = [];
		if (!inThread) {
			parts.push(chunk.map((fields) => signReceipt({ key, ...fields })));
			return;
		}
		parts.push(signInThread(key, chunk));
	};
	return {
		/** @param {ReceiptFields} fields */
		add(fields) {
			pending.push(fields);
			if (pending.length >= SIGN_CHUNK) send();
		},
		/** @returns {Promise<Receipt[]>} */
		async receipts() {
			send();
			return (await Promise.all(parts)).flat();
		}
	};
}
