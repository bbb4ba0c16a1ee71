/** Channel endpoints over a real MessageChannel, for the tests of the channel and its users. */
import type { Endpoint } from './channel';

/** One end of a MessageChannel as the channel's endpoint. */
export const portEndpoint = (port: MessagePort): Endpoint => ({
	post: (message) => port.postMessage(message),
	listen(handle) {
		const listener = (event: MessageEvent) => handle(event.data);
		port.addEventListener('message', listener);
		port.start();
		return () => port.removeEventListener('message', listener);
	}
});
