// `npm run statements:publish`: adds new statement versions to statements.lock.json.
import { resolve } from 'node:path';
import { runnerImport } from 'vite';

const { module } = await runnerImport(resolve('src/lib/server/content/publish.ts'), {
	configFile: false,
	logLevel: 'error'
});
/** @type {typeof import('../src/lib/server/content/publish')} */
const { publish, LOCK_FILE } = module;

try {
	const result = publish();
	// Warnings do not stop publishing; they name what the author may want to fix first.
	for (const warning of result.warnings) console.warn(`Warning: ${warning.message}`);
	if (result.added.length === 0) {
		console.log(
			`Nothing to publish: every version is already in ${LOCK_FILE} (${result.total} ${result.total === 1 ? 'file' : 'files'}).`
		);
	} else {
		const files = result.added.length === 1 ? 'version file' : 'version files';
		console.log(`Published ${result.added.length} new ${files} to ${LOCK_FILE}:`);
		for (const key of result.added) console.log(`  + ${key}`);
		console.log('Commit the lock file together with the new versions.');
	}
} catch (error) {
	if (error instanceof Error && error.name === 'AssentError') {
		console.error(error.message);
		console.error(`Nothing was published; ${LOCK_FILE} is unchanged.`);
		process.exit(1);
	}
	throw error;
}
