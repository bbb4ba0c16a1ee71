import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { statementHash } from './hash';

const sha256 = (text: string) => 'sha256:' + createHash('sha256').update(text).digest('hex');

describe('statementHash', () => {
	it('is the sha256sum of the file with LF line endings', () => {
		const text = '---\ntitle: T\n---\n\nText \u00e9\u4e2d.\n';
		expect(statementHash(new TextEncoder().encode(text))).toBe(sha256(text));
		// The same value `printf 'abc\n' | sha256sum` prints.
		expect(statementHash(new TextEncoder().encode('abc\n'))).toBe(
			'sha256:edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb'
		);
	});

	it('turns CRLF and lone CR into LF before hashing', () => {
		const lf = statementHash(new TextEncoder().encode('a\nb\n\nc\n'));
		expect(statementHash(new TextEncoder().encode('a\r\nb\r\n\r\nc\r\n'))).toBe(lf);
		expect(statementHash(new TextEncoder().encode('a\rb\r\rc\r'))).toBe(lf);
	});

	it('changes when one character changes', () => {
		const a = statementHash(new TextEncoder().encode('Clause 1.\n'));
		const b = statementHash(new TextEncoder().encode('Clause 2.\n'));
		expect(a).not.toBe(b);
		expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
	});
});
