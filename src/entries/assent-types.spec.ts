/**
 * Pins `static/widget/assent.d.ts`, the declarations partner sites download, to the types of the
 * source: `npm run check` (and the type-check of this file) fails when one changes and the other
 * does not follow.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type * as Published from '../../static/widget/assent';
import type { AcceptanceRecord } from '../lib/core/record';
import type { AssentConsent, registerAdapter } from './assent';
import type { AssentAdapter, AssentProblem, AssentStatus, AssentSyncResult } from './types';

describe('the published widget types', () => {
	it('say what status() and sync() answer, exactly as the source does', () => {
		expectTypeOf<Published.AssentStatus>().toEqualTypeOf<AssentStatus>();
		expectTypeOf<Published.AssentSyncResult>().toEqualTypeOf<AssentSyncResult>();
		expectTypeOf<Published.AssentProblem>().toEqualTypeOf<AssentProblem>();
	});

	it('give the element the methods and answers of the source element', () => {
		type Element = Published.AssentConsentElement;
		expectTypeOf<ReturnType<Element['status']>>().toEqualTypeOf<
			ReturnType<AssentConsent['status']>
		>();
		expectTypeOf<ReturnType<Element['sync']>>().toEqualTypeOf<ReturnType<AssentConsent['sync']>>();
		expectTypeOf<Element['error']>().toEqualTypeOf<AssentConsent['error']>();
		expectTypeOf<ReturnType<AssentConsent['records']>>().toExtend<ReturnType<Element['records']>>();
	});

	it('describe records with the fields of the source record type', () => {
		// Every record the widget makes fits the published type, which names every field.
		expectTypeOf<AcceptanceRecord>().toExtend<Published.AssentRecord>();
		expectTypeOf<keyof Published.AssentRecord>().toEqualTypeOf<keyof AcceptanceRecord>();
	});

	it('accept a partner adapter typed by them in registerAdapter', () => {
		expectTypeOf<Published.AssentAdapter>().toExtend<AssentAdapter>();
		expectTypeOf<typeof Published.registerAdapter>().parameters.toEqualTypeOf<
			[Published.AssentAdapter | undefined]
		>();
		expectTypeOf<typeof registerAdapter>().parameters.toEqualTypeOf<[AssentAdapter | undefined]>();
	});
});
