/**
 * The state of `/console/`: the site's own statement index, the connection to one receiver, the
 * statements' summaries, the re-acceptance list a page at a time, its CSV export, one
 * subject's timeline and the webhook delivery log. Everything is fetched in the browser, from this site and the receiver the
 * operator names; the token stays in this tab (`session.ts`).
 */
import { versionStatus, type VersionStatus, type VersionTimeline } from '../core/statement';
import { verifyEvidence, type PublishedIndex, type Verification } from '../core/verify';
import {
	ConsoleError,
	OperatorClient,
	type Delivery,
	type OperatorStanding,
	type StatementSummary
} from './client';
import { csvExport, type CsvProgress } from './csv';
import { forgetSession, readSession, saveSession } from './session';

/** The parts of the site's `/statements/index.json` the console reads. */
export interface SiteIndex extends PublishedIndex {
	statements: {
		id: string;
		title: string;
		versions: (VersionTimeline & {
			locales: Record<string, { hash: string; title: string; url: string }>;
		})[];
	}[];
}

/** Subjects in one page of the re-acceptance list. */
export const PAGE_SIZE = 50;
/** Subjects in one page fetched for the CSV export. */
export const EXPORT_PAGE_SIZE = 500;
/** Rows (an event to one URL) in one page of the webhook delivery log. */
export const DELIVERY_PAGE_SIZE = 25;

/** A row of the delivery log's key: an event is delivered to each URL on its own. */
export const deliveryKey = (d: Pick<Delivery, 'event' | 'url'>) => `${d.event} ${d.url}`;

/** Which deliveries the log shows: every one, or those of one state. */
export type DeliveryFilter = 'all' | Delivery['status'];
export const DELIVERY_FILTERS: readonly DeliveryFilter[] = [
	'all',
	'failed',
	'pending',
	'delivered'
];

/** What became of an operator's "deliver again". */
export type Redelivery =
	{ state: 'sending' } | { state: 'sent' } | { state: 'error'; failure: Failure };

export type Failure = { kind: ConsoleError['kind']; values: Record<string, string | number> };

function failure(error: unknown): Failure {
	if (error instanceof ConsoleError) return { kind: error.kind, values: error.values };
	return { kind: 'http', values: { status: '—', error: '', message: String(error) } };
}

export interface StatementView {
	id: string;
	/** The title of its latest version in the statement's default locale. */
	title: string;
	/** The title of its latest version in each locale it is written in. */
	titles: Record<string, string>;
	versions: (VersionTimeline & { status: VersionStatus })[];
	summary: StatementSummary | null;
	error: Failure | null;
}

/** A statement's title in the reader's language when it is written in it, else its own. */
export function titleIn(view: Pick<StatementView, 'title' | 'titles'>, locale: string): string {
	return view.titles[locale] ?? view.title;
}

export interface TimelineView {
	subject: string;
	/** The bundle exactly as the receiver sent it: what the download saves. */
	bundle: string;
	verification: Verification;
	/** The receiver's key now, and whether the bundle's key is it. */
	receiverKid: string | null;
	standings: OperatorStanding[];
}

async function fetchIndex(): Promise<SiteIndex> {
	const response = await fetch('/statements/index.json', { credentials: 'same-origin' });
	if (!response.ok) throw new Error(`HTTP ${response.status}`);
	return (await response.json()) as SiteIndex;
}

/** The props of each section of the console: its state, and the reader's language. */
export interface ConsoleSectionProps {
	state: ConsoleState;
	/** @default 'en' */
	locale?: string;
}

export class ConsoleState {
	index = $state<SiteIndex | null>(null);
	indexError = $state<string | null>(null);

	url = $state('');
	token = $state('');
	client = $state<OperatorClient | null>(null);
	connecting = $state(false);
	connectError = $state<Failure | null>(null);
	/** Statements loaded so far while connecting, for the progress line. */
	loaded = $state(0);
	statements = $state<StatementView[]>([]);

