#!/usr/bin/env node
// The reference receiver as a program: `node receiver/main.js`, configured by environment
// variables (receiver/README.md). PORT and HOST are read too, as hosting platforms set them.
import { receiverConfig } from './config.js';
import { startReceiver } from './receiver.js';

const env = process.env;
let config;
let running;
try {
	config = receiverConfig({
		env: {
			...env,
			ASSENT_RECEIVER_PORT: env.ASSENT_RECEIVER_PORT ?? env.PORT,
			ASSENT_RECEIVER_HOST: env.ASSENT_RECEIVER_HOST ?? env.HOST
		}
	});
	running = await startReceiver(config);
} catch (error) {
	console.error(`receiver: ${/** @type {Error} */ (error).message}`);
	process.exit(1);
}
const { receiver } = running;
// One write, so whoever watches the output sees the whole summary at once.
console.log(
	[
		`receiver: accepting records at ${running.url}`,
		`receiver: database ${receiver.database?.kind === 'pglite' ? `PGlite in ${config.database}` : 'PostgreSQL server (DATABASE_URL)'}; statements from ${config.site}`,
		`receiver: receipts signed with ${config.signingKey} (kid ${receiver.publicKey.kid}); public key at ${running.url}/key`,
		`receiver: browsers allowed from ${config.origins?.length ? config.origins.join(', ') : 'no origin (set ASSENT_RECEIVER_ORIGINS)'}${config.token ? '; a bearer token is required' : ''}`,
		`receiver: operator API at ${running.url}/subjects… ${config.operatorTokens ? `for tokens ${Object.keys(config.operatorTokens).join(', ')}` : 'off (set ASSENT_OPERATOR_TOKENS=name:token)'}; webhooks ${config.webhooks ? `to ${config.webhooks.urls.join(', ')}` : 'off (set ASSENT_WEBHOOK_URLS and ASSENT_WEBHOOK_SECRET)'}`
	].join('\n')
);

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
	process.once(signal, () => {
		void running.close().then(() => process.exit(0));
	});
}
