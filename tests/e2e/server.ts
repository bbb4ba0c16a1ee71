import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { staticSite } from '../../server/static.js';

export interface RunningServer {
	url: string;
	port: number;
	close: () => Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 at a free port, or at `port` (the partner port, whose
 * origins the test build lists for the test partner, so its pages may frame the widget).
 */
export async function listen(
	handler: RequestListener,
	options: { port?: number } = {}
): Promise<RunningServer> {
	const server: Server = createServer(handler);
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

/** Serves a built site as a static host would. */
export function serveSite(dir: string): Promise<RunningServer> {
	const site = staticSite({ dir });
	return listen((req, res) =>
		site(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		})
	);
}

/** A port nothing listens on now, for a server started later (a child process, a browser rule). */
export async function freePort(): Promise<number> {
	const server = createNetServer();
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	const address = server.address();
	await new Promise<void>((done) => server.close(() => done()));
	if (!address || typeof address === 'string') throw new Error('No free port on 127.0.0.1.');
	return address.port;
}
