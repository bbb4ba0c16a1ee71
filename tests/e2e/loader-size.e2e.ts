/**
 * The loader partner pages include, `/widget/assent.js` from the test build, stays within its
 * budget: 4 KB gzip, one file, no Svelte and no Dexie (they load on demand or live in the frame).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';

const BUDGET = 4 * 1024;

describe('the widget loader', () => {
	const widget = join(inject('siteDir'), 'widget');
	const loader = readFileSync(join(widget, 'assent.js'));

	it(`is at most ${BUDGET} bytes gzip`, () => {
		expect(gzipSync(loader).length).toBeLessThanOrEqual(BUDGET);
	});

	it('is one file: it imports no chunk of its own, only what it loads on demand', () => {
		const text = loader.toString('utf8');
		expect(text).not.toMatch(/^import|[;}]import[\s{*]/m);
		// Every built script is one of the three entries partner pages reach.
		const scripts = readdirSync(widget).filter((name) => name.endsWith('.js'));
		expect(scripts.sort()).toEqual(['assent.js', 'host-store.js', 'inline.js']);
	});
});
