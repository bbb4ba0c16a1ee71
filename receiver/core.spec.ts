import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundleCore, CORE_BUNDLE } from '../scripts/build-receiver-core.js';
import * as bundled from './core/status.js';
import * as source from '../src/lib/core/status';

describe('receiver/core/status.js', () => {
	it('is the current bundle of src/lib/core/status.ts (run node scripts/build-receiver-core.js)', async () => {
		expect(readFileSync(CORE_BUNDLE, 'utf8')).toBe(await bundleCore());
	});

	it('exports every function of the source', () => {
		const functions = (m: object) =>
			Object.entries(m)
				.filter(([, v]) => typeof v === 'function')
				.map(([k]) => k)
				.sort();
		expect(functions(bundled)).toEqual(functions(source));
	});
});
