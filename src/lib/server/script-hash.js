// Plain JavaScript, so both `svelte.config.js` (which lists the inline scripts' hashes in the
// pages' Content-Security-Policy) and the server's page hooks can use it.
import { createHash } from 'node:crypto';

/**
 * The Content-Security-Policy source that allows an inline script with exactly this text.
 * @param {string} script @returns {`sha256-${string}`}
 */
export const scriptHash = (script) =>
	`sha256-${createHash('sha256').update(script).digest('base64')}`;
