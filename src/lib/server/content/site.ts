import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { AssentError } from '../../core/errors';
import { readSubjectKeys } from './keys';
import { forbiddenCharacter, forbiddenCharacterAdvice } from './text';
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

/** Throws every problem collected, or returns normally when there is none. */
function throwAll(problems: AssentError[], what: string): void {
	if (problems.length === 0) return;
	if (problems.length === 1) throw problems[0]!;
	throw new AssentError('content/invalid', `${problems.length} problems in ${what}`, { problems });
}

/** A problem when `value` holds a character XML cannot carry (the feed is XML). */
function xmlText(value: string): string | undefined {
	const bad = forbiddenCharacter(value);
	return bad ? forbiddenCharacterAdvice(bad.codePoint) : undefined;
}

/**
 * Hosts served over plain http that never leave the machine or a test network: `localhost`,
 * loopback addresses, and the names RFC 6761 reserves (`*.localhost`, `*.test`).
 */
function localHost(hostname: string): boolean {
	return (
		hostname === 'localhost' ||
		hostname === '127.0.0.1' ||
		hostname === '[::1]' ||
		hostname.endsWith('.localhost') ||
		hostname.endsWith('.test')
	);
}

/**
 * Why `value` cannot be a web address readers or partner pages are sent to, or undefined: it
 * must be an absolute `https:` URL (`http:` only for localhost and 127.0.0.1), spelled with its
 * scheme, without spaces, user name or password. `javascript:`, `data:` and other schemes are refused.
 */
export function webUrlProblem(value: string, example: string): string | undefined {
	if (/\s/.test(value))
		return `"${value}" contains a space; write the address without spaces, e.g. ${example}.`;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return `"${value}" is not an absolute https URL; write e.g. ${example}.`;
	}
	if (!/^https?:\/\//i.test(value) || !/^https?:$/.test(url.protocol)) {
		return `"${value}" is not an https URL (${url.protocol} addresses are refused); write e.g. ${example}.`;
	}
	if (url.protocol === 'http:' && !localHost(url.hostname)) {
		return `"${value}" uses http:, which only localhost and 127.0.0.1 may; write https://${url.host}${url.pathname === '/' ? '' : url.pathname}.`;
	}
	if (url.username || url.password) {
		return `"${value}" contains a user name or password; write only the address, e.g. ${example}.`;
	}
	return undefined;
}

/**
 * Why `value` cannot be the site's address, or undefined. It must be an absolute https URL
 * (see `webUrlProblem`) with nothing a reader or a feed reader would have to guess about: no query or fragment.
 */
export function baseUrlProblem(value: string): string | undefined {
	const example = 'https://statements.example.com';
	const problem = webUrlProblem(value, example);
	if (problem) return problem;
	if (value.includes('?') || value.includes('#')) {
		return `"${value}" has a query or fragment; write only the address the site is served at, e.g. ${example}.`;
	}
	return undefined;
}

const EMAIL = /^[^\s@:/]+@[^\s@:/]+\.[^\s@:/]+$/;

/**
 * Why `value` cannot be the publisher's contact, or undefined: an e-mail address (bare or as a
 * `mailto:` URL) or a web address as `webUrlProblem` allows.
 */
export function contactProblem(value: string): string | undefined {
	const advice =
		'write e.g. legal@example.com, mailto:legal@example.com or https://example.com/contact.';
	if (/^mailto:/i.test(value)) {
		return EMAIL.test(value.slice('mailto:'.length).split('?')[0]!)
			? undefined
			: `"${value}" is not a mailto: link with one e-mail address; ${advice}`;
	}
	if (EMAIL.test(value)) return undefined;
	if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
		return webUrlProblem(value, 'https://example.com/contact')
			? `"${value}" is neither an e-mail address nor an https URL (${value.split(':')[0]!.toLowerCase()}: addresses are refused); ${advice}`
			: undefined;
	}
	return `"${value}" is neither an e-mail address nor an absolute https URL; ${advice}`;
}

