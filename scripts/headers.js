// Writes the built site's framing rules to `<build>/_headers` for CDNs (server/headers.js);
// `npm run build` runs it last. ASSENT_OUT names another build folder.
import { resolve } from 'node:path';
import { writeHeaders } from '../server/headers.js';

try {
	writeHeaders({ dir: resolve(process.env.ASSENT_OUT || 'build') });
} catch (error) {
	console.error(/** @type {Error} */ (error).message);
	process.exit(1);
}
