/**
 * The messages between `<assent-consent>` on a partner page and the consent UI in its iframe on
 * the statements origin, besides the requests and answers of the channel (`channel.ts`: the JS
 * API, the host page's adapter, the relay store). Both sides check every message with these
 * guards and drop anything else; the frame only trusts messages whose `event.origin` is the embedding origin it checked
 * against `partners.yaml` and whose `event.source` is its parent.
 */

import { PROTOCOL, isObject } from './channel';

export { PROTOCOL };

export const WIDGET_MODES = ['accept', 'associate'] as const;
export type WidgetMode = (typeof WIDGET_MODES)[number];

/** What the element tells the frame once the frame said it is ready. */
export interface WidgetSettings {
	/** The host's opaque id of the customer. */
	subject?: string;
	/** The locale asked for (the `locale` attribute, else the page's `lang`, else the browser's). */
	locale?: string;
	/** An opaque assertion of the subject from the partner's backend, carried in records. */
	subjectToken?: string;
	/** Where records are pushed; absent: they stay in the browser and reach the host by events. */
	syncUrl?: string;
	/** The customer must scroll the statement to its end before the checkbox can be ticked. */
	requireScroll?: boolean;
	/** The host offers a decline button (accept mode). */
	allowDecline?: boolean;
	/** The host registered a custom adapter: the frame pushes records through the host. */
	hostAdapter?: boolean;
	/** Values of the theming custom properties (`--assent-*`) set on the element. */
	theme?: Record<string, string>;
}

/** The custom properties a host may set on `<assent-consent>` to theme it. */
export const THEME_PROPERTIES = [
	'--assent-accent',
	'--assent-accent-text',
	'--assent-background',
	'--assent-text',
	'--assent-muted',
	'--assent-border',
	'--assent-radius',
	'--assent-font'
] as const;

/** A theme value the frame applies: no `url()`, `expression` or markup, and short. */
export function isSafeThemeValue(value: string): boolean {
	return value.length <= 200 && !/url\s*\(|expression|[<>{};\\]|@import/i.test(value);
}

function isTheme(value: unknown): value is Record<string, string> {
	return (
		isObject(value) &&
		Object.entries(value).every(
			([name, v]) =>
				(THEME_PROPERTIES as readonly string[]).includes(name) &&
				typeof v === 'string' &&
				isSafeThemeValue(v)
		)
	);
}

/** Events the element dispatches (SPEC section 5). */
export const WIDGET_EVENTS = [
	'assent:accept',
	'assent:decline',
	'assent:associate',
	'assent:disassociate',
	'assent:sync',
	'assent:error',
	'assent:ready'
] as const;
export type WidgetEventName = (typeof WIDGET_EVENTS)[number];

/** The calls of the JS API that the frame answers. */
export const WIDGET_CALLS = ['status', 'records', 'sync'] as const;
export type WidgetCall = (typeof WIDGET_CALLS)[number];

export type HostMessage =
	| { protocol: typeof PROTOCOL; type: 'init'; settings: WidgetSettings }
	/** The host page holds the sync lock the frame asked for. */
	| { protocol: typeof PROTOCOL; type: 'locked' };

export { STORE_OPERATIONS, type StoreOperation } from './relay-protocol';

export type FrameMessage =
	| { protocol: typeof PROTOCOL; type: 'ready' }
	| { protocol: typeof PROTOCOL; type: 'resize'; height: number }
	| { protocol: typeof PROTOCOL; type: 'event'; name: WidgetEventName; detail: unknown }
	/**
	 * A frame refused Web Locks asks the host page to hold the sync lock for it (`hold: true`)
	 * or to let it go, so that one tab per browser syncs even then.
	 */
	| { protocol: typeof PROTOCOL; type: 'lock'; hold: boolean };

const optionalString = (value: unknown) => value === undefined || typeof value === 'string';
const optionalBoolean = (value: unknown) => value === undefined || typeof value === 'boolean';

function isSettings(value: unknown): value is WidgetSettings {
	return (
		isObject(value) &&
		optionalString(value.subject) &&
		optionalString(value.locale) &&
		optionalString(value.subjectToken) &&
		optionalString(value.syncUrl) &&
		optionalBoolean(value.requireScroll) &&
		optionalBoolean(value.allowDecline) &&
		optionalBoolean(value.hostAdapter) &&
		(value.theme === undefined || isTheme(value.theme))
	);
}

/** A message from the host page that the frame acts on, or `undefined` for anything else. */
export function readHostMessage(data: unknown): HostMessage | undefined {
	if (!isObject(data) || data.protocol !== PROTOCOL) return undefined;
	switch (data.type) {
		case 'init':
			return isSettings(data.settings) ? (data as HostMessage) : undefined;
		case 'locked':
			return data as HostMessage;
		default:
			return undefined;
	}
}

/** A message from the frame that the element acts on, or `undefined` for anything else. */
export function readFrameMessage(data: unknown): FrameMessage | undefined {
	if (!isObject(data) || data.protocol !== PROTOCOL) return undefined;
	switch (data.type) {
		case 'ready':
			return data as FrameMessage;
		case 'resize':
			return typeof data.height === 'number' && Number.isFinite(data.height) && data.height >= 0
				? (data as FrameMessage)
				: undefined;
		case 'event':
			return (WIDGET_EVENTS as readonly unknown[]).includes(data.name)
				? (data as FrameMessage)
				: undefined;
		case 'lock':
			return typeof data.hold === 'boolean' ? (data as FrameMessage) : undefined;
		default:
			return undefined;
	}
}

/** What the host page's adapter answered, as the frame's sync engine takes it, or `undefined`. */
export function readAdapterAnswer(
	result: unknown
): { accepted: unknown[]; rejected: unknown[] } | undefined {
	return isObject(result) && Array.isArray(result.accepted) && Array.isArray(result.rejected)
		? { accepted: result.accepted, rejected: result.rejected }
		: undefined;
}
