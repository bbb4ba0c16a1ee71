/**
 * Styles for a shadow root that a page's Content-Security-Policy cannot block: `style-src`
 * without 'unsafe-inline' blocks `<style>` elements made by scripts, but not a constructed sheet
 * adopted by the root. Browsers without adopted sheets get a `<style>` element to insert.
 */
const sheets = new Map<string, CSSStyleSheet>();

/** Adopts `css` into `root` (once) and returns nothing, or returns the `<style>` to insert. */
export function shadowStyles(root: ShadowRoot, css: string): HTMLStyleElement[] {
	if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
		let sheet = sheets.get(css);
		if (!sheet) {
			sheet = new CSSStyleSheet();
			sheet.replaceSync(css);
			sheets.set(css, sheet);
		}
		if (!root.adoptedStyleSheets.includes(sheet)) {
			root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
		}
		return [];
	}
	const element = document.createElement('style');
	element.textContent = css;
	return [element];
}
