/**
 * `/widget/inline.js`: the consent UI for `embed="inline"`, rendered in the element's Shadow DOM
 * on the host page. Loaded on demand by `/widget/assent.js`, so pages using the iframe never
 * download it. Records stay in the host origin's storage and say `"embed": "inline"`: the host
 * page's own scripts share the page with them, which is why the iframe is the default.
 */
import { mount, unmount } from 'svelte';
import Consent from '../lib/components/consent/Consent.svelte';
import { fromWireError, toWireError } from '../lib/core/channel';
import { AssentError } from '../lib/core/errors';
import type {
	WidgetCall,
	WidgetEventName,
	WidgetMode,
	WidgetSettings
} from '../lib/core/widget-protocol';
import { startWidgetSession } from '../lib/widget/session';
import { attributeProblem, widgetLocale } from '../lib/widget/attributes';
import { shadowStyles } from './styles';
import { wordsShown } from '../lib/widget/visibility';
import type { WidgetAdapter } from '../lib/widget/sync';

/** The UI's styles, written in by the widget build (vite.widget.config.ts). */
declare const __ASSENT_INLINE_CSS__: string;

export interface InlineOptions {
	root: ShadowRoot;
	/** The statements site. */
	base: string;
	statementIds: string[];
	mode: WidgetMode;
	partner?: string;
	subject?: string;
	/** The locale asked for, from a loader older than `settings.locale`. */
	locale?: string;
	settings: WidgetSettings;
	hostAdapter?: WidgetAdapter;
	emit: (name: WidgetEventName, detail: unknown) => void;
}

export interface InlineWidget {
	call(call: WidgetCall): Promise<unknown>;
	stop(): void;
}

async function json<T>(url: URL): Promise<T> {
	let response: Response;
	try {
		response = await fetch(url, { credentials: 'omit' });
	} catch (error) {
		throw new AssentError(
			'widget/unreachable',
			`The statements site could not be reached at ${url.href} (${error instanceof Error ? error.message : String(error)}). Check the base attribute and the connection; nothing was recorded.`
		);
	}
	if (!response.ok) {
		throw new AssentError(
			'widget/unreachable',
			`The statements site answered ${response.status} for ${url.href}; nothing was recorded.`
		);
	}
	return (await response.json()) as T;
}

export async function mountInline(options: InlineOptions): Promise<InlineWidget> {
	const [{ partners, origins }, index] = await Promise.all([
		json<{
			origins?: string[];
			partners: { id: string; name: string; url: string; origins: string[] }[];
		}>(new URL('/partners.json', options.base)),
		json<{ site: { name: string; publisher?: { name: string } | null } }>(
			new URL('/statements/index.json', options.base)
		)
	]);
	const partner = options.partner ? partners.find((p) => p.id === options.partner) : undefined;
	if (options.partner && !partner) {
		throw new AssentError(
			'widget/unknown-partner',
			`Unknown partner "${options.partner}". The partner attribute must be an id from ${new URL('/partners.json', options.base).href}.`
		);
	}
	if (partner && !partner.origins.includes(location.origin)) {
		throw new AssentError(
			'widget/origin',
			`${location.origin} may not embed this widget for ${partner.name}. Add ${location.origin} to the origins of partner "${partner.id}" in partners.yaml and publish the statements site again.`
		);
	}
	if (
		!partner &&
		location.origin !== new URL(options.base).origin &&
		!(origins ?? []).includes(location.origin) &&
		!partners.some((p) => p.origins.includes(location.origin))
	) {
		throw new AssentError(
			'widget/origin',
			`${location.origin} may not embed this widget. Add ${location.origin} to "origins" in site.yaml (or to a partner's origins in partners.yaml) and publish the statements site again.`
		);
	}
	const subject = options.subject?.trim();
	if (!subject) {
		throw new AssentError(
			'widget/attribute',
			'embed="inline" needs a subject attribute: your opaque id of the customer.'
		);
	}
	const problem = attributeProblem({
		subject,
		...(options.partner !== undefined ? { partner: options.partner } : {}),
		statementIds: options.statementIds
	});
	if (problem) throw new AssentError('widget/attribute', problem);
	const locale = widgetLocale(options.settings.locale ?? options.locale);
	if (locale.problem) {
		options.emit('assent:error', { code: 'widget/attribute', message: locale.problem });
	}
	const session = await startWidgetSession({
		base: new URL(options.base).origin,
		statementIds: options.statementIds,
		mode: options.mode,
		...(partner ? { partner: { id: partner.id, name: partner.name, url: partner.url } } : {}),
		provider: index.site.publisher?.name ?? index.site.name,
		subject,
		locale: locale.locale,
		embed: 'inline',
		hostOrigin: location.origin,
		// On the partner page the widget cannot tell whether it is covered: at best "unknown", and
		// no answer while the page hides or blanks its words (`::part` styles).
		visible: async () => (wordsShown(options.root) ? 'unknown' : false),
		settings: options.settings,
		emit: options.emit,
		...(options.hostAdapter ? { hostAdapter: options.hostAdapter } : {})
	});
	if (typeof __ASSENT_INLINE_CSS__ === 'string') {
		options.root.append(...shadowStyles(options.root, __ASSENT_INLINE_CSS__));
	}
	const target = document.createElement('div');
	options.root.append(target);
	const component = mount(Consent, { target, props: { consent: session.consent } });
	return {
		// Errors as they would cross from a frame: each with a code.
		call: (call) =>
			session.call(call).catch((error: unknown) => {
				throw fromWireError(toWireError(error));
			}),
		stop: () => {
			void unmount(component);
			target.remove();
			session.stop();
		}
	};
}
