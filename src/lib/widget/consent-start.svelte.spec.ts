/**
 * How the consent state starts: what it asks for at once, and the statements index the frame
 * requested before the widget's settings arrived.
 */
import { describe, expect, it, vi } from 'vitest';
import { ACCEPT_TERMS, termsSite } from './consent-fixtures';
import { ConsentState, type ConsentLog } from './consent.svelte';

const BASE = 'https://statements.example.com';
const HASH = `sha256:${'2'.repeat(64)}`;
const NOW = new Date('2026-11-24T12:00:00.000Z');
const { index: INDEX, terms: TERMS } = termsSite(HASH);

function setup(options: {
	index?: Promise<Response>;
	indexAnswer?: () => Promise<void>;
	documents?: { html: string; hash: string; url: string }[];
	requireScroll?: boolean;
}) {
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
		if (path === '/statements/terms/1.0/en.json') {
			events.push('statement asked');
			return Response.json(TERMS);
		}
		return new Response('Not found', { status: 404 });
	}) as unknown as typeof globalThis.fetch & ReturnType<typeof vi.fn>;
	const consent = new ConsentState({
		...ACCEPT_TERMS,
		log,
		emit: () => {},
		fetch,
		now: () => NOW,
		...(options.index ? { index: options.index } : {}),
		...(options.documents ? { documents: options.documents } : {}),
		...(options.requireScroll ? { requireScroll: true } : {})
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

	it('uses a statement document it holds when the index names its hash, and fetches others', async () => {
		const held = setup({ documents: [{ ...TERMS, html: '<p>Terms, prerendered.</p>' }] });
		await held.consent.load();
		expect(held.consent.statements[0]?.html).toBe('<p>Terms, prerendered.</p>');
		expect(held.consent.statements[0]?.url).toBe(`${BASE}/statements/terms/1.0/en/`);
		expect(held.events).not.toContain('statement asked');

		const stale = setup({ documents: [{ ...TERMS, hash: `sha256:${'3'.repeat(64)}` }] });
		await stale.consent.load();
		expect(stale.consent.statements[0]?.html).toBe('<p>Terms.</p>');
		expect(stale.events).toContain('statement asked');
	});
});

describe('a tick given on the prerendered statement', () => {
	async function ticked() {
		const built = setup({});
		await built.consent.load();
		const preview = ConsentState.preview({
			statements: built.consent.statements,
			locale: 'en',
			provider: 'Example Cloud Ltd.'
		});
		expect(preview.canTick).toBe(true);
		expect(preview.canConfirm).toBe(false);
		preview.checked = true;
		return preview;
	}

	it('is kept by the session when it shows the same words, and confirm can follow', async () => {
		const preview = await ticked();
		const { consent } = setup({});
		await consent.load();
		consent.keepTick(preview);
		expect(consent.checked).toBe(true);
		expect(consent.canConfirm).toBe(true);
	});

	it('is dropped when the session shows other words or asks for more', async () => {
		const preview = await ticked();
		const changed = setup({});
		await changed.consent.load();
		changed.consent.statements = changed.consent.statements.map((s) => ({
			...s,
			version: '1.1',
			hash: `sha256:${'4'.repeat(64)}`
		}));
		changed.consent.keepTick(preview);
		expect(changed.consent.checked).toBe(false);

		const scrolling = setup({ requireScroll: true });
		await scrolling.consent.load();
		scrolling.consent.keepTick(preview);
		expect(scrolling.consent.checked).toBe(false);
	});

	it('is dropped when the session could not start', async () => {
		const preview = await ticked();
		const failed = setup({ index: Promise.resolve(new Response('Busy', { status: 503 })) });
		await failed.consent.load();
		failed.consent.keepTick(preview);
		expect(failed.consent.checked).toBe(false);
	});

	it('is not kept when nothing was ticked', async () => {
		const preview = await ticked();
		preview.checked = false;
		const { consent } = setup({});
		await consent.load();
		consent.checked = true;
		consent.keepTick(preview);
		expect(consent.checked).toBe(false);
	});
});