export function readSite(options: { dir: string; discoveredLocales: string[] }): Site {
	const file = 'site.yaml';
	const data = readYaml({ dir: options.dir, name: file, code: 'content/site' }) ?? {};
	const problems: AssentError[] = [];
	const fail = (field: string, expected: string): void => {
		problems.push(
			new AssentError('content/site', `${file}: field "${field}": ${expected}`, { file, field })
		);
	};
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		throw new AssentError(
			'content/site',
			`${file}: field "(top level)": expected "field: value" lines (name, publisher, locales, baseUrl).`,
			{ file, field: '(top level)' }
		);
	}
	const raw = data as Record<string, unknown>;
	const site: Site = { name: 'Assent', locales: [] };
	if (raw.name !== undefined) {
		const names = perLocale({ value: raw.name, field: 'name', what: 'the site name', fail });
		if (names) {
			site.name = names.text;
			if (names.byLocale) site.names = names.byLocale;
		}
	}
	if (raw.publisher !== undefined) {
		const publisher = raw.publisher;
		if (typeof publisher === 'string' && publisher.trim()) {
			const bad = xmlText(publisher);
			if (bad) fail('publisher', bad);
			site.publisher = { name: publisher.trim() };
		} else if (publisher && typeof publisher === 'object' && !Array.isArray(publisher)) {
			const p = publisher as Record<string, unknown>;
			const names = perLocale({
				value: p.name,
				field: 'publisher.name',
				what: 'the publisher name',
				fail
			});
			if (p.contact !== undefined && typeof p.contact !== 'string') {
				fail('publisher.contact', 'expected an e-mail address or URL as text.');
			} else if (typeof p.contact === 'string') {
				const bad = xmlText(p.contact);
				if (bad) fail('publisher.contact', bad);
				// Every page links to it: an address that is neither would lead nowhere, or somewhere worse.
				else {
					const problem = contactProblem(p.contact);
					if (problem) fail('publisher.contact', problem);
				}
			}
			site.publisher = {
				name: names?.text ?? '',
				...(names?.byLocale ? { names: names.byLocale } : {}),
				// A mailto: link is kept as its address: the pages and the feed write the link themselves.
				...(p.contact ? { contact: String(p.contact).replace(/^mailto:/i, '') } : {})
			};
		} else {
			fail('publisher', 'expected "name" and optionally "contact" beneath it.');
		}
	}
	if (raw.locales !== undefined) {
		if (!Array.isArray(raw.locales) || raw.locales.length === 0) {
			fail('locales', 'expected a list of BCP 47 tags, the default first, e.g. [en, zh-CN].');
		} else {
			for (const tag of raw.locales as unknown[]) {
				const canonical = typeof tag === 'string' ? canonicalLocale(tag) : undefined;
				if (!canonical) {
					fail('locales', `"${String(tag)}" is not a BCP 47 language tag (e.g. en, zh-CN).`);
				} else if (canonical !== tag) {
					fail('locales', `write "${String(tag)}" as "${canonical}".`);
				} else if (site.locales.includes(canonical)) {
					fail('locales', `"${canonical}" is listed twice.`);
				} else {
					site.locales.push(canonical);
				}
			}
		}
	}
	if (raw.locales === undefined || site.locales.length === 0) {
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
	const fromEnv = process.env.ASSENT_BASE_URL;
	const baseUrl = fromEnv ?? raw.baseUrl ?? raw.base_url;
	if (baseUrl !== undefined && baseUrl !== '') {
		const problem = baseUrlProblem(String(baseUrl));
		if (problem) {
			if (fromEnv !== undefined) {
				problems.push(
					new AssentError('content/site', `ASSENT_BASE_URL: ${problem}`, {
						field: 'ASSENT_BASE_URL'
					})
				);
			} else {
				fail(raw.baseUrl !== undefined ? 'baseUrl' : 'base_url', problem);
			}
		} else {
			site.baseUrl = String(baseUrl).replace(/\/+$/, '');
		}
	}
	if (raw.origins !== undefined) {
		const origins = webOrigins({
			value: raw.origins,
			example: 'https://shop.example',
			fail: (expected) => fail('origins', expected)
		});
		if (origins) site.origins = origins;
	}
	if (raw.operator !== undefined) {
		const operator = raw.operator as Record<string, unknown> | null;
		if (!operator || typeof operator !== 'object' || operator.keys === undefined) {
			fail(
				'operator',
				'expected "keys:" beneath it: the public keys of the operator\'s subject tokens.'
			);
		} else {
			const keys = subjectKeys({ value: operator.keys, field: 'operator.keys', fail });
			if (keys) site.operator = { keys };
		}
	}
	throwAll(problems, file);
	return site;
}

