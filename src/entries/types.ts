/**
 * The public types of `/widget/assent.js`. `static/widget/assent.d.ts`, the file partner sites
 * download, is pinned to these by `assent-types.spec.ts`: a change here that the published
 * declarations do not follow fails the tests.
 */
import type { WidgetStatus } from '../lib/widget/session';
import type { WidgetSyncResult } from '../lib/widget/sync';

/** A backend other than the HTTP wire protocol (SPEC section 7). */
export interface AssentAdapter {
	push(
		records: unknown[],
		options?: { signal?: AbortSignal }
	):
		| Promise<{ accepted: unknown[]; rejected: unknown[] }>
		| { accepted: unknown[]; rejected: unknown[] };
}

/** Where a subject stands with the element's statements and partner: what `status()` answers. */
export type AssentStatus = WidgetStatus;

/** What `sync()` answers, with or without a backend. */
export type AssentSyncResult = WidgetSyncResult;

/** A problem that keeps the widget from being shown: the detail of its `assent:error`. */
export interface AssentProblem {
	code: string;
	message: string;
}