	/** The re-acceptance list. */
	listStatement = $state('');
	/** The partner the list is narrowed to, as typed (empty: every subject). */
	listPartner = $state('');
	/** The partner of the list shown now: the one it was loaded with. */
	listShownPartner = $state('');
	listRows = $state<OperatorStanding[]>([]);
	listNext = $state<string | undefined>(undefined);
	listLoading = $state(false);
	listError = $state<Failure | null>(null);
	listLoaded = $state(false);

	exportProgress = $state<CsvProgress | null>(null);
	exportError = $state<Failure | null>(null);
	exportDone = $state<{ rows: number; url: string; name: string } | null>(null);
	#exportAbort: AbortController | null = null;

	/** The subject typed in the timeline's form (or picked from the list). */
	subject = $state('');
	timeline = $state<TimelineView | null>(null);
	timelineLoading = $state(false);
	timelineError = $state<Failure | null>(null);

	/** The webhook delivery log, newest event first, a page at a time. */
	deliveryRows = $state<Delivery[]>([]);
	deliveryNext = $state<string | undefined>(undefined);
	deliveryLoading = $state(false);
	deliveryLoaded = $state(false);
	deliveryError = $state<Failure | null>(null);
	/** Which deliveries the log shows (the filter the rows were read with). */
	deliveryFilter = $state<DeliveryFilter>('all');
	/** Each "deliver again" asked for, by `deliveryKey`. */
	redeliveries = $state<Record<string, Redelivery>>({});
	/** The last "deliver again" that was answered, for the page's live region. */
	redeliveryNotice = $state<{ delivery: Delivery; outcome: Redelivery } | null>(null);

	#timelineRun = 0;
	#deliveryRun = 0;
	#loadIndex: () => Promise<SiteIndex>;
	#now: () => Date;

	constructor(options: { loadIndex?: () => Promise<SiteIndex>; now?: () => Date } = {}) {
		this.#loadIndex = options.loadIndex ?? fetchIndex;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- the clock read once per use, never state
		this.#now = options.now ?? (() => new Date());
	}

	/** Reads the site's index, and connects again with what this tab kept. */
	async start(): Promise<void> {
		try {
			this.index = await this.#loadIndex();
		} catch (error) {
			this.indexError = error instanceof Error ? error.message : String(error);
			return;
		}
		const kept = readSession();
		if (kept) {
			this.url = kept.url;
			this.token = kept.token;
			await this.connect();
		}
	}

	/**
	 * The expected size of the list: the summary's count of subjects who must accept again.
	 * Unknown for a list narrowed to one partner: the summary does not count per partner.
	 */
	listTotal(statement: string): number | null {
		if (this.listShownPartner) return null;
		return this.statements.find((s) => s.id === statement)?.summary?.subjects.mustAccept ?? null;
	}

	/** The partners the summary of `statement` knows, to pick from when narrowing the list. */
	listPartners(statement: string): string[] {
		return (
			this.statements.find((s) => s.id === statement)?.summary?.partners.map((p) => p.partner) ?? []
		);
	}

	async connect(): Promise<void> {
		this.connectError = null;
		let client: OperatorClient;
		try {
			client = new OperatorClient({ base: this.url, token: this.token });
		} catch (error) {
			this.connectError = failure(error);
			return;
		}
		const index = this.index;
		if (!index) return;
		this.connecting = true;
		this.loaded = 0;
		this.disconnectViews();
		const now = this.#now();
		const views: StatementView[] = [];
		try {
			for (const statement of index.statements) {
				const summary = await client.summary(statement.id);
				views.push({
					id: statement.id,
					title: statement.title,
					titles: Object.fromEntries(
						Object.entries(statement.versions.at(-1)?.locales ?? {}).map(([l, v]) => [l, v.title])
					),
					versions: statement.versions.map((v) => ({
						version: v.version,
						issued: v.issued,
						effective: v.effective,
						change: v.change,
						status: versionStatus({ versions: statement.versions, version: v.version, now })
					})),
					summary,
					error: null
				});
				this.loaded = views.length;
			}
		} catch (error) {
			this.connectError = failure(error);
			this.connecting = false;
			return;
		}
		this.statements = views;
		this.client = client;
		saveSession({ url: client.base, token: this.token });
		this.url = client.base;
		this.connecting = false;
		this.listStatement =
			views.find((v) => (v.summary?.subjects.mustAccept ?? 0) > 0)?.id ?? views[0]?.id ?? '';
	}

