/**
 * How the consent state starts: what it asks for at once, and the statements index the frame
 * requested before the widget's settings arrived.
 */
import { describe, expect, it, vi } from 'vitest';
import { ConsentState, type ConsentLog } from './consent.svelte';

const BASE = 'https://statements.example.com';
const HASH = `sha256:${'2'.repeat(64)}`;
const NOW = new Date('2026-11-24T12:00:00.000Z');
const INDEX = {
	statements: [
		{
			id: 'terms',
			title: 'Terms',
			defaultLocale: 'en',
			locales: ['en'],
			versions: [
				{
					version: '1.0',
					issued: '2025-01-15',
					effective: '2025-01-15',
					change: 'initial',
					locales: {
						en: { title: 'Terms', summary: null, hash: HASH, json: '/statements/terms/1.0/en.json' }
					}
				}
			]
		}
	]
};
const TERMS = { html: '<p>Terms.</p>', hash: HASH, url: '/statements/terms/1.0/en/' };

function setup(options: { index?: Promise<Response>; indexAnswer?: () => Promise<void> }) {
	const events: string[] = [];
	const log: ConsentLog = {
		recordsOf: async () => {
			events.push('records read');
			return [];
		},
		append: async () => {
			throw new Error('nothing is recorded in these tests');
		}
	};
	const fetch = vi.fn(async (input: string | URL | Request) => {
		const path = new URL(String(input)).pathname;
		if (path === '/statements/index.json') {
			events.push('index asked');
			await options.indexAnswer?.();
			events.push('index answered');
			return Response.json(INDEX);
		}
		if (path === '/statements/terms/1.0/en.json') return Response.json(TERMS);
		return new Response('Not found', { status: 404 });
	}) as unknown as typeof globalThis.fetch & ReturnType<typeof vi.fn>;
	const consent = new ConsentState({
		base: BASE,
		statementIds: ['terms'],
		mode: 'accept',
		provider: 'Example Cloud Ltd.',
		subject: 'customer-1',
		locale: 'en',
		embed: 'iframe',
		hostOrigin: 'https://shop.example',
		log,
		emit: () => {},
		widget: 'assent/0.0.0',
		fetch,
		now: () => NOW,
		...(options.index ? { index: options.index } : {})
	});
	return { consent, events, fetch };
}

describe('the consent state starting', () => {
	it("reads this browser's records while the statements index is still on its way", async () => {
		let answer = () => {};
		const held = new Promise<void>((resolve) => (answer = resolve));
		const { consent, events } = setup({ indexAnswer: () => held });
		const loading = consent.load();
		await vi
			.waitFor(() => expect(events).toContain('records read'), { timeout: 1000 })
			.finally(answer);
		await loading;
		expect(consent.phase).toBe('ready');
		expect(events.indexOf('records read')).toBeLessThan(events.indexOf('index answered'));
	});

	it('uses the index requested before it, and asks again only when that failed', async () => {
		const early = setup({ index: Promise.resolve(Response.json(INDEX)) });
		await early.consent.load();
		expect(early.consent.phase).toBe('ready');
		expect(early.consent.statements[0]?.version).toBe('1.0');
		expect(early.events).not.toContain('index asked');

		const failed = setup({ index: Promise.resolve(new Response('Busy', { status: 503 })) });
		await failed.consent.load();
		expect(failed.consent.error?.code).toBe('widget/unreachable');
		expect(failed.consent.error?.message).toContain('answered 503');
		// Retry: the request made before the load is not reused.
		await failed.consent.load();
		expect(failed.consent.phase).toBe('ready');
		expect(failed.events).toContain('index asked');
	});
});
