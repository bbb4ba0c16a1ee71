import { versionStatus } from '../../core/statement';
import { paths } from '../../core/paths';
import type { Content, Site } from './types';

/** The namespace of the feed's `assent:` elements. */
export const FEED_NAMESPACE = 'urn:assent:feed:1';

/**
 * The authority of the feed's `tag:` ids (RFC 4151) when the site has no `baseUrl` and its
 * publisher's contact is no e-mail address: `.invalid` is reserved (RFC 2606), so such ids
 * are valid URIs that cannot collide with anyone's real ones.
 */
export const FALLBACK_TAG_AUTHORITY = 'assent.invalid';

// RFC 4151: DNSname = DNScomp *( "." DNScomp ); DNScomp = alphaNum [*(alphaNum / "-") alphaNum]
const DNS_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
// RFC 4151: emailAddress = 1*(alphaNum / "-" / "." / "_") "@" DNSname
const EMAIL = /^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+)$/;

/**
 * Where the feed's `tag:` ids come from: the host of `baseUrl` (and its path, so two sites on
 * one host differ), else the publisher's e-mail address, else {@link FALLBACK_TAG_AUTHORITY}
 * with the site's name.
 */
export function tagScope(site: Site): { authority: string; prefix: string } {
	if (site.baseUrl) {
		const url = new URL(site.baseUrl);
		const host = url.hostname.toLowerCase();
		if (DNS_NAME.test(host)) {
			return { authority: host, prefix: url.pathname.replace(/\/+$/, '') };
		}
	}
	const contact = site.publisher?.contact?.trim() ?? '';
	const email = EMAIL.exec(contact);
	if (email && DNS_NAME.test(email[1]!.toLowerCase())) {
		return { authority: contact, prefix: '' };
	}
	return { authority: FALLBACK_TAG_AUTHORITY, prefix: `/${encodeURIComponent(site.name)}` };
}

/** `tag:<authority>,<day>:<path>`; `path` may hold only URI path characters. */
function tagUri(options: {
	scope: { authority: string; prefix: string };
	day: string;
	path: string;
}) {
	return `tag:${options.scope.authority},${options.day}:${options.scope.prefix}${options.path}`;
}

// XML 1.0 allows tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and paired surrogates only.
const NOT_XML_CHAR =
	// eslint-disable-next-line no-control-regex
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as XML character data or an attribute value: escaped, characters XML forbids replaced. */
function xmlText(text: string): string {
	return text
		.replace(NOT_XML_CHAR, '\uFFFD')
		.replace(
			/[<>&'"]/g,
			(c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!
		);
}

/** One element on one line; every attribute value and text escaped. */
function element(
	name: string,
	attributes: Record<string, string | undefined>,
	text?: string
): string {
	const attrs = Object.entries(attributes)
		.filter((entry): entry is [string, string] => entry[1] !== undefined)
		.map(([key, value]) => ` ${key}="${xmlText(value)}"`)
		.join('');
	return text === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${xmlText(text)}</${name}>`;
}

const instant = (day: string) => `${day}T00:00:00Z`;

/**
 * `/statements/feed.xml`: one Atom (RFC 4287) entry per version and locale, announced versions
 * included, so a partner's systems learn of a material change before it comes into force.
 *
 * Ids are `tag:` URIs (RFC 4151) that stay the same on every build and differ between sites:
 * an entry's is `tag:<host>,<issued>:<base path>/statements/<id>/<version>/<locale>`, the
 * feed's `tag:<host>,<first issued>:<base path>/statements`, where `<first issued>` is the
 * earliest `issued` of any version. See {@link tagScope} for a site without `baseUrl`.
 * An entry is updated on its `issued` day, and again on its `effective` day once that passed.
 */
export function atomFeed(options: { content: Content; now: Date }): string {
	const { content, now } = options;
	const base = content.site.baseUrl ?? '';
	const scope = tagScope(content.site);
	const today = now.toISOString().slice(0, 10);
	const entries: { updated: string; xml: string }[] = [];
	let firstIssued: string | undefined;
	for (const statement of content.statements) {
		for (const version of statement.versions) {
			if (firstIssued === undefined || version.issued < firstIssued) firstIssued = version.issued;
			const status = versionStatus({ versions: statement.versions, version: version.version, now });
			const announced = status === 'announced';
			const updated =
				!announced && version.effective > version.issued ? version.effective : version.issued;
			for (const l of Object.values(version.locales)) {
				const at = { id: statement.id, version: version.version, locale: l.locale };
				const summary = l.summary ?? (version.change === 'initial' ? 'First version.' : '');
				const text = `${version.change} change, ${announced ? 'announced, comes' : 'came'} into force on ${version.effective}. ${summary} Hash: ${l.hash}`;
				const id = tagUri({
					scope,
					day: version.issued,
					path: `/statements/${encodeURIComponent(statement.id)}/${encodeURIComponent(version.version)}/${encodeURIComponent(l.locale)}`
				});
				const title = `${l.title} ${version.version}${announced ? ` (announced, effective ${version.effective})` : ''}`;
				entries.push({
					updated,
					xml: [
						`  <entry xml:lang="${xmlText(l.locale)}">`,
						`    ${element('id', {}, id)}`,
						`    ${element('title', {}, title)}`,
						`    ${element('link', { rel: 'alternate', type: 'text/html', hreflang: l.locale, href: base + paths.version(at) })}`,
						`    ${element('link', { rel: 'alternate', type: 'application/json', hreflang: l.locale, href: base + paths.versionJson(at) })}`,
						`    ${element('published', {}, instant(version.issued))}`,
						`    ${element('updated', {}, instant(updated))}`,
						`    ${element('category', { term: version.change, label: `${version.change} change` })}`,
						`    ${element('category', { term: status })}`,
						`    ${element('summary', {}, text)}`,
						`    ${element('assent:statement', {}, statement.id)}`,
						`    ${element('assent:version', {}, version.version)}`,
						`    ${element('assent:change', {}, version.change)}`,
						`    ${element('assent:effective', {}, version.effective)}`,
						`    ${element('assent:status', {}, status)}`,
						`    ${element('assent:hash', {}, l.hash)}`,
						'  </entry>'
					].join('\n')
				});
			}
		}
	}
	entries.sort((a, b) => (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0));
	const publisher = content.site.publisher?.name ?? content.site.name;
	// A site that published nothing yet has no stable day of its own; its feed id takes today's.
	const feedId = tagUri({ scope, day: firstIssued ?? today, path: '/statements' });
	return [
		'<?xml version="1.0" encoding="utf-8"?>',
		`<feed xmlns="http://www.w3.org/2005/Atom" xmlns:assent="${FEED_NAMESPACE}" xml:lang="${xmlText(content.site.locales[0] ?? 'en')}">`,
		`  ${element('id', {}, feedId)}`,
		`  ${element('title', {}, `${content.site.name}: statement versions`)}`,
		`  ${element('subtitle', {}, 'Every published and announced version, with its change kind, effective date and hash.')}`,
		`  ${element('updated', {}, instant(entries[0]?.updated ?? today))}`,
		`  <author>${element('name', {}, publisher)}</author>`,
		`  ${element('link', { rel: 'self', type: 'application/atom+xml', href: base + paths.feed() })}`,
		`  ${element('link', { rel: 'alternate', type: 'text/html', href: base + paths.home() })}`,
		...entries.map((e) => e.xml),
		'</feed>',
		''
	].join('\n');
}
