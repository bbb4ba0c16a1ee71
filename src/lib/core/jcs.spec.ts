import { describe, expect, it } from 'vitest';
import { canonicalJson } from './jcs';
import { AssentError } from './errors';

/** The IEEE 754 double with the given bit pattern, as in RFC 8785 appendix B. */
function double(hex: string): number {
	const view = new DataView(new ArrayBuffer(8));
	view.setBigUint64(0, BigInt(`0x${hex}`));
	return view.getFloat64(0);
}

describe('canonicalJson (RFC 8785)', () => {
	it('writes the example of section 3.2.2', () => {
		const input = JSON.parse(
			'{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
				'"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
				'"literals":[null,true,false]}'
		) as unknown;
		expect(canonicalJson(input)).toBe(
			'{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
				'"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
		);
	});

	it('sorts keys by UTF-16 code units (section 3.2.3)', () => {
		const input = {
			'\u20ac': 'Euro Sign',
			'\r': 'Carriage Return',
			'\ufb33': 'Hebrew Letter Dalet With Dagesh',
			'1': 'One',
			'\ud83d\ude00': 'Emoji: Grinning Face',
			'\u0080': 'Control',
			'\u00f6': 'Latin Small Letter O With Diaeresis'
		};
		// Read the order from the text: JSON.parse would put the integer-like key "1" first.
		const order = [...canonicalJson(input).matchAll(/:"([^"]+)"/g)].map((m) => m[1]);
		expect(order).toEqual([
			'Carriage Return',
			'One',
			'Control',
			'Latin Small Letter O With Diaeresis',
			'Euro Sign',
			'Emoji: Grinning Face',
			'Hebrew Letter Dalet With Dagesh'
		]);
	});

	it('sorts nested objects and keeps array order', () => {
		expect(canonicalJson({ b: [3, 1, { z: 1, a: 2 }], a: { d: null, c: true } })).toBe(
			'{"a":{"c":true,"d":null},"b":[3,1,{"a":2,"z":1}]}'
		);
	});

	it.each([
		['0000000000000000', '0'],
		['8000000000000000', '0'],
		['0000000000000001', '5e-324'],
		['8000000000000001', '-5e-324'],
		['7fefffffffffffff', '1.7976931348623157e+308'],
		['ffefffffffffffff', '-1.7976931348623157e+308'],
		['4340000000000000', '9007199254740992'],
		['c340000000000000', '-9007199254740992'],
		['4430000000000000', '295147905179352830000'],
		['44b52d02c7e14af5', '9.999999999999997e+22'],
		['44b52d02c7e14af6', '1e+23'],
		['44b52d02c7e14af7', '1.0000000000000001e+23'],
		['444b1ae4d6e2ef4e', '999999999999999700000'],
		['444b1ae4d6e2ef4f', '999999999999999900000'],
		['444b1ae4d6e2ef50', '1e+21'],
		['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
		['3eb0c6f7a0b5ed8d', '0.000001'],
		['41b3de4355555553', '333333333.3333332'],
		['41b3de4355555554', '333333333.33333325'],
		['41b3de4355555555', '333333333.3333333'],
		['41b3de4355555556', '333333333.3333334'],
		['41b3de4355555557', '333333333.33333343'],
		['becbf647612f3696', '-0.0000033333333333333333'],
		['43143ff3c1cb0959', '1424953923781206.2']
	])('writes the double %s as %s (appendix B)', (hex, expected) => {
		expect(canonicalJson(double(hex))).toBe(expected);
	});

	it('writes -0 as 0 and 1e21 in exponent form', () => {
		expect(canonicalJson([-0, 1e21, 1e20])).toBe('[0,1e+21,100000000000000000000]');
	});

	it('escapes only what JSON requires, in lowercase hex', () => {
		expect(canonicalJson('\u0000\u001f\u007f\u2028é😀"\\/')).toBe(
			'"\\u0000\\u001f\u007f\u2028é😀\\"\\\\/"'
		);
		expect(canonicalJson('\b\f\n\r\t')).toBe('"\\b\\f\\n\\r\\t"');
	});

	it.each([
		['undefined at the top', undefined, /\$ is undefined/],
		['an undefined property', { a: { b: undefined } }, /\$\.a\.b is undefined/],
		// eslint-disable-next-line no-sparse-arrays -- the hole is the point of the test
		['a hole in an array', [1, , 3], /\$\[1\] is undefined/],
		['NaN', { n: NaN }, /\$\.n is NaN/],
		['Infinity', [Infinity], /\$\[0\] is Infinity/],
		['a bigint', { n: 1n }, /a bigint/],
		['a function', { f: () => 1 }, /a function/],
		['a symbol', [Symbol('s')], /a symbol/],
		['a Date', { at: new Date(0) }, /a Date; convert it/],
		['a Map', new Map(), /a Map/],
		['an object with toJSON', { toJSON: () => 'x' }, /\$\.toJSON is a function/],
		['an unpaired surrogate', { s: 'a\ud800b' }, /unpaired UTF-16 surrogate/],
		['an unpaired surrogate in a key', { ['\udc00']: 1 }, /key with an unpaired/]
	])('refuses %s', (_, value, message) => {
		expect(() => canonicalJson(value)).toThrow(message);
		try {
			canonicalJson(value);
		} catch (error) {
			expect(error).toBeInstanceOf(AssentError);
			expect((error as AssentError).code).toBe('record/not-canonical');
		}
	});

	it('refuses a cycle instead of overflowing the stack', () => {
		const a: Record<string, unknown> = {};
		a.self = a;
		expect(() => canonicalJson(a)).toThrow(/cycle/);
	});

	it('accepts the same object twice when it is not a cycle', () => {
		const shared = { x: 1 };
		expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
	});

	it('accepts objects without a prototype', () => {
		const bare = Object.assign(Object.create(null) as object, { b: 1, a: 2 });
		expect(canonicalJson(bare)).toBe('{"a":2,"b":1}');
	});
});
