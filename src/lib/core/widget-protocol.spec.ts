import { describe, expect, it } from 'vitest';
import {
	PROTOCOL,
	isSafeThemeValue,
	readAdapterAnswer,
	readFrameMessage,
	readHostMessage
} from './widget-protocol';
import { readStoreRequest } from './relay-protocol';

describe('readHostMessage', () => {
	it('accepts the element settings the frame knows', () => {
		const message = {
			protocol: PROTOCOL,
			type: 'init',
			settings: { subject: 'c-1', syncUrl: 'https://api.example/a', requireScroll: true }
		};
		expect(readHostMessage(message)).toEqual(message);
	});

	it.each([
		['another protocol', { protocol: 'other', type: 'init', settings: {} }],
		['a string', 'assent/1 init'],
		['an unknown type', { protocol: PROTOCOL, type: 'confirm' }],
		[
			'a click pretending to come from the host',
			{ protocol: PROTOCOL, type: 'click', target: 'confirm' }
		],
		['settings of the wrong type', { protocol: PROTOCOL, type: 'init', settings: { subject: 42 } }],
		['a call outside the channel', { protocol: PROTOCOL, type: 'call', id: '1', call: 'status' }],
		['an answer outside the channel', { protocol: PROTOCOL, type: 'pushed', id: '1', result: {} }],
		['a stored answer outside the channel', { protocol: PROTOCOL, type: 'stored', id: '1' }],
		[
			'a theme with a url',
			{
				protocol: PROTOCOL,
				type: 'init',
				settings: { theme: { '--assent-accent': 'url(https://tracker.example/x)' } }
			}
		],
		[
			'a theme property that is not ours',
			{ protocol: PROTOCOL, type: 'init', settings: { theme: { color: 'red' } } }
		]
	])('drops %s', (_, message) => {
		expect(readHostMessage(message)).toBeUndefined();
	});
});

describe('readFrameMessage', () => {
	it('accepts events of the SPEC and sizes', () => {
		expect(readFrameMessage({ protocol: PROTOCOL, type: 'resize', height: 320 })).toBeDefined();
		expect(
			readFrameMessage({ protocol: PROTOCOL, type: 'event', name: 'assent:accept', detail: {} })
		).toBeDefined();
	});

	it('drops unknown events and impossible sizes', () => {
		expect(
			readFrameMessage({ protocol: PROTOCOL, type: 'event', name: 'click', detail: {} })
		).toBeUndefined();
		expect(readFrameMessage({ protocol: PROTOCOL, type: 'resize', height: -1 })).toBeUndefined();
		expect(readFrameMessage({ protocol: PROTOCOL, type: 'resize', height: NaN })).toBeUndefined();
	});

	it('carries the frame asking the page to hold or let go of the sync lock, and the grant', () => {
		for (const hold of [true, false]) {
			const message = { protocol: PROTOCOL, type: 'lock', hold };
			expect(readFrameMessage(message)).toEqual(message);
		}
		expect(readFrameMessage({ protocol: PROTOCOL, type: 'lock', hold: 'yes' })).toBeUndefined();
		expect(readFrameMessage({ protocol: PROTOCOL, type: 'lock' })).toBeUndefined();
		expect(readHostMessage({ protocol: PROTOCOL, type: 'locked' })).toEqual({
			protocol: PROTOCOL,
			type: 'locked'
		});
	});
});

describe('the relay requests the host page serves', () => {
	it('takes a store request naming one of the operations, with arguments', () => {
		const request = { op: 'append', args: { record: {}, entry: {}, expected: null } };
		expect(readStoreRequest(request)).toEqual(request);
		expect(readStoreRequest({ op: 'head', args: {} })).toBeDefined();
	});

	it.each([
		['an unknown operation', { op: 'clear', args: {} }],
		['a prototype key', { op: 'constructor', args: {} }],
		['no arguments', { op: 'head' }],
		['arguments that are not an object', { op: 'records', args: ['a'] }],
		['a string', 'head']
	])('refuses a store request with %s', (_, params) => {
		expect(readStoreRequest(params)).toBeUndefined();
	});

	it('takes an adapter answer only with accepted and rejected arrays', () => {
		expect(readAdapterAnswer({ accepted: ['a'], rejected: [] })).toEqual({
			accepted: ['a'],
			rejected: []
		});
		for (const result of [undefined, null, { accepted: ['a'] }, { accepted: 'a', rejected: [] }]) {
			expect(readAdapterAnswer(result)).toBeUndefined();
		}
	});
});

describe('isSafeThemeValue', () => {
	it('allows colours, lengths and font lists', () => {
		for (const value of [
			'#1f3a4d',
			'rgb(0 0 0 / 50%)',
			'0.25rem',
			'Georgia, "Times New Roman", serif'
		]) {
			expect(isSafeThemeValue(value)).toBe(true);
		}
	});
	it('refuses values that fetch, break out of the declaration or run code', () => {
		for (const value of [
			'url(x)',
			'URL (x)',
			'red; background: url(x)',
			'expression(alert(1))',
			'}body{',
			'@import "x"'
		]) {
			expect(isSafeThemeValue(value)).toBe(false);
		}
	});
});
