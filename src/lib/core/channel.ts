/**
 * The one request/response channel between `<assent-consent>` on a partner page and its frame
 * (the JS API, the host page's adapter, the relay store). Every request has an id; a call may
 * have its own timeout or abort signal; an error thrown by a handler crosses with its `code`
 * and `name` and rejects the caller with the same ones; closing the channel fails what is still
 * waiting. Messages are checked on arrival and anything that is not one of them is dropped. The
 * transport is an `Endpoint`: `windowEndpoint` for a window pair with explicit origins, or any
 * port (a `MessageChannel` in tests). It runs in the loader, so every byte counts.
 */
import { AssentError, type AssentErrorCode } from './errors';

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

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** A channel message, or `undefined` for anything else a page may post. */
export function readChannelMessage(data: unknown): ChannelMessage | undefined {
	if (!isObject(data) || data.protocol !== PROTOCOL || typeof data.id !== 'string') return;
	if (data.type === 'request' && typeof data.method === 'string') return data as ChannelMessage;
	if (data.type !== 'response' || !('error' in data)) {
		return data.type === 'response' ? (data as ChannelMessage) : undefined;
	}
	const error = data.error;
	return isObject(error) &&
		typeof error.code === 'string' &&
		typeof error.name === 'string' &&
		typeof error.message === 'string'
		? (data as ChannelMessage)
		: undefined;
}

/** What an error turns into on the wire; one without a code crosses as `channel/failed`. */
export function toWireError(error: unknown): WireError {
	const e = error as { code?: unknown; name?: unknown; message?: unknown } | undefined;
	return {
		code: typeof e?.code === 'string' ? e.code : 'channel/failed',
		name: typeof e?.name === 'string' ? e.name : 'Error',
		message: typeof e?.message === 'string' ? e.message : String(error)
	};
}

/** The error a caller sees: an AssentError with the code, name and message that crossed. */
export function fromWireError(wire: WireError): AssentError {
	const error = new AssentError(wire.code as AssentErrorCode, wire.message);
	error.name = wire.name;
	return error;
}

export type Handlers = Record<string, (params: unknown) => unknown>;

export interface Channel {
	/** Asks the other side; rejects with the code its handler threw, or a `channel/*` code. */
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
	/** Stops listening and fails every request still waiting with `channel/closed`. */
	close(reason?: string): void;
}

export function createChannel(options: { endpoint: Endpoint }): Channel {
	const { endpoint } = options;
	const waiting = new Map<string, (message: ChannelMessage & { type: 'response' }) => void>();
	const handlers: Handlers = {};
	const prefix = Math.random().toString(36).slice(2);
	let next = 0;
	let closed: string | undefined;
	const respond = (id: string, answer: { result?: unknown } | { error: WireError }) =>
		endpoint.post({ protocol: PROTOCOL, type: 'response', id, ...answer });
	const stop = endpoint.listen((data) => {
		const message = readChannelMessage(data);
		if (message?.type === 'response') waiting.get(message.id)?.(message);
		else if (message) {
			const handler = Object.hasOwn(handlers, message.method)
				? handlers[message.method]
				: undefined;
			new Promise((resolve) => {
				if (!handler) {
					throw new AssentError(
						'channel/unknown-method',
						`The other side of the widget has no "${message.method}" to answer; load assent.js from the statements site that serves the frame.`
					);
				}
				resolve(handler(message.params));
			}).then(
				(result) => respond(message.id, { result }),
				(error: unknown) => respond(message.id, { error: toWireError(error) })
			);
		}
	});
	return {
		request: (method, params, call = {}) =>
			new Promise((resolve, reject) => {
				if (closed !== undefined) throw new AssentError('channel/closed', closed);
				const id = `${prefix}-${++next}`;
				const abort = () => finish(() => reject(call.signal?.reason));
				const timer =
					call.timeoutMs === undefined
						? undefined
						: setTimeout(
								() =>
									finish(() =>
										reject(
											new AssentError(
												'channel/timeout',
												`The other side of the widget did not answer "${method}" within ${call.timeoutMs} ms.`
											)
										)
									),
								call.timeoutMs
							);
				const finish = (settle: () => void) => {
					waiting.delete(id);
					clearTimeout(timer);
					call.signal?.removeEventListener('abort', abort);
					settle();
				};
				if (call.signal?.aborted) return reject(call.signal.reason);
				call.signal?.addEventListener('abort', abort);
				waiting.set(id, (message) =>
					finish(() =>
						'error' in message
							? reject(fromWireError(message.error))
							: resolve(message.result as never)
					)
				);
				// Sent as plain JSON: nothing of this side's objects crosses.
				const payload = params === undefined ? undefined : JSON.parse(JSON.stringify(params));
				endpoint.post({ protocol: PROTOCOL, type: 'request', id, method, params: payload });
			}),
		serve: (more) => void Object.assign(handlers, more),
		close: (reason = 'The widget was closed.') => {
			closed = reason;
			stop();
			const error = toWireError(new AssentError('channel/closed', reason));
			for (const [id, answer] of waiting) {
				answer({ protocol: PROTOCOL, type: 'response', id, error });
			}
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
	peer: () => Pick<Window, 'postMessage'> | null | undefined;
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
