/**
 * What `<assent-consent>` reads from its attributes and styles: checked before anything loads,
 * with messages that name the attribute and the fix (they become `assent:error`).
 */
import {
	THEME_PROPERTIES,
	WIDGET_MODES,
	isSafeThemeValue,
	type WidgetSettings
} from '../lib/core/widget-protocol';

/** What the element was asked to show. */
export interface ElementRequest {
	statements: string[];
	mode: string;
	partner: string;
	subject: string;
	/** The statements site. */
	base: URL;
	inline: boolean;
}

/** The request the attributes make, or the message saying which attribute is wrong. */
export function readAttributes(options: {
	element: Element;
	/** Where assent.js was served from: the statements site unless `base` says otherwise. */
	scriptOrigin: string;
}): ElementRequest | string {
	const attr = (name: string) => options.element.getAttribute(name);
	const statements = (attr('statement') ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const mode = attr('mode') ?? 'accept';
	const partner = attr('partner') ?? '';
	const subject = attr('subject') ?? '';
	const embed = attr('embed');
	// Ids go into the frame's address: one too long for it is named here, not blamed on `base`.
	const id = /^[a-z0-9][a-z0-9-]{0,127}$/;
	if (!statements[0] || statements.some((s) => !id.test(s)))
		return 'The statement attribute must name one statement id, or several separated by commas, such as statement="partner-association".';
	if (partner ? !id.test(partner) : mode === 'associate')
		return 'The partner attribute must be a partner id from partners.yaml, such as partner="acme"; mode="associate" needs one.';
	if (!(WIDGET_MODES as readonly string[]).includes(mode) && mode !== 'api')
		return `The mode attribute must be "accept" or "associate"; got "${mode}".`;
	if (mode === 'associate' && !subject.trim())
		return 'mode="associate" needs a subject attribute: your opaque id of the signed-in customer.';
	if (!['iframe', 'inline', null].includes(embed))
		return 'The embed attribute must be "iframe" (the default) or "inline".';
	let base: URL | undefined;
	try {
		base = new URL(attr('base') ?? options.scriptOrigin);
	} catch {
		base = undefined;
	}
	if (!base || !/^https?:$/.test(base.protocol))
		return 'The base attribute must be the http(s) address of the statements site.';
	return { statements, mode, partner, subject, base, inline: embed === 'inline' };
}

/** What the element tells its frame (or the inline UI): subject, sync, options and theme. */
export function readSettings(options: { element: Element; hostAdapter: boolean }): WidgetSettings {
	const { element } = options;
	const computed = getComputedStyle(element);
	const theme: Record<string, string> = {};
	for (const name of THEME_PROPERTIES) {
		const value = computed.getPropertyValue(name).trim();
		if (value && isSafeThemeValue(value)) theme[name] = value;
	}
	const attr = (name: string) => element.getAttribute(name) ?? undefined;
	return {
		subject: attr('subject'),
		// The locale asked for: the attribute, then the page's `lang`, then the browser's language.
		locale: attr('locale') || document.documentElement.lang || navigator.language,
		subjectToken: attr('subject-token'),
		syncUrl: attr('sync-url') && new URL(attr('sync-url')!, location.href).href,
		requireScroll: element.hasAttribute('require-scroll'),
		allowDecline: element.hasAttribute('allow-decline'),
		hostAdapter: options.hostAdapter,
		theme
	};
}
