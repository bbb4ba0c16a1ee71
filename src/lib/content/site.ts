import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { AssentError } from '../core/errors';
import type { Partner, Site } from './types';

const PARTNER_ID = /^[a-z0-9][a-z0-9-]*$/;

function readYaml(options: {
	dir: string;
	name: string;
	code: 'content/site' | 'content/partners';
}): unknown {
	const path = join(options.dir, options.name);
	if (!existsSync(path)) return undefined;
	const document = parseDocument(readFileSync(path, 'utf8'), { uniqueKeys: true });
	if (document.errors.length > 0) {
		const first = document.errors[0]!;
		const line = first.linePos?.[0]?.line;
		throw new AssentError(
			options.code,
			`${options.name}${line ? `:${line}` : ''}: not valid YAML (${first.message.split('\n')[0]}).`,
			{ file: options.name }
		);
	}
	return document.toJS();
}

/** A BCP 47 tag in its canonical spelling, or undefined when it is not one. */
export function canonicalLocale(tag: string): string | undefined {
	try {
		const [canonical] = Intl.getCanonicalLocales(tag);
		return canonical;
	} catch {
		return undefined;
	}
}

export function readSite(options: { dir: string; discoveredLocales: string[] }): Site {
	const file = 'site.yaml';
	const data = readYaml({ dir: options.dir, name: file, code: 'content/site' }) ?? {};
	const fail = (field: string, expected: string): never => {
		throw new AssentError('content/site', `${file}: field "${field}": ${expected}`, {
			file,
			field
		});
	};
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		return fail(
			'(top level)',
			'expected "field: value" lines (name, publisher, locales, baseUrl).'
		);
	}
	const raw = data as Record<string, unknown>;
	const site: Site = { name: 'Assent', locales: [] };
	if (raw.name !== undefined) {
		const names = perLocale({ value: raw.name, field: 'name', what: 'the site name', fail });
		site.name = names.text;
		if (names.byLocale) site.names = names.byLocale;
	}
	if (raw.publisher !== undefined) {
		const publisher = raw.publisher;
		if (typeof publisher === 'string' && publisher.trim()) {
			site.publisher = { name: publisher.trim() };
		} else if (publisher && typeof publisher === 'object' && !Array.isArray(publisher)) {
			const p = publisher as Record<string, unknown>;
			const names = perLocale({
				value: p.name,
				field: 'publisher.name',
				what: 'the publisher name',
				fail
			});
			if (p.contact !== undefined && typeof p.contact !== 'string')
				fail('publisher.contact', 'expected an e-mail address or URL as text.');
			site.publisher = {
				name: names.text,
				...(names.byLocale ? { names: names.byLocale } : {}),
				...(p.contact ? { contact: String(p.contact) } : {})
			};
		} else {
			fail('publisher', 'expected "name" and optionally "contact" beneath it.');
		}
	}
	if (raw.locales !== undefined) {
		if (!Array.isArray(raw.locales) || raw.locales.length === 0) {
			fail('locales', 'expected a list of BCP 47 tags, the default first, e.g. [en, zh-CN].');
		}
		for (const tag of raw.locales as unknown[]) {
			const canonical = typeof tag === 'string' ? canonicalLocale(tag) : undefined;
			if (!canonical)
				fail('locales', `"${String(tag)}" is not a BCP 47 language tag (e.g. en, zh-CN).`);
			if (canonical !== tag) fail('locales', `write "${String(tag)}" as "${canonical}".`);
			if (site.locales.includes(canonical!)) fail('locales', `"${canonical}" is listed twice.`);
			site.locales.push(canonical!);
		}
	} else {
		const found = [...new Set(options.discoveredLocales)].sort();
		site.locales = found.includes('en') ? ['en', ...found.filter((l) => l !== 'en')] : found;
		if (site.locales.length === 0) site.locales = ['en'];
	}
	for (const [field, names] of [
		['name', site.names],
		['publisher.name', site.publisher?.names]
	] as const) {
		for (const locale of Object.keys(names ?? {})) {
			if (!site.locales.includes(locale))
				fail(field, `"${locale}" is not one of the site's locales (${site.locales.join(', ')}).`);
		}
		// The default locale's name is the name wherever no locale is in view (feed, titles).
		if (names?.[site.locales[0]!]) {
			if (field === 'name') site.name = names[site.locales[0]!]!;
			else site.publisher!.name = names[site.locales[0]!]!;
		}
	}
	const baseUrl = process.env.ASSENT_BASE_URL ?? raw.baseUrl ?? raw.base_url;
	if (baseUrl !== undefined && baseUrl !== '') {
		let url: URL | undefined;
		try {
			url = new URL(String(baseUrl));
		} catch {
			url = undefined;
		}
		if (!url || !/^https?:$/.test(url.protocol)) {
			fail(
				'baseUrl',
				`"${String(baseUrl)}" is not an absolute http(s) URL, e.g. https://statements.example.com.`
			);
		}
		site.baseUrl = String(baseUrl).replace(/\/+$/, '');
	}
	return site;
}