/** A name as text, or per locale (`name: { en: Example Cloud, zh-CN: 示例云 }`). */
function perLocale(options: {
	value: unknown;
	field: string;
	what: string;
	fail: (field: string, expected: string) => void;
}): { text: string; byLocale?: Record<string, string> } | undefined {
	const { value, field, fail } = options;
	if (typeof value === 'string' && value.trim()) {
		const bad = xmlText(value);
		if (bad) fail(field, bad);
		return { text: value.trim() };
	}
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		const byLocale: Record<string, string> = {};
		for (const [locale, text] of Object.entries(value as Record<string, unknown>)) {
			if (typeof text !== 'string' || !text.trim()) {
				fail(`${field}.${locale}`, `expected ${options.what} in ${locale} as text.`);
				continue;
			}
			const bad = xmlText(text);
			if (bad) fail(`${field}.${locale}`, bad);
			byLocale[locale] = text.trim();
		}
		const first = Object.values(byLocale)[0];
		if (first) return { text: first, byLocale };
		// Each empty entry was reported already.
		if (Object.keys(value).length > 0) return undefined;
	}
	fail(
		field,
		`expected ${options.what} as text, or one per locale (${field.split('.').pop()}: { en: …, zh-CN: … }).`
	);
	return undefined;
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
	const problems: AssentError[] = [];
	list.forEach((entry: unknown, index) => {
		const at = `partners[${index}]`;
		let valid = true;
		const fail = (field: string, expected: string): void => {
			valid = false;
			problems.push(
				new AssentError('content/partners', `${file}: ${at}.${field}: ${expected}`, {
					file,
					field: `${at}.${field}`
				})
			);
		};
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
			fail('(entry)', 'expected id, name, url and origins.');
			return;
		}
		const p = entry as Record<string, unknown>;
		if (typeof p.id !== 'string' || !PARTNER_ID.test(p.id)) {
			fail('id', 'expected lowercase letters, digits and hyphens, e.g. harbor-books.');
		} else if (partners.some((other) => other.id === p.id)) {
			fail('id', `"${p.id}" is listed twice.`);
		}
		if (p.id === 'operator')
			fail('id', '"operator" is the issuer name of the operator\'s own tokens; choose another id.');
		if (typeof p.name !== 'string' || !p.name.trim()) {
			fail('name', 'expected the partner name customers know.');
		} else {
			const bad = xmlText(p.name);
			if (bad) fail('name', bad);
		}
		if (typeof p.url !== 'string') {
			fail('url', "expected the address of the partner's site, e.g. https://harbor-books.example.");
		} else {
			const problem = webUrlProblem(p.url, 'https://harbor-books.example');
			if (problem) fail('url', problem);
		}
		const origins =
			webOrigins({
				value: p.origins,
				example: 'https://shop.example',
				fail: (expected) => fail('origins', expected)
			}) ?? [];
		const keys =
			p.keys === undefined ? undefined : subjectKeys({ value: p.keys, field: 'keys', fail });
		if (valid) {
			partners.push({
				id: String(p.id),
				name: String(p.name).trim(),
				url: String(p.url),
				origins,
				...(keys ? { keys } : {})
			});
		}
	});
	throwAll(problems, file);
	return partners;
}

/**
 * A list of web origins (scheme, host and port, as `webUrlProblem` allows), or undefined after
 * reporting through `fail` that it is no list; each bad entry is reported and left out.
 */
function webOrigins(options: {
	value: unknown;
	example: string;
	fail: (expected: string) => void;
}): string[] | undefined {
	if (!Array.isArray(options.value)) {
		options.fail(`expected a list of web origins, e.g. [${options.example}].`);
		return undefined;
	}
	const origins: string[] = [];
	for (const origin of options.value as unknown[]) {
		const problem = typeof origin === 'string' ? webUrlProblem(origin, options.example) : undefined;
		if (problem) {
			options.fail(problem);
		} else if (typeof origin !== 'string' || new URL(origin).origin !== origin.replace(/\/$/, '')) {
			options.fail(
				`"${String(origin)}" is not a web origin: write scheme, host and port only, e.g. ${options.example}.`
			);
		} else if (!origins.includes(new URL(origin).origin)) {
			origins.push(new URL(origin).origin);
		}
	}
	return origins;
}

class KeyProblem extends Error {
	constructor(
		readonly field: string,
		readonly expected: string
	) {
		super(expected);
	}
}

/**
 * The keys of one `keys:` list, or undefined after reporting its first problem through `fail`
 * (the key checks stop at the first problem of a list: a key that is not what it seems is not
 * worth checking further).
 */
function subjectKeys(options: {
	value: unknown;
	field: string;
	fail: (field: string, expected: string) => void;
}): ReturnType<typeof readSubjectKeys> | undefined {
	try {
		return readSubjectKeys({
			value: options.value,
			field: options.field,
			fail: (field, expected) => {
				throw new KeyProblem(field, expected);
			}
		});
	} catch (error) {
		if (!(error instanceof KeyProblem)) throw error;
		options.fail(error.field, error.expected);
		return undefined;
	}
}
