import { createHash } from 'node:crypto';

/** Turns CRLF and lone CR into LF, as SPEC section 2 hashes files. */
export function normalizeNewlines(text: string): string {
	return text.replace(/\r\n?/g, '\n');
}

/**
 * The hash of a published file: `sha256:` and the lowercase hex SHA-256 of its bytes after
 * CRLF and CR become LF. Works on bytes, so the result equals `sha256sum` of the LF file.
 */
export function statementHash(bytes: Uint8Array): string {
	const normalized: number[] = [];
	for (let i = 0; i < bytes.length; i++) {
		const byte = bytes[i]!;
		if (byte === 0x0d) {
			normalized.push(0x0a);
			if (bytes[i + 1] === 0x0a) i++;
		} else {
			normalized.push(byte);
		}
	}
	return 'sha256:' + createHash('sha256').update(Uint8Array.from(normalized)).digest('hex');
}
