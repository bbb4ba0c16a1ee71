/**
 * The consent widget in jsdom, on an in-memory record log: one scenario harness (`setup`) for
 * every mode, which is why the file is long.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import Consent from './Consent.svelte';
import { AssentError } from '$lib/core/errors';
import type { StatementDiff } from '$lib/core/diff';
import type { AcceptanceRecord, Act } from '$lib/core/record';
import { matchesFilter, type RecordFilter } from '$lib/store/record-store';
import { ACCEPT_TERMS } from '$lib/widget/consent-fixtures';
import { ConsentState, type ConsentLog, type ConsentOptions } from '$lib/widget/consent.svelte';

const BASE = 'https://statements.example.com';
const HASH_1 = `sha256:${'1'.repeat(64)}`;
const HASH_2 = `sha256:${'2'.repeat(64)}`;
const TITLE = 'Terms of Sale';
const LABEL = `I have read and agreed to the ${TITLE}`;

const version = (options: {
	version: string;
	effective: string;
	change: 'initial' | 'minor' | 'material';
	hash: string;
	summary: string | null;
}) => ({
	version: options.version,
	issued: options.effective,
	effective: options.effective,
	change: options.change,
	locales: {
		en: {
			title: TITLE,
			summary: options.summary,
			hash: options.hash,
			json: `/statements/terms/${options.version}/en.json`
		}
	}
});

/** The statements site: `terms` 1.0, then a material 2.0 in force from 2026-06-01. */
const index = {
	statements: [
		{
			id: 'terms',
			title: TITLE,
			defaultLocale: 'en',
			locales: ['en'],
			versions: [
				version({
					version: '1.0',
					effective: '2025-01-15',
					change: 'initial',
					hash: HASH_1,
					summary: null
				}),
				version({
					version: '2.0',
					effective: '2026-06-01',
					change: 'material',
					hash: HASH_2,
					summary: 'Now also covers returns.'
				})
			]
		}
	]
};

const diff: StatementDiff = {
	schema: 'assent.diff/2',
	id: 'terms',
	locale: 'en',
	from: { version: '1.0', hash: HASH_1, title: TITLE },
	to: {
		version: '2.0',
		hash: HASH_2,
		title: TITLE,
		change: 'material',
		summary: 'Now also covers returns.'
	},
	added: 1,
	removed: 0,
	blocks: [
		{
			kind: 'paragraph',
			change: 'added',
			parts: [{ type: 'added', text: 'Returns.', html: 'Returns.' }]
		}
	]
};

const documents: Record<string, unknown> = {
	'/statements/index.json': index,
	'/statements/terms/1.0/en.json': {
		html: '<p>Version one text.</p>',
		hash: HASH_1,
		url: '/statements/terms/1.0/en/'
	},
	'/statements/terms/2.0/en.json': {
		html: '<p>Version two text.</p>',
		hash: HASH_2,
		url: '/statements/terms/2.0/en/'
	},
	'/statements/terms/diff/1.0/2.0/en.json': diff
};

/** A statements site that answers from `documents`, or never when `hang` is set. */
function site(options: { hang?: boolean } = {}): typeof fetch {
	return (async (input: string | URL | Request) => {
		if (options.hang) return new Promise<Response>(() => {});
		const body = documents[new URL(String(input)).pathname];
		return body === undefined
			? new Response('Not found', { status: 404 })
			: new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
	}) as typeof fetch;
}

/**
 * The record log, in memory. `hold()` makes the next append wait until `release()` (or fail with
 * `fail(error)`), the way a slow or full browser store answers.
 */
class MemoryLog implements ConsentLog {
	records: AcceptanceRecord[] = [];
	#held?: { release: () => void; fail: (error: unknown) => void };
	#holding = false;
	readonly #now: () => Date;

	constructor(options: { now: () => Date; records?: AcceptanceRecord[] }) {
		this.#now = options.now;
		this.records = [...(options.records ?? [])];
	}

	/** How many times every record of the browser was read. */
	fullReads = 0;

