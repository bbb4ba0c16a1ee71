/**
 * A thread that signs receipts (`signer.js`), so a batch's Ed25519 signatures are made while
 * the receiver checks its records and opens the transaction that stores them. It answers each
 * receipt's signature only: the receiver has the rest.
 */
import { parentPort } from 'node:worker_threads';
import { documentSignature, receiptFields } from './receipts.js';

/** @type {Map<string, import('node:crypto').KeyObject>} */
const keys = new Map();

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
port.on(
	'message',
	/** @param {{ job: number, kid: string, privateKey?: import('node:crypto').KeyObject, receipts: { id: string, digest: string, receivedAt: string, subject?: 'unverified', relayed?: true }[] }} message */
	(message) => {
		try {
			if (message.privateKey) keys.set(message.kid, message.privateKey);
			const privateKey = keys.get(message.kid);
			if (!privateKey) throw new Error(`no key ${message.kid} was given to the signing thread`);
			const key = { kid: message.kid, privateKey };
			// Only the signatures go back: the receiver has the rest of each receipt.
			const signatures = message.receipts.map((fields) =>
				documentSignature({ key, fields: receiptFields({ key, ...fields }) })
			);
			port.postMessage({ job: message.job, signatures });
		} catch (error) {
			port.postMessage({ job: message.job, error: /** @type {Error} */ (error).message });
		}
	}
);
