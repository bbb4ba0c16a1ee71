import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

/** The partner the demo page (`static/demo/index.html`) embeds the association widget for. */
export const DEMO_PARTNER = 'harbor-books';

/**
 * The content `npm start` builds from: a copy of the content folder in which the demo partner
 * also lists the local origins the demo is served from, so the demo works on whatever ports
 * `PORT` and `ASSENT_DEMO_PORT` name. Only loopback origins are added, only to the demo partner,
 * and only in this copy: `npm run build` (what is deployed) uses `partners.yaml` as written.
 * @param {{ content: string, dir: string, origins: string[], partner?: string }} options
 *   `content`: the content folder; `dir`: where the copy goes (replaced); `origins`: the demo's
 *   origins; `partner`: @default DEMO_PARTNER
 * @returns {{ dir: string, partner: string | undefined }} the copy, and the partner widened
 *   (undefined when the content has no such partner)
 */
export function demoContent(options) {
	const partner = options.partner ?? DEMO_PARTNER;
	for (const origin of options.origins) {
		const url = new URL(origin);
		if (
			url.origin !== origin ||
			url.protocol !== 'http:' ||
			!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
		) {
			throw new Error(
				`The demo origin ${origin} is not a local http origin (http://127.0.0.1:<port> or http://localhost:<port>); the demo only ever adds those to partner "${partner}".`
			);
		}
	}
	rmSync(options.dir, { recursive: true, force: true });
	cpSync(options.content, options.dir, { recursive: true });
	const file = join(options.dir, 'partners.yaml');
	if (!existsSync(file)) return { dir: options.dir, partner: undefined };
	const partners = parseDocument(readFileSync(file, 'utf8'));
	const entries = /** @type {{ items?: { get: (key: string) => unknown }[] } | undefined} */ (
		partners.get('partners')
	);
	const index = entries?.items?.findIndex((p) => p.get('id') === partner) ?? -1;
	if (index < 0) return { dir: options.dir, partner: undefined };
	const listed = /** @type {{ toJSON?: () => unknown } | undefined} */ (
		partners.getIn(['partners', index, 'origins'])
	);
	const present = new Set(/** @type {string[]} */ (listed?.toJSON?.() ?? []));
	for (const origin of options.origins) {
		if (!present.has(origin)) partners.addIn(['partners', index, 'origins'], origin);
	}
	writeFileSync(file, partners.toString());
	return { dir: options.dir, partner };
}
