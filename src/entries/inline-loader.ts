/**
 * Loads `/widget/inline.js` from the statements site for `embed="inline"` and mounts the consent
 * UI in the element's shadow root; pages using the iframe never download it.
 */
import type { WidgetCall, WidgetEventName, WidgetSettings } from '../lib/core/widget-protocol';
import type { AssentAdapter } from './types';

/** The inline UI, once mounted. */
export interface Inline {
	call(call: WidgetCall): Promise<unknown>;
	stop(): void;
}

export async function loadInline(options: {
	root: ShadowRoot;
	base: URL;
	statements: string[];
	mode: string;
	partner: string;
	subject: string;
	/** Carries the locale asked for, as it does for the frame. */
	settings: WidgetSettings;
	hostAdapter: AssentAdapter | undefined;
	emit: (name: WidgetEventName, detail: unknown) => void;
}): Promise<Inline> {
	const module = (await import(
		/* @vite-ignore */ new URL('/widget/inline.js', options.base).href
	)) as { mountInline: (o: unknown) => Promise<Inline> };
	return module.mountInline({
		...options,
		base: options.base.href,
		statementIds: options.statements,
		partner: options.partner || undefined
	});
}
