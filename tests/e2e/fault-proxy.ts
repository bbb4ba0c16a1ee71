/**
 * A fault-injecting front for the reference receiver, on 127.0.0.1: each POST takes the next
 * fault from a queue (none when it is empty) and the receiver sees what a real network would
 * let through. Preflights and GETs pass untouched.
 */
import { ServerResponse, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { Receiver } from '../../receiver/types.js';
import { listen, type RunningServer } from './server';

export const PROXY_FAULTS = [
	/** The receiver commits, then the connection closes before the answer. */
	'lost-after-commit',
	/** The connection is reset before the receiver sees the request. */
	'reset',
	'500',
	'502',
	'503',
	/** 429 with `Retry-After: 1`. */
	'429',
	/**
	 * No answer until the browser gives up (its adapter's timeout); the request then reaches the
	 * receiver late, and is stored, as a slow network may deliver it.
	 */
	'timeout',
	/** `200 text/html`, a captive portal's login page: nobody got the records. */
	'portal'
] as const;

export type ProxyFault = (typeof PROXY_FAULTS)[number];

export interface FaultProxy extends RunningServer {
	/** Faults for the next POSTs, first first. */
	faults: ProxyFault[];
	/** Every POST: the ids it carried and the fault it met. */
	posts: { ids: string[]; fault: ProxyFault | 'none' }[];
	/** POSTs held by a `timeout` fault whose browser has not given up yet. */
	readonly held: number;
}

export async function faultProxy(options: {
	receiver: Receiver;
	/** The origin allowed to read injected answers (the statements site, where the frame runs). */
	origin: () => string;
}): Promise<FaultProxy> {
	const { receiver } = options;
	let held = 0;
	const proxy = {
		faults: [] as ProxyFault[],
		posts: [] as FaultProxy['posts'],
		get held() {
			return held;
		}
	};

	async function handle(req: IncomingMessage, res: ServerResponse) {
		if (req.method !== 'POST') return receiver.handle(req, res);
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks);
		let ids: string[] = [];
		try {
			ids = (JSON.parse(body.toString()) as { records: { id: string }[] }).records.map((r) => r.id);
		} catch {
			// An unreadable body is the receiver's to refuse.
		}
		const fault = proxy.faults.shift() ?? 'none';
		proxy.posts.push({ ids, fault });
		const replay = () =>
			Object.assign(Readable.from([body]), {
				method: req.method,
				url: req.url,
				headers: req.headers,
				socket: req.socket
			}) as unknown as IncomingMessage;
		const injected = (status: number, type: string, text: string, headers = {}) => {
			res.writeHead(status, {
				'Content-Type': type,
				'Access-Control-Allow-Origin': options.origin(),
				'Access-Control-Expose-Headers': 'Retry-After',
				...headers
			});
			res.end(text);
		};
		switch (fault) {
			case 'reset':
				return req.socket.destroy();
			case '500':
			case '502':
			case '503':
				return injected(
					Number(fault),
					'application/json',
					'{"error":"fault","message":"injected by the test"}'
				);
			case '429':
				return injected(429, 'application/json', '{"error":"busy"}', { 'Retry-After': '1' });
			case 'portal':
				return injected(
					200,
					'text/html; charset=utf-8',
					'<!doctype html><title>Sign in to the network</title><form>Accept the terms of the hotel Wi-Fi</form>'
				);
			case 'lost-after-commit':
				res.end = (() => {
					req.socket.destroy();
					return res;
				}) as typeof res.end;
				return receiver.handle(replay(), res);
			case 'timeout': {
				held++;
				await new Promise<void>((gone) => res.once('close', () => gone()));
				held--;
				// Late, to an answer nobody reads.
				const late = replay();
				return receiver.handle(late, new ServerResponse(late));
			}
			default:
				return receiver.handle(replay(), res);
		}
	}

	const server = await listen((req, res) => void handle(req, res));
	return Object.assign(proxy, server);
}
