// The reference receiver as a program: `node receiver/main.js`. Configured by environment
// variables (see receiver/README.md).
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { openDatabase } from './database.js';
import { loadSigningKey } from './keys.js';
import { createReceiver } from './receiver.js';

/**
 * Starts the receiver and its HTTP server.
 * @param {{ port?: number, host?: string, dataDir?: string, databaseUrl?: string, site: string,
 *   origins?: string[], keyPath?: string, token?: string, path?: string }} options
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startReceiver(options) {
	const database = await openDatabase({
		...(options.databaseUrl ? { url: options.databaseUrl } : {}),
		...(options.dataDir ? { dataDir: options.dataDir } : {})
	});
	const { key, created } = loadSigningKey({
		...(options.keyPath ? { path: options.keyPath } : {})
	});
	if (created && options.keyPath) {
		console.log(`receiver: made a new Ed25519 signing key in ${options.keyPath}`);
	}
	const receiver = createReceiver({
		database,
		site: options.site,
		key,
		origins: options.origins ?? [],
		...(options.token ? { token: options.token } : {}),
		...(options.path ? { path: options.path } : {})
	});
	const server = createServer(receiver.handle);
	const host = options.host ?? '127.0.0.1';
	await new Promise((done) => server.listen(options.port ?? 4175, host, () => done(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://${host}:${address.port}${options.path ?? '/acceptances'}`,
		close: async () => {
			server.closeAllConnections();
			await new Promise((done) => server.close(() => done(undefined)));
			await database.close();
		}
	};
}

const list = (/** @type {string | undefined} */ value) =>
	(value ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);

if (import.meta.url === `file://${process.argv[1]}`) {
	const env = process.env;
	const dataDir = resolve(env.ASSENT_RECEIVER_DATA ?? 'data/receiver');
	const receiver = await startReceiver({
		port: Number(env.ASSENT_RECEIVER_PORT ?? env.PORT ?? 4175),
		host: env.HOST ?? '127.0.0.1',
		dataDir,
		...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
		site: env.ASSENT_SITE ?? resolve('build'),
		origins: list(env.ASSENT_RECEIVER_ORIGINS),
		keyPath: env.ASSENT_RECEIVER_KEY ?? resolve(dataDir, 'signing-key.pem'),
		...(env.ASSENT_RECEIVER_TOKEN ? { token: env.ASSENT_RECEIVER_TOKEN } : {})
	});
	console.log(`receiver: accepting records at ${receiver.url}`);
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.on(signal, () => void receiver.close().then(() => process.exit(0)));
	}
}
