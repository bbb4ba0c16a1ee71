/**
 * The one request/response channel between `<assent-consent>` on a partner page and its frame
 * (the JS API, the host page's adapter, the relay store). Every request has an id; a call may
 * have its own timeout or abort signal; an error thrown by a handler crosses with its `code`
 * and `name` and rejects the caller with the same ones; closing the channel fails what is still
 * waiting. Messages are checked on arrival and anything that is not one of them is dropped. The
 * transport is an `Endpoint`: `windowEndpoint` for a window pair with explicit origins, or any
 * port (a `MessageChannel` in tests). It runs in the loader, so every byte counts.
 */
import type { AssentErrorCode } from './errors';

/** Marks Assent's messages among whatever else a page posts. */
export const PROTOCOL = 'assent/1';

/** One side of a transport: posts to the other side and hears what it posts. */
export interface Endpoint {
	post(message: unknown): void;
	/** Calls `handle` with every message from the other side; returns how to stop. */
	listen(handle: (data: unknown) => void): () => void;
}

/** An error as it crosses: enough to rebuild it with the same `code`. */
export interface WireError {
	code: string;
	name: string;
	message: string;
}

export type ChannelMessage =
	| { protocol: typeof PROTOCOL; type: 'request'; id: string; method: string; params?: unknown }
	| { protocol: typeof PROTOCOL; type: 'response'; id: string; result?: unknown }
	| { protocol: typeof PROTOCOL; type: 'response'; id: string; error: WireError };

/** A plain object (not null, not an array): what every message of the widget is. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** A channel message, or `undefined` for anything else a page may post. */
export function readChannelMessage(data: unknown): ChannelMessage | undefined {
	if (!isObject(data) || data.protocol !== PROTOCOL || typeof data.id !== 'string') return;
	const error = data.error;
	const ok =
		data.type === 'request'
			? typeof data.method === 'string'
			: data.type === 'response' &&
				(!('error' in data) || (isObject(error) && typeof error.code === 'string'));
	return ok ? (data as ChannelMessage) : undefined;
}

/** An error with a `code`, as every failure of the channel and the JS API is. */
export type CodedError = Error & { code: AssentErrorCode };

/** Makes one; kept apart from AssentError so that the loader stays small. */
export function codedError(code: string, message: string, name = 'AssentError'): CodedError {
	return Object.assign(new Error(message), { name, code: code as AssentErrorCode });
}

/** What an error turns into on the wire; one without a code crosses as `channel/failed`. */
export function toWireError(error: unknown): WireError {
	const e = error as { code?: unknown; name?: unknown; message?: unknown } | undefined;
	return {
		// A DOMException's numeric code is not one of ours.
		code: typeof e?.code === 'string' ? e.code : 'channel/failed',
		name: String(e?.name ?? 'Error'),
		message: String(e?.message ?? error)
	};
}

/** The error a caller sees: the code, name and message that crossed. */
export function fromWireError(wire: WireError): CodedError {
	return codedError(wire.code, wire.message, String(wire.name));
}

export type Handlers = Record<string, (params: unknown) => unknown>;

export interface Channel {
	/**
	 * Asks the other side; rejects with the code its handler threw, or a `channel/*` code.
	 * `params` must survive structured cloning (plain data).
	 */
	request<T = unknown>(
		method: string,
		params?: unknown,
		options?: {
			/** @default no timeout */
			timeoutMs?: number;
			signal?: AbortSignal;
		}
	): Promise<T>;
	/** Answers requests for these methods; others are refused with `channel/unknown-method`. */
	serve(handlers: Handlers): void;
	/** Stops listening and fails every request still waiting with `channel/closed` and `reason`. */
	close(reason: string): void;
}

export function createChannel(options: {
	endpoint: Endpoint;
	/** Hears what else the other side posts (not requests or responses). @default ignored */
	onMessage?: (data: unknown) => void;
}): Channel {
	const { endpoint } = options;
	/** Settles a waiting request: with an error, or (`error` undefined) with a result. */
	const waiting = new Map<string, (error: Error | undefined, result?: unknown) => void>();
	const handlers = new Map<string, (params: unknown) => unknown>();
	// Ids need only be unique on this channel: the endpoint hears one window, or one port.
	let next = 0;
	let closed: string | undefined;
	const stop = endpoint.listen((data) => {
		const message = readChannelMessage(data);
		if (message?.type === 'response') {
			waiting.get(message.id)?.(
				'error' in message ? fromWireError(message.error) : undefined,
				(message as { result?: unknown }).result
			);
		} else if (message) {
			const { id, method } = message;
			const respond = (answer: { result?: unknown } | { error: WireError }) =>
				endpoint.post({ protocol: PROTOCOL, type: 'response', id, ...answer });
			new Promise((resolve) => {
				const handler = handlers.get(method);
				if (!handler) {
					throw codedError(
						'channel/unknown-method',
						`No "${method}" here: load assent.js from the statements site.`
					);
				}
				resolve(handler(message.params));
			}).then(
				(result) => respond({ result }),
				(error: unknown) => respond({ error: toWireError(error) })
			);
		} else options.onMessage?.(data);
	});
	return {
		request: (method, params, call = {}) =>
			new Promise((resolve, reject) => {
				if (closed !== undefined) throw codedError('channel/closed', closed);
				const { signal, timeoutMs } = call;
				const id = `${++next}`;
				const settle = (error: Error | undefined, result?: unknown) => {
					waiting.delete(id);
					clearTimeout(timer);
					signal?.removeEventListener('abort', abort);
					if (error) reject(error);
					else resolve(result as never);
				};
				const abort = () => settle(signal!.reason);
				const timer =
					timeoutMs === undefined
						? undefined
						: setTimeout(
								() => settle(codedError('channel/timeout', `No answer to "${method}" in time.`)),
								timeoutMs
							);
				if (signal?.aborted) return abort();
				signal?.addEventListener('abort', abort);
				waiting.set(id, settle);
				endpoint.post({ protocol: PROTOCOL, type: 'request', id, method, params });
			}),
		serve: (more) => {
			for (const [method, handler] of Object.entries(more)) handlers.set(method, handler);
		},
		close: (reason) => {
			closed = reason;
			stop();
			for (const settle of waiting.values()) settle(codedError('channel/closed', reason));
		}
	};
}

/**
 * A window pair as an endpoint: posts to `peer()` for `origin` only, and hears only messages
 * whose source is that window and whose origin is `origin`.
 */
export function windowEndpoint(options: {
	/** The window this side listens on (its own). */
	self: Pick<Window, 'addEventListener' | 'removeEventListener'>;
	/** The other side's window, looked up at each post (a frame's changes as it navigates). */
	peer: () => { postMessage(message: unknown, targetOrigin: string): void } | null | undefined;
	/** The other side's origin: messages go to it alone and come from it alone. */
	origin: string;
}): Endpoint {
	return {
		post: (message) => options.peer()?.postMessage(message, options.origin),
		listen(handle) {
			const listener = (event: MessageEvent) => {
				const peer = options.peer();
				if (peer && event.source === peer && event.origin === options.origin) handle(event.data);
			};
			options.self.addEventListener('message', listener);
			return () => options.self.removeEventListener('message', listener);
		}
	};
}
