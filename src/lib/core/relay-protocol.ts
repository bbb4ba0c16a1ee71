/**
 * The relay store's requests: what a frame the browser refuses storage may ask the partner page
 * to keep for it (`/widget/host-store.js`). Kept apart from `widget-protocol.ts` and imported by
 * nothing else the page loads, so that host-store.js and the loader share no module and each
 * stays one file.
 */

export const STORE_OPERATIONS = [
	'head',
	'all',
	'recordsOf',
	'append',
	'entries',
	'records',
	'settle'
] as const;
export type StoreOperation = (typeof STORE_OPERATIONS)[number];

/** A relay store request (channel method `store`) the host page acts on, or `undefined`. */
export function readStoreRequest(
	params: unknown
): { op: StoreOperation; args: Record<string, unknown> } | undefined {
	const isObject = (value: unknown): value is Record<string, unknown> =>
		typeof value === 'object' && value !== null && !Array.isArray(value);
	return isObject(params) &&
		(STORE_OPERATIONS as readonly unknown[]).includes(params.op) &&
		isObject(params.args)
		? (params as { op: StoreOperation; args: Record<string, unknown> })
		: undefined;
}