	disconnectViews(): void {
		this.cancelExport();
		this.client = null;
		this.statements = [];
		this.listRows = [];
		this.listNext = undefined;
		this.listLoaded = false;
		this.listError = null;
		this.timeline = null;
		this.timelineError = null;
		this.exportError = null;
		this.clearExport();
		this.deliveryRows = [];
		this.deliveryNext = undefined;
		this.deliveryLoaded = false;
		this.deliveryError = null;
		this.deliveryFilter = 'all';
		this.redeliveries = {};
		this.redeliveryNotice = null;
	}

	/** Forgets the token and the URL: this tab holds nothing any more. */
	disconnect(): void {
		this.disconnectViews();
		this.token = '';
		forgetSession();
	}

	/** The first page of the list for `listStatement`, or the next one (`more`). */
	async loadList(options: { more?: boolean } = {}): Promise<void> {
		const client = this.client;
		if (!client || !this.listStatement) return;
		if (!options.more) {
			this.listRows = [];
			this.listNext = undefined;
			this.listLoaded = false;
			this.listShownPartner = this.listPartner.trim();
		}
		const partner = this.listShownPartner;
		this.listLoading = true;
		this.listError = null;
		try {
			const page = await client.subjects({
				statement: this.listStatement,
				limit: PAGE_SIZE,
				...(partner ? { partner } : {}),
				...(options.more && this.listNext ? { cursor: this.listNext } : {})
			});
			this.listRows = [...this.listRows, ...page.subjects];
			this.listNext = page.next;
			this.listLoaded = true;
		} catch (error) {
			this.listError = failure(error);
		} finally {
			this.listLoading = false;
		}
	}

	clearExport(): void {
		if (this.exportDone) URL.revokeObjectURL(this.exportDone.url);
		this.exportDone = null;
	}