	async all(): Promise<AcceptanceRecord[]> {
		this.fullReads++;
		return [...this.records];
	}

	async recordsOf(filter: RecordFilter): Promise<AcceptanceRecord[]> {
		return this.records.filter((record) => matchesFilter(record, filter));
	}

	hold(): void {
		this.#holding = true;
	}

	release(): void {
		this.#held?.release();
	}

	fail(error: unknown): void {
		this.#held?.fail(error);
	}

	async append(options: { act: Act }): Promise<AcceptanceRecord> {
		if (this.#holding) {
			this.#holding = false;
			await new Promise<void>((release, fail) => (this.#held = { release, fail }));
		}
		const record = storedRecord({
			act: options.act,
			seq: this.records.length + 1,
			at: this.#now()
		});
		this.records.push(record);
		return record;
	}
}

function storedRecord(options: { act: Act; seq: number; at: Date }): AcceptanceRecord {
	return {
		schema: 'assent.record/1',
		id: `0190a000-0000-7000-8000-${String(options.seq).padStart(12, '0')}`,
		at: options.at.toISOString(),
		seq: options.seq,
		prev: null,
		digest: `sha256:${String(options.seq).padStart(64, '0')}`,
		...options.act
	} as AcceptanceRecord;
}

function act(options: {
	action: Act['action'];
	version: string;
	partner?: string;
	subject?: string;
}): Act {
	return {
		action: options.action,
		subject: options.subject ?? 'customer-1',
		partner: options.partner ?? null,
		statement: {
			id: 'terms',
			version: options.version,
			locale: 'en',
			hash: options.version === '1.0' ? HASH_1 : HASH_2,
			url: `${BASE}/statements/terms/${options.version}/en/`
		},
		presentation: { embed: 'iframe', origin: 'https://shop.example', label: LABEL },
		client: { userAgent: 'test', widget: 'assent/0.0.0' }
	} as Act;
}

/**
 * jsdom marks every event a test dispatches as untrusted, which the widget rightly ignores; this
 * state stands in for a browser where the customer's own click reaches it.
 */
class CustomerConsent extends ConsentState {
	static trusted(event: Event): Event {
		return new Proxy(event, {
			get: (target, key) => (key === 'isTrusted' ? true : Reflect.get(target, key))
		});
	}
	override confirm(event: Event) {
		return super.confirm(CustomerConsent.trusted(event));
	}
	override decline(event: Event) {
		return super.decline(CustomerConsent.trusted(event));
	}
	override disassociate(event: Event) {
		return super.disassociate(CustomerConsent.trusted(event));
	}
}

const NOW = new Date('2026-11-24T12:00:00.000Z');

function setup(
	options: Partial<ConsentOptions> & {
		records?: AcceptanceRecord[];
		hang?: boolean;
		/** Use the widget's own state, which trusts no event jsdom can make. */
		untrusted?: boolean;
	} = {}
) {
	const now = () => NOW;
	const { records, hang, untrusted, ...rest } = options;
	const log = new MemoryLog({ now, records });
	const emit = vi.fn<(name: string, detail: unknown) => void>();
	const State = untrusted ? ConsentState : CustomerConsent;
	const consent = new State({
		...ACCEPT_TERMS,
		log,
		emit,
		fetch: site({ hang }),
		now,
		...rest
	});
	render(Consent, { consent });
	const loaded = consent.load();
	const emitted = (name: string) => emit.mock.calls.filter(([n]) => n === name).map(([, d]) => d);
	return { consent, log, emit, emitted, loaded };
}

const confirmButton = () => screen.getByRole('button', { name: 'Confirm' });

describe('Consent', () => {
	afterEach(() => cleanup());

	it('says it is loading until the statements site answers', async () => {
		setup({ hang: true });
		expect(await screen.findByText('Loading the statement…')).toBeInTheDocument();
		expect(document.querySelector('[part=widget]')).toHaveAttribute('aria-busy', 'true');
		expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
	});

	it('explains an unknown statement and records nothing', async () => {
		const { emitted, loaded, log } = setup({ statementIds: ['no-such-statement'] });
		await loaded;
		const alert = await screen.findByRole('alert');
		expect(alert).toHaveTextContent('This consent form cannot be shown');
		expect(alert).toHaveTextContent('The statements site has no statement "no-such-statement"');
		expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
		expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
		expect(emitted('assent:error')).toEqual([
			{ code: 'widget/unknown-statement', message: expect.stringContaining('no-such-statement') }
		]);
		expect(log.records).toEqual([]);
	});

	it('tells a Chinese reader what went wrong in Chinese, the developers’ English behind a disclosure', async () => {
		const { emitted, loaded } = setup({ statementIds: ['no-such-statement'], locale: 'zh-CN' });
		await loaded;
		const alert = await screen.findByRole('alert');
		expect(alert).toHaveTextContent('无法显示此同意表单');
		expect(alert).toHaveTextContent('此页面请求的声明尚未发布。');
		const details = alert.querySelector('details');
		expect(details).not.toBeNull();
		expect(details!.open).toBe(false);
		expect(details!.querySelector('[lang="en"]')).toHaveTextContent(
			'The statements site has no statement "no-such-statement"'
		);
		// The event still carries the developer's message.
		expect(emitted('assent:error')).toEqual([
			{ code: 'widget/unknown-statement', message: expect.stringContaining('no-such-statement') }
		]);
	});

	it('shows the version in force and enables confirm only once the box is ticked', async () => {
		const { loaded } = setup();
		await loaded;
		expect(await screen.findByRole('heading', { name: TITLE })).toBeInTheDocument();
		expect(screen.getByText(/Version 2\.0, in force since June 1, 2026/)).toBeInTheDocument();
		expect(screen.getByText('Version two text.')).toBeInTheDocument();
		expect(screen.getByRole('link', { name: 'Read the full statement' })).toHaveAttribute(
			'href',
			`${BASE}/statements/terms/2.0/en/`
		);
		const box = screen.getByRole('checkbox', { name: LABEL });
		expect(box).not.toBeChecked();
		expect(confirmButton()).toBeDisabled();
		await fireEvent.click(box);
		expect(box).toBeChecked();
		expect(confirmButton()).toBeEnabled();
		await fireEvent.click(box);
		expect(confirmButton()).toBeDisabled();
	});

	it('records nothing for a click the browser does not mark as the customer’s', async () => {
		const { loaded, log, emit } = setup({ untrusted: true });
		await loaded;
		await fireEvent.click(await screen.findByRole('checkbox'));
		await fireEvent.click(confirmButton());
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(log.records).toEqual([]);
		expect(emit).not.toHaveBeenCalledWith('assent:accept', expect.anything());
		expect(screen.queryByText('Saved in this browser.')).not.toBeInTheDocument();
	});

	it('records nothing while the widget is not shown, says so, and records what it saw once it is', async () => {
		let visible: boolean | 'unknown' = false;
		const { loaded, log, emitted } = setup({ visible: async () => visible });
		await loaded;
		await fireEvent.click(await screen.findByRole('checkbox'));
		await fireEvent.click(confirmButton());
		expect(await screen.findByRole('alert')).toHaveTextContent(
			'This form is covered or hidden on the page, so your answer was not recorded.'
		);
		expect(emitted('assent:error')).toEqual([
			{ code: 'widget/hidden', message: expect.stringContaining('covered or hidden') }
		]);
		expect(emitted('assent:accept')).toEqual([]);
		expect(log.records).toEqual([]);

		visible = true;
		await fireEvent.click(confirmButton());
		await screen.findByText('Saved in this browser.');
		expect(log.records.map((r) => r.presentation.visible)).toEqual([true]);
		expect(screen.queryByText(/covered or hidden/)).not.toBeInTheDocument();
	});

	describe('when the statement must be read to its end', () => {
		const metrics = ['scrollHeight', 'clientHeight'] as const;
		beforeEach(() => {
			// jsdom lays nothing out: the statement's region gets the size of a long text.
			for (const name of metrics) {
				Object.defineProperty(HTMLElement.prototype, name, {
					configurable: true,
					get(this: HTMLElement) {
						if (!this.classList.contains('text')) return 0;
						return name === 'scrollHeight' ? 1000 : 200;
					}
				});
			}
		});
		afterEach(() => {
			for (const name of metrics)
				delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name];
		});

		it('keeps the box disabled until the customer scrolled to the end', async () => {
			const { loaded, log } = setup({ requireScroll: true });
			await loaded;
			const box = await screen.findByRole('checkbox', { name: LABEL });
			expect(box).toBeDisabled();
			expect(
				screen.getByText('Scroll to the end of the statement to continue.')
			).toBeInTheDocument();
			expect(box).toHaveAccessibleDescription('Scroll to the end of the statement to continue.');
			const region = screen.getByRole('region', { name: TITLE });
			region.scrollTop = 400;
			await fireEvent.scroll(region);
			expect(box).toBeDisabled();
			region.scrollTop = 800;
			await fireEvent.scroll(region);
			expect(box).toBeEnabled();
			expect(
				screen.queryByText('Scroll to the end of the statement to continue.')
			).not.toBeInTheDocument();
			await fireEvent.click(box);
			await fireEvent.click(confirmButton());
			await screen.findByText('Saved in this browser.');
			expect(log.records[0]!.presentation).toMatchObject({ label: LABEL, scrolledToEnd: true });
		});
	});

	it('reads only the subject’s own records, however many others the browser holds', async () => {
		const others = Array.from({ length: 300 }, (_, i) =>
			storedRecord({
				act: act({ action: 'accept', version: '2.0', subject: `other-${i}` }),
				seq: i + 1,
				at: NOW
			})
		);
		const { loaded, log, consent } = setup({ records: others });
		await loaded;
		await fireEvent.click(await screen.findByRole('checkbox'));
		await fireEvent.click(confirmButton());
		expect(
			await screen.findByText('You agreed to version 2.0 on November 24, 2026.')
		).toBeInTheDocument();
		const standing = await consent.standing();
		expect(standing.statements).toEqual([
			expect.objectContaining({ id: 'terms', accepted: '2.0', needed: false })
		]);
		expect(log.fullReads).toBe(0);
	});

	it('says "Saved" only once the store has the record', async () => {
		const { loaded, log, emitted } = setup();
		await loaded;
		log.hold();
		await fireEvent.click(await screen.findByRole('checkbox'));
		await fireEvent.click(confirmButton());
		const saving = await screen.findByRole('button', { name: 'Saving…' });
		expect(saving).toBeDisabled();
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(screen.queryByText('Saved in this browser.')).not.toBeInTheDocument();
		expect(emitted('assent:accept')).toEqual([]);

		log.release();
		expect(await screen.findByText('Saved in this browser.')).toBeInTheDocument();
		expect(emitted('assent:accept')).toEqual([{ record: log.records[0] }]);
		expect(log.records[0]).toMatchObject({
			action: 'accept',
			subject: 'customer-1',
			statement: { id: 'terms', version: '2.0', hash: HASH_2 },
			presentation: { embed: 'iframe', origin: 'https://shop.example', label: LABEL }
		});
		// Answered: no more form, and where the customer stands.
		expect(
			await screen.findByText('You agreed to version 2.0 on November 24, 2026.')
		).toBeInTheDocument();
		expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
	});

	it('reports a store failure and never says "Saved"', async () => {
		const { loaded, log, emitted } = setup();
		await loaded;
		log.hold();
		await fireEvent.click(await screen.findByRole('checkbox'));
		await fireEvent.click(confirmButton());
		await screen.findByRole('button', { name: 'Saving…' });
		log.fail(
			new AssentError(
				'store/quota',
				'The browser has no space left for records. Free some space and try again.'
			)
		);
		const alert = await screen.findByRole('alert');
		expect(alert).toHaveTextContent('The browser has no space left for records.');
		expect(screen.queryByText('Saved in this browser.')).not.toBeInTheDocument();
		expect(emitted('assent:accept')).toEqual([]);
		expect(emitted('assent:error')).toEqual([
			{ code: 'store/quota', message: expect.stringContaining('no space left') }
		]);
		expect(log.records).toEqual([]);
		// The customer can try again: the form is still there.
		expect(screen.getByRole('checkbox')).toBeInTheDocument();
		expect(confirmButton()).toBeEnabled();
	});

	it('asks again after a material change and shows what changed', async () => {
		const accepted = storedRecord({
			act: act({ action: 'accept', version: '1.0' }),
			seq: 1,
			at: new Date('2025-03-01T10:00:00.000Z')
		});
		const { loaded } = setup({ records: [accepted] });
		await loaded;
		expect(
			await screen.findByRole('heading', { name: `The ${TITLE} has changed` })
		).toBeInTheDocument();
		expect(
			screen.getByText(
				'You agreed to version 1.0. Version 2.0 is now in force with a material change:'
			)
		).toBeInTheDocument();
		expect(screen.getByRole('listitem')).toHaveTextContent('2.0: Now also covers returns.');
		expect(screen.getByText('Show what changed')).toBeInTheDocument();
		const changes = document.querySelector('[part=changes]')!;
		expect([...changes.querySelectorAll('ins')].map((e) => e.textContent)).toContain(
			'[added: Returns.]'
		);
		expect(screen.getByRole('checkbox', { name: LABEL })).not.toBeChecked();

		await fireEvent.click(screen.getByRole('checkbox'));
		await fireEvent.click(confirmButton());
		await screen.findByText('Saved in this browser.');
		expect(screen.queryByText(`The ${TITLE} has changed`)).not.toBeInTheDocument();
	});

	it('shows the association and ends it only after the customer confirms', async () => {
		const partner = {
			id: 'harbor-books',
			name: 'Harbor Books',
			url: 'https://harbor-books.example'
		};
		const associated = storedRecord({
			act: act({ action: 'associate', version: '2.0', partner: partner.id }),
			seq: 1,
			at: new Date('2026-07-01T10:00:00.000Z')
		});
		const { loaded, log, emitted } = setup({ mode: 'associate', partner, records: [associated] });
		await loaded;
		expect(
			await screen.findByText(
				'Your account is associated with Harbor Books since July 1, 2026 (statement version 2.0).'
			)
		).toBeInTheDocument();
		expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();

		await fireEvent.click(screen.getByRole('button', { name: 'Disassociate' }));
		const question =
			'End the association with Harbor Books? Harbor Books will no longer receive data about your account from now on.';
		expect(screen.getByText(question)).toBeInTheDocument();
		await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
		expect(screen.queryByText(question)).not.toBeInTheDocument();
		expect(log.records).toHaveLength(1);

		await fireEvent.click(screen.getByRole('button', { name: 'Disassociate' }));
		await fireEvent.click(screen.getByRole('button', { name: 'Yes, disassociate' }));
		expect(
			await screen.findByText('The association with Harbor Books has ended.')
		).toBeInTheDocument();
		expect(
			screen.getByText('Your account is not associated with Harbor Books.')
		).toBeInTheDocument();
		expect(screen.getByRole('button', { name: 'Associate with Harbor Books' })).toBeDisabled();
		expect(log.records.map((r) => r.action)).toEqual(['associate', 'disassociate']);
		expect(log.records[1]).toMatchObject({
			partner: 'harbor-books',
			presentation: { label: 'Yes, disassociate' }
		});
		expect(emitted('assent:disassociate')).toEqual([{ record: log.records[1] }]);
	});

	it('says the service received the records, not the partner, whatever the sync URL names', async () => {
		const partner = {
			id: 'harbor-books',
			name: 'Harbor Books',
			url: 'https://harbor-books.example'
		};
		const { consent, loaded, log } = setup({ mode: 'associate', partner });
		await loaded;
		await fireEvent.click(await screen.findByRole('checkbox'));
		await fireEvent.click(screen.getByRole('button', { name: 'Associate with Harbor Books' }));
		await screen.findByText('Saved in this browser.');
		// The sync engine acknowledged every record just saved.
		consent.settled(log.records.map((r) => r.id));
		expect(await screen.findByText('Saved and received by the service.')).toBeInTheDocument();
		expect(screen.queryByText(/received by Harbor Books/)).not.toBeInTheDocument();
	});

	it('says "received" only once the engine acknowledged every record just saved, and once', async () => {
		const { consent, loaded, log, emitted } = setup();
		await loaded;
		await fireEvent.click(await screen.findByRole('checkbox'));
		await fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
		await screen.findByText('Saved in this browser.');
		const [saved] = log.records;
		// Another record acknowledged (another tab's, an older one): nothing to say yet.
		consent.settled(['some-other-record']);
		expect(consent.synced).toBe(false);
		expect(emitted('assent:sync')).toEqual([]);
		consent.settled([saved!.id]);
		expect(await screen.findByText('Saved and received by the service.')).toBeInTheDocument();
		// A second acknowledgement of the same record (a retried push) says nothing new.
		consent.settled([saved!.id]);
		expect(emitted('assent:sync')).toEqual([{ ids: [saved!.id] }]);
	});

	describe('when a customer associated under an older version is asked again', () => {
		const partner = {
			id: 'harbor-books',
			name: 'Harbor Books',
			url: 'https://harbor-books.example'
		};
		const associatedUnder1 = () =>
			storedRecord({
				act: act({ action: 'associate', version: '1.0', partner: partner.id }),
				seq: 1,
				at: new Date('2025-03-01T10:00:00.000Z')
			});

		it('says they are associated under the old version and shows what changed, open', async () => {
			const { loaded } = setup({ mode: 'associate', partner, records: [associatedUnder1()] });
			await loaded;
			expect(
				await screen.findByText(
					'Your account is associated with Harbor Books since March 1, 2025, under statement version 1.0. Version 2.0 is now in force with a material change: keep the association by agreeing to the new version, or disassociate.'
				)
			).toBeInTheDocument();
			expect(screen.queryByRole('button', { name: 'Associate with Harbor Books' })).toBeNull();
			const details = document.querySelector('[part=changes] details') as HTMLDetailsElement;
			expect(details.open).toBe(true);
			expect(screen.getByRole('button', { name: 'Disassociate' })).toBeEnabled();
		});

		it('keeps the association with an associate record under the new version', async () => {
			const { loaded, log, emitted } = setup({
				mode: 'associate',
				partner,
				records: [associatedUnder1()]
			});
			await loaded;
			const keep = await screen.findByRole('button', {
				name: 'Keep the association under version 2.0'
			});
			expect(keep).toBeDisabled();
			await fireEvent.click(screen.getByRole('checkbox', { name: LABEL }));
			await fireEvent.click(keep);
			await screen.findByText('Saved in this browser.');
			expect(log.records[1]).toMatchObject({
				action: 'associate',
				partner: 'harbor-books',
				statement: { id: 'terms', version: '2.0', hash: HASH_2 }
			});
			expect(emitted('assent:associate')).toEqual([{ record: log.records[1] }]);
			expect(
				await screen.findByText(
					'Your account is associated with Harbor Books since November 24, 2026 (statement version 2.0).'
				)
			).toBeInTheDocument();
		});

		it('disassociates after the customer confirms', async () => {
			const { loaded, log } = setup({ mode: 'associate', partner, records: [associatedUnder1()] });
			await loaded;
			await fireEvent.click(await screen.findByRole('button', { name: 'Disassociate' }));
			await fireEvent.click(screen.getByRole('button', { name: 'Yes, disassociate' }));
			expect(
				await screen.findByText('The association with Harbor Books has ended.')
			).toBeInTheDocument();
			expect(log.records.map((r) => r.action)).toEqual(['associate', 'disassociate']);
			expect(log.records[1]!.statement.version).toBe('2.0');
		});
	});
});
