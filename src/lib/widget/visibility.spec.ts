/**
 * The colour rules behind the widget's refusal of unreadable themes: WCAG 2 contrast, alpha
 * painted over the background, and which pairs of theme colours must contrast.
 */
import { describe, expect, it } from 'vitest';
import { contrast, textContrast, themeProblem } from './visibility';

/** `#rrggbb` and `transparent` only: enough for the rules, without a browser to paint them. */
function resolve(value: string): [number, number, number, number] | undefined {
	if (value === 'transparent') return [0, 0, 0, 0];
	const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value)?.[1];
	if (!hex) return undefined;
	const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
	return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)).concat(1) as [
		number,
		number,
		number,
		number
	];
}

describe('contrast', () => {
	it('follows WCAG 2: black on white is 21:1, equal colours 1:1', () => {
		expect(contrast([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
		expect(contrast([119, 119, 119], [119, 119, 119])).toBe(1);
		// #767676 on white is the well-known lightest grey that passes 4.5:1.
		expect(contrast([118, 118, 118], [255, 255, 255])).toBeGreaterThan(4.5);
		expect(contrast([119, 119, 119], [255, 255, 255])).toBeLessThan(4.5);
	});

	it('counts transparent text as the background it shows', () => {
		expect(textContrast([0, 0, 0, 0], [255, 255, 255])).toBe(1);
		expect(textContrast([0, 0, 0, 0.2], [255, 255, 255])).toBeLessThan(4.5);
	});
});

describe('themeProblem', () => {
	it('accepts no theme and a readable one', () => {
		expect(themeProblem({ theme: undefined, dark: false, resolve })).toBeUndefined();
		expect(themeProblem({ theme: undefined, dark: true, resolve })).toBeUndefined();
		const brand = { '--assent-text': '#222', '--assent-background': '#fdf6e3' };
		expect(themeProblem({ theme: brand, dark: false, resolve })).toBeUndefined();
	});

	it('refuses transparent text, a background that is not opaque, and low contrast, naming them', () => {
		expect(
			themeProblem({ theme: { '--assent-text': 'transparent' }, dark: false, resolve })
		).toMatch(/^--assent-text: transparent on --assent-background: #fff has a contrast of 1\.00:1/);
		expect(
			themeProblem({ theme: { '--assent-background': 'transparent' }, dark: false, resolve })
		).toMatch(/^--assent-background: transparent is not opaque/);
		expect(themeProblem({ theme: { '--assent-accent': '#eee' }, dark: false, resolve })).toMatch(
			/^--assent-accent-text: #fff on --assent-accent: #eee/
		);
		// Dark text that reads on the light default is unreadable on the dark one.
		expect(themeProblem({ theme: { '--assent-text': '#111' }, dark: true, resolve })).toMatch(
			/^--assent-text: #111 on --assent-background: #0d1117/
		);
	});
});
