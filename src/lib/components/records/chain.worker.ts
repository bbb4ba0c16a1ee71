/**
 * Verifies the chain of this browser's records off the page's thread: opens the site's
 * database, reads it in chunks and posts progress, then the verdict (`chain-check.ts`).
 */
import { AssentDatabase } from '../../store/db';
import { recordChunks } from '../../store/log';
import { checkChunks, type WorkerReply, type WorkerRequest } from './chain-check';

const post = (reply: WorkerReply) => self.postMessage(reply);

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
	const db = new AssentDatabase({ name: event.data.database });
	try {
		const check = await checkChunks(recordChunks(db), (checked) =>
			post({ kind: 'progress', checked })
		);
		post({ kind: 'done', check });
	} catch (error) {
		post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
	} finally {
		db.close();
	}
};
