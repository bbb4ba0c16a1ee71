/**
 * Whether the customer can see what they answer. A partner page can hide the widget under a
 * decoy (opacity, an overlay), theme its words away, or, inline, hide its parts with `::part`:
 * an answer given then is not the customer's informed act, so it is refused. In the frame the
 * browser says whether the frame is visibly shown (IntersectionObserver v2); everywhere the
 * widget checks that its words are rendered and readable.
 */

/** How long an answer waits for the browser's first report on the frame's visibility. */
export const FIRST_REPORT_MS = 1000;

/** WCAG 2 AA contrast for normal text. */
export const MIN_CONTRAST = 4.5;

type Rgba = [number, number, number, number];
type Rgb = [number, number, number];

/** WCAG 2 relative luminance of an sRGB colour (0 to 255 channels). */
function luminance([r, g, b]: Rgb): number {
	const linear = (c: number) => {
		const s = c / 255;
		return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
	};
	return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2 contrast ratio of two opaque colours, 1 to 21. */
export function contrast(a: Rgb, b: Rgb): number {
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
	return (hi + 0.05) / (lo + 0.05);
}

/** `top` (with its alpha) painted over the opaque `under`. */
export function over(top: Rgba, under: Rgb): Rgb {
	const a = top[3];
	return [0, 1, 2].map((i) => top[i]! * a + under[i]! * (1 - a)) as Rgb;
}

/** The contrast of text in colour `text` over the opaque `background`, its alpha included. */
export function textContrast(text: Rgba, background: Rgb): number {
	return contrast(over(text, background), background);
}

let context: CanvasRenderingContext2D | null | undefined;

/**
 * A CSS colour as RGBA (channels 0 to 255, alpha 0 to 1), as the browser paints it: any syntax
 * it knows (`oklch()`, `color-mix()`, names). Undefined for what is no colour.
 */
export function resolveColor(value: string): Rgba | undefined {
	if (typeof document === 'undefined' || !CSS.supports('color', value)) return undefined;
	context ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
	if (!context) return undefined;
	context.clearRect(0, 0, 1, 1);
	context.fillStyle = value;
	context.fillRect(0, 0, 1, 1);
	const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data as unknown as number[];
	return [r!, g!, b!, a! / 255];
}

const WHITE: Rgb = [255, 255, 255];

/** The element's parent, or the host of the shadow root it is the top of. */
function parentOf(node: Element): Element | null {
	if (node.parentElement) return node.parentElement;
	const root = node.getRootNode();
	return root instanceof ShadowRoot ? root.host : null;
}

/** The colour behind `element`'s text: its and its ancestors' backgrounds, over white. */
function backgroundBehind(element: Element): Rgb {
	const layers: Rgba[] = [];
	for (let node: Element | null = element; node; node = parentOf(node)) {
		const colour = resolveColor(getComputedStyle(node).backgroundColor);
		if (!colour || colour[3] === 0) continue;
		layers.push(colour);
		if (colour[3] >= 1) break;
	}
	return layers.reduceRight<Rgb>((under, layer) => over(layer, under), WHITE);
}

/** Why `element`'s words cannot be read as shown, or undefined. */
function unreadable(element: Element): string | undefined {
	const rect = element.getBoundingClientRect();
	const visible =
		typeof element.checkVisibility !== 'function' ||
		element.checkVisibility({ opacityProperty: true, visibilityProperty: true });
	if (!visible || rect.width < 1 || rect.height < 1) return 'not rendered';
	const text = resolveColor(getComputedStyle(element).color);
	if (!text) return undefined;
	const ratio = textContrast(text, backgroundBehind(element));
	return ratio < MIN_CONTRAST ? `contrast ${ratio.toFixed(1)}:1` : undefined;
}

/**
 * Whether the widget's words (the statement text, the words next to the checkbox) are rendered
 * and readable inside `root`. Every one present must be.
 */
export function wordsShown(root: ParentNode): boolean {
	const words = root.querySelectorAll('[part~="text"], [part~="label"]');
	return [...words].every((element) => unreadable(element) === undefined);
}

/** What the browser last said about the frame, kept current by IntersectionObserver v2. */
export interface VisibilityWatch {
	/**
	 * `true`/`false` as the browser last reported it, `"unknown"` where it cannot tell; waits for
	 * the first report (at most `FIRST_REPORT_MS`), which a busy browser may deliver late.
	 */
	visible(): Promise<boolean | 'unknown'>;
	stop(): void;
}

/** Whether this browser has IntersectionObserver v2 (`trackVisibility`, `isVisible`). */
export function tracksVisibility(): boolean {
	return (
		typeof IntersectionObserver !== 'undefined' &&
		typeof IntersectionObserverEntry !== 'undefined' &&
		'isVisible' in IntersectionObserverEntry.prototype
	);
}

/**
 * Watches whether `target` is visibly shown to the customer: in view, not covered by anything
 * (an overlay of the partner page, even one that lets clicks through), not transparent, not
 * transformed or filtered. Until the browser first reports, it counts as not shown.
 */
export function watchVisibility(target: Element): VisibilityWatch {
	if (!tracksVisibility()) return { visible: async () => 'unknown', stop: () => {} };
	let shown = false;
	let reported: () => void = () => {};
	const first = new Promise<void>((resolve) => (reported = resolve));
	const observer = new IntersectionObserver(
		(entries) => {
			for (const entry of entries) {
				shown = (entry as IntersectionObserverEntry & { isVisible?: boolean }).isVisible === true;
			}
			reported();
		},
		// trackVisibility needs a delay of at least 100 ms.
		{ threshold: 0, trackVisibility: true, delay: 100 } as IntersectionObserverInit
	);
	observer.observe(target);
	return {
		visible: async () => {
			await Promise.race([first, new Promise((resolve) => setTimeout(resolve, FIRST_REPORT_MS))]);
			return shown;
		},
		stop: () => observer.disconnect()
	};
}

/** The theme colours the widget pairs, with the defaults of its light and dark schemes. */
const PAIRS = [
	['--assent-text', '--assent-background'],
	['--assent-muted', '--assent-background'],
	['--assent-accent-text', '--assent-accent']
] as const;
const DEFAULTS = {
	light: {
		'--assent-text': '#1f2328',
		'--assent-muted': '#57606a',
		'--assent-background': '#fff',
		'--assent-accent': '#1d4ed8',
		'--assent-accent-text': '#fff'
	},
	dark: {
		'--assent-text': '#e6edf3',
		'--assent-muted': '#9ea7b3',
		'--assent-background': '#0d1117',
		'--assent-accent': '#2f6feb',
		'--assent-accent-text': '#fff'
	}
} as const;

/**
 * Why the host's theme would make the widget's words unreadable, or undefined: text on a
 * background that is not opaque (the frame cannot see what lies behind it), or a text colour
 * with less than 4.5:1 contrast against its background.
 */
export function themeProblem(options: {
	theme: Record<string, string> | undefined;
	dark: boolean;
	/** @default resolveColor */
	resolve?: (value: string) => Rgba | undefined;
}): string | undefined {
	const resolve = options.resolve ?? resolveColor;
	const defaults = options.dark ? DEFAULTS.dark : DEFAULTS.light;
	const value = (name: keyof typeof defaults) => options.theme?.[name] || defaults[name];
	const fallback = (name: keyof typeof defaults) => resolve(defaults[name])!;
	for (const [fore, back] of PAIRS) {
		const background = resolve(value(back)) ?? fallback(back);
		if (background[3] < 1) {
			return `${back}: ${value(back)} is not opaque; the widget cannot tell what shows through it, so its words might not be readable. Give it an opaque colour. The widget is shown in its own colours.`;
		}
		const text = resolve(value(fore)) ?? fallback(fore);
		const ratio = textContrast(text, background.slice(0, 3) as Rgb);
		if (ratio < MIN_CONTRAST) {
			return `${fore}: ${value(fore)} on ${back}: ${value(back)} has a contrast of ${ratio.toFixed(2)}:1, below the ${MIN_CONTRAST}:1 readable text needs. Choose colours that contrast more. The widget is shown in its own colours.`;
		}
	}
	return undefined;
}
