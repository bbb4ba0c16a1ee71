/**
 * The channel's contract, run over every transport it is used on: a real MessageChannel, and a
 * window pair (the element's page and its frame) with origins and sources checked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AssentError } from './errors';
import {
	PROTOCOL,
	createChannel,
	readChannelMessage,
	windowEndpoint,
	type Endpoint
} from './channel';
import { portEndpoint } from './channel-fixtures';

interface Pair {
	left: Endpoint;
	right: Endpoint;
	/** Posts raw data to the right side as if a stranger (another frame, another origin) sent it. */
	stranger?: (data: unknown) => void;
	close(): void;
}

function messageChannelPair(): Pair {
	const { port1, port2 } = new MessageChannel();
	return {
		left: portEndpoint(port1),
		right: portEndpoint(port2),
		close: () => {
			port1.close();
			port2.close();
		}
	};
}

/** Two windows that post to each other with `origin` and `source`, as browsers do. */
function windowPair(): Pair {
	class FakeWindow extends EventTarget {
		constructor(readonly origin: string) {
			super();
		}
		peer!: FakeWindow;
		postMessage(data: unknown, targetOrigin: string) {
			// The browser drops a message for another origin than the receiver's.
			if (targetOrigin !== this.origin) return;
			const from = this.peer;
			setTimeout(() =>
				this.dispatchEvent(
					Object.assign(new Event('message'), {
						data: structuredClone(data),
						origin: from.origin,
						source: from
					})
				)
			);
		}
	}
	const host = new FakeWindow('https://partner.example');
	const frame = new FakeWindow('https://statements.example');
	host.peer = frame;
	frame.peer = host;
	const other = new FakeWindow('https://evil.example');
	other.peer = frame;
	return {
		left: windowEndpoint({ self: host, peer: () => frame, origin: frame.origin }),
		right: windowEndpoint({ self: frame, peer: () => host, origin: host.origin }),
		stranger: (data) =>
			frame.dispatchEvent(
				Object.assign(new Event('message'), { data, origin: other.origin, source: other })
			),
		close: () => undefined
	};
}

const transports: [string, () => Pair][] = [
	['a MessageChannel', messageChannelPair],
	['a window pair', windowPair]
];

for (const [name, makePair] of transports) {
	describe(`the widget channel over ${name}`, () => {
		let pair: Pair;
		afterEach(() => pair?.close());
		const open = () => {
			pair = makePair();
			return {
				host: createChannel({ endpoint: pair.left }),
				frame: createChannel({ endpoint: pair.right })
			};
		};

		it('answers each request with its own result, in any order', async () => {
			const { host, frame } = open();
			frame.serve({
				echo: async (params) => {
					const { n } = params as { n: number };
					await new Promise((resolve) => setTimeout(resolve, (3 - n) * 5));
					return { n };
				}
			});
			const answers = await Promise.all([1, 2, 3].map((n) => host.request('echo', { n })));
			expect(answers).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
		});

		it('serves both ways at once', async () => {
			const { host, frame } = open();
			host.serve({ push: (records) => ({ accepted: records, rejected: [] }) });
			frame.serve({ status: () => ({ pending: 0 }) });
			expect(await frame.request('push', ['a'])).toEqual({ accepted: ['a'], rejected: [] });
			expect(await host.request('status')).toEqual({ pending: 0 });
		});

		it('rejects with the code, name and message the handler threw', async () => {
			const { host, frame } = open();
			frame.serve({
				status: () => {
					throw new AssentError('store/quota', 'The browser has no storage left.');
				},
				quota: () => {
					throw Object.assign(new Error('full'), { name: 'QuotaExceededError' });
				}
			});
			const error = await host.request('status').catch((e: unknown) => e);
			expect(error).toBeInstanceOf(Error);
			expect(error).toMatchObject({
				code: 'store/quota',
				name: 'AssentError',
				message: 'The browser has no storage left.'
			});
			// An error without a code still rejects with one, and keeps its name.
			expect(await host.request('quota').catch((e: unknown) => e)).toMatchObject({
				code: 'channel/failed',
				name: 'QuotaExceededError',
				message: 'full'
			});
		});

		it('refuses a method the other side does not serve, with a code', async () => {
			const { host } = open();
			await expect(host.request('nothing')).rejects.toMatchObject({
				code: 'channel/unknown-method'
			});
		});

		it('times a call out on its own timeout, and later answers change nothing', async () => {
			const { host, frame } = open();
			frame.serve({ slow: () => new Promise((resolve) => setTimeout(() => resolve('late'), 80)) });
			await expect(host.request('slow', undefined, { timeoutMs: 10 })).rejects.toMatchObject({
				code: 'channel/timeout'
			});
			// The same method without a timeout still gets its answer.
			expect(await host.request('slow')).toBe('late');
		});

		it('rejects with the abort reason when the caller aborts', async () => {
			const { host, frame } = open();
			frame.serve({ never: () => new Promise(() => undefined) });
			const controller = new AbortController();
			const call = host.request('never', undefined, { signal: controller.signal });
			controller.abort(new Error('stopped'));
			await expect(call).rejects.toThrow('stopped');
		});

		it('fails every waiting call when closed, and refuses new ones', async () => {
			const { host, frame } = open();
			frame.serve({ never: () => new Promise(() => undefined) });
			const calls = [host.request('never'), host.request('never')];
			host.close('The element was removed.');
			for (const call of calls) {
				await expect(call).rejects.toMatchObject({
					code: 'channel/closed',
					message: 'The element was removed.'
				});
			}
			await expect(host.request('never')).rejects.toMatchObject({ code: 'channel/closed' });
		});

		if (name === 'a window pair') {
			it('hears nothing from another window or origin', async () => {
				const { host, frame } = open();
				let asked = 0;
				frame.serve({ status: () => ++asked });
				pair.stranger!({ protocol: PROTOCOL, type: 'request', id: 'x', method: 'status' });
				await new Promise((resolve) => setTimeout(resolve, 10));
				expect(asked).toBe(0);
				expect(await host.request('status')).toBe(1);
			});
		}
	});
}

describe('the channel message guard', () => {
	const base = { protocol: PROTOCOL, id: 'a-1' };
	it('takes requests and responses of this protocol', () => {
		expect(readChannelMessage({ ...base, type: 'request', method: 'status' })).toBeDefined();
		expect(readChannelMessage({ ...base, type: 'response', result: 1 })).toBeDefined();
		expect(
			readChannelMessage({
				...base,
				type: 'response',
				error: { code: 'store/quota', name: 'AssentError', message: 'full' }
			})
		).toBeDefined();
	});

	it('drops anything else', () => {
		for (const data of [
			null,
			'text',
			[],
			{ ...base, protocol: 'other/1', type: 'request', method: 'status' },
			{ ...base, id: 1, type: 'request', method: 'status' },
			{ ...base, type: 'request' },
			{ ...base, type: 'request', method: 7 },
			{ ...base, type: 'response', error: 'store/quota: full' },
			{ ...base, type: 'response', error: { message: 'no code' } },
			{ ...base, type: 'call', call: 'status' }
		]) {
			expect(readChannelMessage(data)).toBeUndefined();
		}
	});
});
