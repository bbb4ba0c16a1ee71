/**
 * Verifies the chain of this browser's records off the page's thread: opens the site's
 * database, reads it in chunks and posts progress, then the verdict (`chain-check.ts`). Asked to
 * stop, it stops at the next chunk. It ends itself only after closing the database: a worker
 * ended in the middle of a read can leave the read open, and the widget's next write waiting.
 */
import { AssentDatabase } from '../../store/db';
import { recordChunks } from '../../store/log';
import { checkChunks, type WorkerReply, type WorkerRequest } from './chain-check';

const post = (reply: WorkerReply) => self.postMessage(reply);
let stopped = false;

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
	const request = event.data;
	if ('stop' in request) {
		stopped = true;
		return;
	}
	const db = new AssentDatabase({ name: request.database });
	let reply: WorkerReply;
	try {
		const chunks = async function* () {
			for await (const chunk of recordChunks(db)) {
				if (stopped) return;
				yield chunk;
			}
		};
		const check = await checkChunks(chunks(), (checked) => {
			if (!stopped) post({ kind: 'progress', checked });
		});
		reply = { kind: 'done', check };
	} catch (error) {
		reply = { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
	}
	db.close();
	if (!stopped) post(reply);
	self.close();
};