	/** Every page of the list into a CSV file; `exportDone` holds its download link. */
	async exportCsv(): Promise<void> {
		const client = this.client;
		const statement = this.listStatement;
		const partner = this.listPartner.trim();
		if (!client || !statement) return;
		this.cancelExport();
		this.clearExport();
		this.exportError = null;
		const abort = new AbortController();
		this.#exportAbort = abort;
		this.exportProgress = { rows: 0, pages: 0 };
		try {
			const pieces = await csvExport({
				page: (cursor, signal) =>
					client.subjects(
						{
							statement,
							limit: EXPORT_PAGE_SIZE,
							...(partner ? { partner } : {}),
							...(cursor ? { cursor } : {})
						},
						signal ? { signal } : {}
					),
				onProgress: (progress) => {
					if (this.#exportAbort === abort) this.exportProgress = progress;
				},
				signal: abort.signal
			});
			if (this.#exportAbort !== abort) return;
			const rows = this.exportProgress?.rows ?? 0;
			const day = this.#now().toISOString().slice(0, 10);
			this.exportDone = {
				rows,
				name: `must-accept-${statement}${partner ? `-${partner.replace(/[^\w.-]+/g, '_')}` : ''}-${day}.csv`,
				url: URL.createObjectURL(new Blob(pieces, { type: 'text/csv;charset=utf-8' }))
			};
		} catch (error) {
			if (!abort.signal.aborted) this.exportError = failure(error);
		} finally {
			if (this.#exportAbort === abort) {
				this.#exportAbort = null;
				this.exportProgress = null;
			}
		}
	}

	cancelExport(): void {
		this.#exportAbort?.abort();
		this.#exportAbort = null;
		this.exportProgress = null;
	}

	get exporting(): boolean {
		return this.exportProgress !== null;
	}

	/**
	 * One subject's timeline: its evidence bundle, verified as `/verify/` does (raw text, digest,
	 * chain, receipts against the bundle's key, statement hashes against this site's index), the
	 * receiver's key now, and its standing with each statement.
	 */
	async loadTimeline(subject: string): Promise<void> {
		const client = this.client;
		const index = this.index;
		const wanted = subject.trim();
		if (!client || !index || !wanted) return;
		this.subject = wanted;
		// Only the latest subject asked for is shown, however the answers arrive.
		const run = ++this.#timelineRun;
		this.timelineLoading = true;
		this.timelineError = null;
		this.timeline = null;
		try {
			const [bundle, key, standings] = await Promise.all([
				client.evidence(wanted),
				client.key().catch(() => null),
				Promise.all(
					index.statements.map((s) => client.standing({ subject: wanted, statement: s.id }))
				)
			]);
			const verification = await verifyEvidence({ text: bundle, index });
			if (run !== this.#timelineRun) return;
			this.timeline = {
				subject: wanted,
				bundle,
				verification,
				receiverKid: key?.kid ?? null,
				standings
			};
		} catch (error) {
			if (run === this.#timelineRun) this.timelineError = failure(error);
		} finally {
			if (run === this.#timelineRun) this.timelineLoading = false;
		}
	}

	/**
	 * The newest page of the delivery log (again), or the next older one (`more`); with
	 * `filter`, from the newest page of the deliveries in that state (or of all).
	 */
	async loadDeliveries(options: { more?: boolean; filter?: DeliveryFilter } = {}): Promise<void> {
		const client = this.client;
		if (!client) return;
		const more = options.more && options.filter === undefined;
		const cursor = more ? this.deliveryNext : undefined;
		if (more && !cursor) return;
		const filter = options.filter ?? this.deliveryFilter;
		this.deliveryFilter = filter;
		const run = ++this.#deliveryRun;
		this.deliveryLoading = true;
		this.deliveryError = null;
		try {
			const page = await client.deliveries({
				limit: DELIVERY_PAGE_SIZE,
				...(filter !== 'all' ? { status: filter } : {}),
				...(cursor ? { cursor } : {})
			});
			// Another client, or the filter changed while this page was on its way.
			if (this.client !== client || run !== this.#deliveryRun) return;
			if (!options.more) {
				this.redeliveries = {};
				this.redeliveryNotice = null;
			}
			this.deliveryRows = more ? [...this.deliveryRows, ...page.deliveries] : page.deliveries;
			this.deliveryNext = page.next;
			this.deliveryLoaded = true;
		} catch (error) {
			if (run === this.#deliveryRun) this.deliveryError = failure(error);
		} finally {
			if (run === this.#deliveryRun) this.deliveryLoading = false;
		}
	}

	/**
	 * Sends a failed delivery again: the receiver makes it pending, due now, with a fresh run of
	 * attempts; its row says so until the log is read again.
	 */
	async redeliver(delivery: Delivery): Promise<void> {
		const client = this.client;
		const key = deliveryKey(delivery);
		if (!client || delivery.status !== 'failed' || this.redeliveries[key]?.state === 'sending') {
			return;
		}
		this.redeliveries[key] = { state: 'sending' };
		let outcome: Redelivery;
		try {
			await client.redeliver({ event: delivery.event, url: delivery.url });
			outcome = { state: 'sent' };
			const at = this.#now().toISOString();
			this.deliveryRows = this.deliveryRows.map((row) =>
				deliveryKey(row) === key
					? { ...row, status: 'pending', attempts: 0, nextAttemptAt: at }
					: row
			);
		} catch (error) {
			outcome = { state: 'error', failure: failure(error) };
		}
		if (this.client !== client) return;
		this.redeliveries[key] = outcome;
		this.redeliveryNotice = { delivery, outcome };
	}
}
