/**
 * A frame's channel to a host page over a real MessageChannel, for the tests of the relay store:
 * the frame's `RemoteLog` on one end, the host page's `store` answers on the other.
 */
import { createChannel } from '../core/channel';
import { portEndpoint } from '../core/channel-fixtures';
import { RemoteLog } from './remote-log';

/** A frame's channel to a host page that answers `store` with `answer`. */
export function frameToHost(answer: (params: unknown) => unknown): {
	log: RemoteLog;
	close(): void;
} {
	const { port1, port2 } = new MessageChannel();
	const host = createChannel({ endpoint: portEndpoint(port1) });
	host.serve({ store: answer });
	const frame = createChannel({ endpoint: portEndpoint(port2) });
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

/** A frame's channel to a host page that answers `store` with `answer`, keeping in `crossed` every record it sent across. */
export function watchedFrameToHost(answer: (params: unknown) => unknown) {
	const crossed: unknown[] = [];
	const tab = frameToHost(async (params) => {
		const answered = await answer(params);
		if (Array.isArray(answered)) crossed.push(...answered);
		return answered;
	});
	return { ...tab, crossed };
}
