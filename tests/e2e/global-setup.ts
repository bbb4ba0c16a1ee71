import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { parseDocument } from 'yaml';
import { buildSite } from '../../scripts/build-site.js';
import { assertBrowser } from './browser';
import { freePort } from './server';

/** The day the test build is made for, so "in force" and "announced" do not drift with the calendar. */
export const TEST_NOW = '2026-11-24T12:00:00.000Z';

/** The partner whose origins gain the test partner origin. */
export const TEST_PARTNER = 'harbor-books';

declare module 'vitest' {
	export interface ProvidedContext {
		siteDir: string;
		testNow: string;
		/**
		 * The port partner pages are served on: `http://partner.test:<port>` is among the
		 * origins of `harbor-books` in the test build, `http://evil.test:<port>` is not.
		 */
		partnerPort: number;
	}
}

/**
 * The sample content with one more origin for the test partner. The origin check of the widget
 * reads `partners.yaml` at build time, so a partner page on a port chosen now can only embed the
 * association widget if the build says so, exactly as a real partner is added.
 */
function contentWithPartnerOrigin(options: {
	dir: string;
	origins: string[];
	siteOrigins: string[];
}): string {
	rmSync(options.dir, { recursive: true, force: true });
	cpSync(resolve('src/content'), options.dir, { recursive: true });
	const file = join(options.dir, 'partners.yaml');
	const partners = parseDocument(readFileSync(file, 'utf8'));
	const entries = partners.get('partners') as { items: { get: (k: string) => unknown }[] };
	const entry = entries.items.findIndex((p) => p.get('id') === TEST_PARTNER);
	if (entry < 0) throw new Error(`src/content/partners.yaml has no partner "${TEST_PARTNER}".`);
	for (const origin of options.origins) partners.addIn(['partners', entry, 'origins'], origin);
	writeFileSync(file, partners.toString());
	// A shop of the publisher's own, no partner's: it may embed accept mode (site.yaml origins).
	const siteFile = join(options.dir, 'site.yaml');
	const site = parseDocument(readFileSync(siteFile, 'utf8'));
	site.set('origins', options.siteOrigins);
	writeFileSync(siteFile, site.toString());
	return options.dir;
}

/** Builds the site from the sample content once for every browser test. */
export default async function setup(project: TestProject): Promise<void> {
	assertBrowser();
	// ASSENT_TEST_OUT lets two test runs on one machine build side by side.
	const out = resolve(process.env.ASSENT_TEST_OUT ?? '.assent-test/site');
	const partnerPort = await freePort();
	const content = contentWithPartnerOrigin({
		dir: join(`${out}-input`, 'content'),
		// Another site, and the statements site's own site (127.0.0.1) on another port: only
		// listed origins may frame the widget (server/headers.js).
		origins: [`http://partner.test:${partnerPort}`, `http://127.0.0.1:${partnerPort}`],
		siteOrigins: [`http://shop.test:${partnerPort}`]
	});
	buildSite({
		out,
		content,
		env: {
			ASSENT_NOW: TEST_NOW,
			...(process.env.ASSENT_TEST_OUT ? { ASSENT_KIT_DIR: `${out}-kit` } : {})
		},
		quiet: true
	});
	project.provide('siteDir', out);
	project.provide('testNow', TEST_NOW);
	project.provide('partnerPort', partnerPort);
}
