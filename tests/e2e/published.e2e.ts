/**
 * What the build publishes, read by the tools its readers use: every page by html-validate,
 * the Atom feed by a strict XML parser, the OpenAPI document by swagger-parser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { HtmlValidate } from 'html-validate';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { describe, expect, inject, it } from 'vitest';
import config from '../../.htmlvalidate.mjs';
import { syncOpenApiText } from '../../src/lib/schemas/sync-openapi';

const site = () => inject('siteDir');
const files = (ext: string) =>
	readdirSync(site(), { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith(ext))
		.sort();

describe('the built pages', () => {
	it('are all valid HTML by html-validate', async () => {
		const pages = files('.html');
		// The catalogue, the records page, every statement, version, history, diff and embed page.
		expect(pages.length).toBeGreaterThan(20);
		expect(pages).toContain('embed/partner-association/index.html');
		const validator = new HtmlValidate(config);
		const problems: string[] = [];
		for (const page of pages) {
			const report = await validator.validateString(readFileSync(join(site(), page), 'utf8'), page);
			for (const result of report.results) {
				for (const m of result.messages) {
					problems.push(`${page}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
				}
			}
		}
		expect(problems).toEqual([]);
	});
});

describe('the built Atom feed', () => {
	it('parses with a strict XML parser and gives every entry a distinct tag: id', () => {
		const xml = readFileSync(join(site(), 'statements/feed.xml'), 'utf8');
		const parser = new SaxesParser({ xmlns: true, fileName: 'statements/feed.xml' });
		const ids: string[] = [];
		let inId = false;
		parser.on('error', (error) => {
			throw error;
		});
		parser.on('opentag', (tag: SaxesTagNS) => {
			inId = tag.local === 'id' && tag.uri === 'http://www.w3.org/2005/Atom';
			if (inId) ids.push('');
		});
		parser.on('text', (text) => {
			if (inId) ids[ids.length - 1] += text;
		});
		parser.on('closetag', () => (inId = false));
		parser.write(xml).close();
		expect(ids.length).toBe(11);
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of ids) expect(id).toMatch(/^tag:[^\s,]+,\d{4}-\d{2}-\d{2}:\S+$/);
	});
});

describe('the built OpenAPI document', () => {
	it('is the bundled document, and swagger-parser validates it', async () => {
		const text = readFileSync(join(site(), 'schemas/sync-openapi.json'), 'utf8');
		expect(text).toBe(syncOpenApiText());
		await expect(SwaggerParser.validate(JSON.parse(text))).resolves.toBeDefined();
	});
});