/** A name as text, or per locale (`name: { en: Example Cloud, zh-CN: 示例云 }`). */
function perLocale(options: {
	value: unknown;
	field: string;
	what: string;
	fail: (field: string, expected: string) => never;
}): { text: string; byLocale?: Record<string, string> } {
	const { value, field, fail } = options;
	if (typeof value === 'string' && value.trim()) return { text: value.trim() };
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		const byLocale: Record<string, string> = {};
		for (const [locale, text] of Object.entries(value as Record<string, unknown>)) {
			if (typeof text !== 'string' || !text.trim())
				fail(`${field}.${locale}`, `expected ${options.what} in ${locale} as text.`);
			byLocale[locale] = String(text).trim();
		}
		const first = Object.values(byLocale)[0];
		if (first) return { text: first, byLocale };
	}
	return fail(
		field,
		`expected ${options.what} as text, or one per locale (${field.split('.').pop()}: { en: …, zh-CN: … }).`
	);
}

export function readPartners(options: { dir: string }): Partner[] {
	const file = 'partners.yaml';
	const data = readYaml({ dir: options.dir, name: file, code: 'content/partners' });
	if (data === undefined || data === null) return [];
	const list = Array.isArray(data) ? data : (data as Record<string, unknown>).partners;
	if (!Array.isArray(list)) {
		throw new AssentError(
			'content/partners',
			`${file}: expected a list of partners under "partners:", each with id, name, url and origins.`,
			{ file, field: 'partners' }
		);
	}
	const partners: Partner[] = [];
	list.forEach((entry: unknown, index) => {
		const at = `partners[${index}]`;
		const fail = (field: string, expected: string): never => {
			throw new AssentError('content/partners', `${file}: ${at}.${field}: ${expected}`, {
				file,
				field: `${at}.${field}`
			});
		};
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
			return fail('(entry)', 'expected id, name, url and origins.');
		}
		const p = entry as Record<string, unknown>;
		if (typeof p.id !== 'string' || !PARTNER_ID.test(p.id)) {
			fail('id', 'expected lowercase letters, digits and hyphens, e.g. harbor-books.');
		}
		if (partners.some((other) => other.id === p.id))
			fail('id', `"${String(p.id)}" is listed twice.`);
		if (typeof p.name !== 'string' || !p.name.trim())
			fail('name', 'expected the partner name customers know.');
		if (typeof p.url !== 'string' || !isHttpUrl(p.url))
			fail('url', 'expected an absolute http(s) URL.');
		if (!Array.isArray(p.origins))
			fail('origins', 'expected a list of web origins, e.g. [https://shop.example].');
		const origins = (p.origins as unknown[]).map((origin) => {
			if (
				typeof origin !== 'string' ||
				!isHttpUrl(origin) ||
				new URL(origin).origin !== origin.replace(/\/$/, '')
			) {
				return fail(
					'origins',
					`"${String(origin)}" is not a web origin: write scheme, host and port only, e.g. https://shop.example.`
				);
			}
			return new URL(origin).origin;
		});
		partners.push({ id: String(p.id), name: String(p.name).trim(), url: String(p.url), origins });
	});
	return partners;
}

function isHttpUrl(value: string): boolean {
	try {
		return /^https?:$/.test(new URL(value).protocol);
	} catch {
		return false;
	}
}
