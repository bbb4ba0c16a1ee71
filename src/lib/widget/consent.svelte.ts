/* eslint-disable svelte/prefer-svelte-reactivity -- the URLs and Dates here are short-lived values, never reactive state */
/**
 * The consent widget's behaviour, apart from its markup: reads the statements in force from the
 * statements site, works out where the subject stands from the records of this browser, and
 * turns the customer's confirmed, trusted clicks into records. The Svelte component only shows
 * this state.
 *
 * Longer than 250 lines on purpose: it is the one owner of where the subject stands (loading,
 * the need to answer, the association, "received"), and splitting that state across files would
 * bring back the copies this class replaced.
 */
import { AssentError, type AssentErrorCode } from '../core/errors';
import type { StatementDiff } from '../core/diff';
import type { AcceptanceRecord, Act, EmbedKind } from '../core/record';
import {
	associationStatus,
	lastAcceptance,
	needsAcceptance,
	upcomingChange,
	type AcceptanceNeed,
	type AssociationStatus
} from '../core/status';
import { versionInForce, type ChangeKind, type VersionTimeline } from '../core/statement';
import { paths } from '../core/paths';
import type { WidgetMode } from '../core/widget-protocol';
import {
	combineRecords,
	decidingRecords,
	type DecidingRecord,
	type RemoteRecord
} from '../core/standing';
import { matchesFilter, type RecordFilter, type RecordStore } from '../store/record-store';
import { listTitles, widgetTranslator, type WidgetMessageKey } from './messages';
import type { BackendCheck, StandingRead, StandingUnchecked } from './standing';

/** How long the widget waits for the backend's standing before showing what this browser holds. */
export const STANDING_WAIT_MS = 3000;

/** The part of the record store the consent state uses. */
export type ConsentLog = Pick<RecordStore, 'recordsOf' | 'append'>;

/** Where the subject stands with the widget's statements (and partner), as the JS API says. */
export interface ConsentStanding {
	subject: string;
	statements: {
		id: string;
		inForce?: string;
		accepted?: string;
		needed: boolean;
		reason: string;
		/** The acceptance that decided it: this browser's record (`local`) or another device's. */
		decidedBy?: DecidingRecord;
	}[];
	/** Present when the widget names a partner. */
	associated?: boolean;
	since?: string;
	/** Every record that decided the answer (the statements' acceptances, the association act). */
	decidedBy: DecidingRecord[];
	/**
	 * Whether the backend's standing was read (SPEC section 8): when not, the answer comes from
	 * this browser's records (and any standing read earlier on this page), and `reason` says why.
	 */
	backend: BackendCheck;
}

/** A partner from `partners.json`. */
export interface ConsentPartner {
	id: string;
	name: string;
	url: string;
}

interface IndexVersion extends VersionTimeline {
	locales: Record<string, { title: string; summary: string | null; hash: string; json: string }>;
}

interface IndexStatement {
	id: string;
	title: string;
	defaultLocale: string;
	locales: string[];
	versions: IndexVersion[];
}

/** One statement as the widget shows it. */
export interface ShownStatement {
	id: string;
	title: string;
	version: string;
	effective: string;
	change: ChangeKind;
	locale: string;
	hash: string;
	/** Absolute URL of the version's page. */
	url: string;
	/** Sanitized at build time by the statements site. */
	html: string;
	need: AcceptanceNeed<IndexVersion>;
	/** Changes since the accepted version, when a material one asks again. */
	changes?: { version: string; change: ChangeKind; summary: string | null }[];
	diff?: StatementDiff;
	upcoming?: { version: string; effective: string };
	versions: IndexVersion[];
}

/**
 * `preview`: the statement prerendered into the frame's page, shown (and its checkbox tickable)
 * while the widget's session starts; nothing can be confirmed until the session is `ready`.
 */
export type ConsentPhase = 'preview' | 'loading' | 'ready' | 'saving' | 'error';

/** A statement's published document (`<id>/<version>/<locale>.json`), as far as the widget uses it. */
export interface StatementDocument {
	html: string;
	hash: string;
	url: string;
}

export interface ConsentOptions {
	/** The statements site's origin (the frame's own origin in iframe mode). */
	base: string;
	statementIds: string[];
	mode: WidgetMode;
	partner?: ConsentPartner;
	/** The publisher's name, for the association text. */
	provider: string;
	subject: string;
	subjectToken?: string;
	/** The locale asked for; each statement falls back to its default locale. */
	locale: string;
	embed: EmbedKind;
	/** The origin of the page the customer is on. */
	hostOrigin: string;
	requireScroll?: boolean;
	allowDecline?: boolean;
	log: ConsentLog;
	/**
	 * Where this widget sends its records (the sync URL, `adapter`), or null when it keeps them
	 * in the browser only; noted beside each record. @default not noted
	 */
	syncTarget?: string | null;
	/**
	 * Whether the customer can see the widget now, asked at every answer: `false` refuses the
	 * answer (`widget/hidden`), anything else goes into `presentation.visible`.
	 * @default not asked, and not recorded
	 */
	visible?: () => Promise<boolean | 'unknown'>;
	/** Called with every event for the host (SPEC section 5). */
	emit: (name: string, detail: unknown) => void;
	/**
	 * Reads the subject's standing from its backend, checked (SPEC section 8). @default the
	 * backend is not asked
	 */
	standing?: () => Promise<StandingRead>;
	/** Called after records were saved, so the sync engine pushes them. */
	saved?: (records: AcceptanceRecord[]) => void;
	/** `assent/<version>` of this widget. */
	widget: string;
	/** @default globalThis.fetch */
	fetch?: typeof fetch;
	/**
	 * The statements index (`statements/index.json`), when its request was started before the
	 * widget's settings arrived; used by the first load only (a retry asks again).
	 */
	index?: Promise<Response>;
	/** @default () => new Date() */
	now?: () => Date;
	/**
	 * Documents the widget already holds (the frame's prerendered statement): one whose hash
	 * the index names is used instead of being fetched again.
	 */
	documents?: StatementDocument[];
}

/** Why an answer is refused while the widget is not shown: for the customer, and the developer. */
const HIDDEN =
	'This form is covered or hidden on the page, so your answer was not recorded. Make sure you can see all of it, then try again. (The browser reported the widget covered, transparent or its words hidden: the page must show it as it is.)';

export class ConsentState {
	phase = $state<ConsentPhase>('loading');
	statements = $state<ShownStatement[]>([]);
	association = $state<AssociationStatus>({ associated: false });
	checked = $state(false);
	scrolledToEnd = $state(false);
	confirmingDisassociate = $state(false);
	/** What just happened, for the live region. */
	notice = $state<{ key: WidgetMessageKey; values?: Record<string, string> } | undefined>();
	error = $state<{ code: AssentErrorCode; message: string } | undefined>();
	synced = $state(false);
	/** Whether the backend's standing was read; see `ConsentStanding.backend`. */
	backend = $state<
		| { checked: true; at: string; ignored: number }
		| { checked: false; reason: StandingUnchecked; message?: string }
	>({ checked: false, reason: 'checking' });

	readonly options: ConsentOptions;
	readonly t: ReturnType<typeof widgetTranslator>;
	/** This browser's records, as read last. */
	#local: AcceptanceRecord[] = [];
	/** Other devices' records from the backend's standing, checked: never sent, never chained. */
	#remote: RemoteRecord[] = [];
	/** Counts the standings taken in, so a load can tell one arrived while it worked. */
	#remoteVersion = 0;
	#index: { statements: IndexStatement[] } | undefined;
	/** Standing reads run one after another. */
	#standingRun: Promise<void> = Promise.resolve();
	/** Records of a standing already reported as failing their checks. */
	#reported = new Set<string>();
	#lastSaved: string[] = [];
	/** The records just saved that the backend has not acknowledged yet. */
	#waiting = new Set<string>();

	#earlyIndex: Promise<Response> | undefined;

	constructor(options: ConsentOptions) {
		this.options = options;
		this.#earlyIndex = options.index;
		this.t = widgetTranslator(options.locale);
	}

	/**
	 * The records what is shown depends on: the subject's records of the widget's statements
	 * (their acceptances, and in associate mode the association acts), read through the store's
	 * index, so the subject's records of other statements and everyone else's stay unread.
	 */
	get #shownFilter(): RecordFilter {
		return { subject: this.options.subject, statementIds: this.options.statementIds };
	}

	/**
	 * This browser's records and the trusted records of other devices, once each, of the
	 * widget's statements (`#shownFilter`) on both sides alike.
	 */
	get #records(): AcceptanceRecord[] {
		const filter = this.#shownFilter;
		return combineRecords({
			local: this.#local,
			remote: this.#remote.map((r) => r.record).filter((r) => matchesFilter(r, filter))
		}).records;
	}

	get needsAnswer(): boolean {
		return this.statements.some((s) => s.need.needed);
	}

	/** The exact words next to the checkbox; they go into the record. */
	get label(): string {
		const titles = this.statements.map((s) => s.title);
		return titles.length === 1
			? this.t('agreeLabel', { title: titles[0]! })
			: this.t('agreeLabelMany', {
					titles: listTitles({ locale: this.options.locale, titles })
				});
	}

	get canConfirm(): boolean {
		return (
			this.phase === 'ready' && this.checked && (!this.options.requireScroll || this.scrolledToEnd)
		);
	}

	get canTick(): boolean {
		return (
			(this.phase === 'ready' || this.phase === 'preview') &&
			(!this.options.requireScroll || this.scrolledToEnd)
		);
	}

	/**
	 * The prerendered statement, shown before the widget's session started: its checkbox can be
	 * ticked, nothing can be confirmed. Hand the tick on with `keepTick` once the session is ready.
	 */
	static preview(options: {
		statements: ShownStatement[];
		locale: string;
		provider: string;
	}): ConsentState {
		const inert = () => Promise.reject(new Error('The preview keeps no records.'));
		const state = new ConsentState({
			base: '/',
			statementIds: options.statements.map((s) => s.id),
			mode: 'accept',
			provider: options.provider,
			subject: '',
			locale: options.locale,
			embed: 'iframe',
			hostOrigin: '',
			log: { recordsOf: inert, append: inert },
			emit: () => {},
			widget: ''
		});
		state.statements = options.statements;
		state.phase = 'preview';
		return state;
	}

	/**
	 * What the customer sees next to the checkbox and agrees to by ticking it: the same words in
	 * two states mean a tick on one is a tick on the other.
	 */
	get #words(): string {
		return JSON.stringify({
			mode: this.options.mode,
			ui: this.t('confirm'),
			label: this.label,
			scroll: this.options.requireScroll ?? false,
			asking: this.needsAnswer,
			associated: this.association.associated,
			statements: this.statements.map((s) => [
				s.id,
				s.title,
				s.version,
				s.effective,
				s.locale,
				s.hash,
				s.changes ?? null,
				s.upcoming ?? null
			])
		});
	}

	/**
	 * Takes over the tick the customer gave `shown` (the prerendered preview) when this state,
	 * now ready, shows the same words; otherwise the tick is dropped and the customer ticks again
	 * next to the words now shown.
	 */
	keepTick(shown: ConsentState): void {
		this.checked =
			shown.checked && this.phase === 'ready' && this.needsAnswer && shown.#words === this.#words;
	}

	async load(): Promise<void> {
		this.phase = 'loading';
		this.error = undefined;
		// The standing is asked for first: it travels while the statements load.
		const standing = this.refreshStanding();
		try {
			const early = this.#earlyIndex;
			this.#earlyIndex = undefined;
			// The index and this browser's records travel at once; the index's failure is told first.
			const indexing = this.#json<{ statements: IndexStatement[] }>(paths.index(), early);
			const reading = this.options.log.recordsOf(this.#shownFilter);
			reading.catch(() => {});
			const index = await indexing;
			this.#local = await reading;
			// Shown from both when the backend answers in time; otherwise from this browser's
			// records, and brought up to date when the standing arrives.
			let waiting: ReturnType<typeof setTimeout> | undefined;
			await Promise.race([
				standing,
				new Promise((resolve) => (waiting = setTimeout(resolve, STANDING_WAIT_MS)))
			]);
			clearTimeout(waiting);
			const version = this.#remoteVersion;
			const shown: ShownStatement[] = [];
			for (const id of this.options.statementIds) {
				const statement = index.statements.find((s) => s.id === id);
				if (!statement) {
					throw new AssentError(
						'widget/unknown-statement',
						`The statements site has no statement "${id}". Check the statement attribute against ${new URL(paths.index(), this.options.base).href}.`
					);
				}
				shown.push(await this.#show(statement));
			}
			this.#index = index;
			this.statements = shown;
			this.#refreshAssociation();
			this.phase = 'ready';
			if (version !== this.#remoteVersion) await this.#reassess();
		} catch (error) {
			this.#fail(error);
		}
	}

	/**
	 * Reads the subject's standing from the backend (on load, and after this browser's records
	 * were synced) and takes in the records that pass their checks. Records that fail are ignored
	 * and reported (`assent:error` `standing/record`); a refused token or a garbled answer is
	 * reported too. When the backend cannot be asked, what the page holds still counts.
	 */
	refreshStanding(): Promise<void> {
		// A read that failed unexpectedly does not stop the next one.
		this.#standingRun = this.#standingRun.then(() => this.#readStanding()).catch(() => {});
		return this.#standingRun;
	}

	async #readStanding(): Promise<void> {
		if (!this.options.standing) {
			this.backend = {
				checked: false,
				reason: 'no-backend',
				message: 'The widget has no sync-url whose backend could be asked.'
			};
			return;
		}
		let read: StandingRead;
		try {
			read = await this.options.standing();
		} catch (error) {
			read = {
				checked: false,
				reason: 'offline',
				message: error instanceof Error ? error.message : String(error)
			};
		}
		if (!read.checked) {
			this.backend = { checked: false, reason: read.reason, message: read.message };
			if (read.error) {
				this.options.emit('assent:error', { code: read.error.code, message: read.error.message });
			}
			return;
		}
		for (const refused of read.refused) {
			const key = `${refused.id}:${refused.problem}`;
			if (this.#reported.has(key)) continue;
			this.#reported.add(key);
			this.notice = { key: 'error.standing/record' };
			this.options.emit('assent:error', {
				code: 'standing/record',
				message: `${refused.message} It is ignored: what the widget shows comes from records that pass their checks.`
			});
		}
		// Only other devices' records can change what is shown: this browser's own come back
		// in the standing once synced, and count once.
		const local = new Set(this.#local.map((r) => r.id));
		const others = (remote: RemoteRecord[]) =>
			remote
				.map((r) => r.record.id)
				.filter((id) => !local.has(id))
				.join();
		const before = others(this.#remote);
		this.#remote = read.trusted;
		this.backend = { checked: true, at: read.at, ignored: read.refused.length };
		if (others(read.trusted) === before) return;
		this.#remoteVersion++;
		await this.#reassess();
	}

	/** Shows the statements again after a standing changed what the subject has answered. */
	async #reassess(): Promise<void> {
		const index = this.#index;
		// Still loading: the load reads the standing when it is done. Saving: the save re-reads.
		if (!index || this.phase !== 'ready') return;
		try {
			const shown: ShownStatement[] = [];
			for (const id of this.options.statementIds) {
				const statement = index.statements.find((s) => s.id === id);
				if (statement) shown.push(await this.#show(statement));
			}
			if (this.phase !== 'ready') return;
			this.statements = shown;
			this.checked = false;
			this.#refreshAssociation();
		} catch {
			// The statements site did not answer now: what is shown stays until the next read.
		}
	}

	async #show(statement: IndexStatement): Promise<ShownStatement> {
		const now = this.#now();
		const inForce = versionInForce({ versions: statement.versions, now });
		if (!inForce) {
			throw new AssentError(
				'widget/nothing-in-force',
				`No version of "${statement.id}" is in force yet; the widget can be shown from the first effective date.`
			);
		}
		const locale = inForce.locales[this.options.locale]
			? this.options.locale
			: (Object.keys(inForce.locales).find(
					(l) => l.split('-')[0] === this.options.locale.split('-')[0]
				) ?? statement.defaultLocale);
		const published = inForce.locales[locale] ?? Object.values(inForce.locales)[0]!;
		const document =
			this.options.documents?.find((d) => d.hash === published.hash) ??
			(await this.#json<StatementDocument>(published.json));
		if (document.hash !== published.hash) {
			throw new AssentError(
				'widget/unreachable',
				`The statements site sent version ${inForce.version} of "${statement.id}" with a hash that does not match its index. Reload the page; if it persists, the site is being republished.`
			);
		}
		const need = this.#need({ statementId: statement.id, versions: statement.versions });
		const shown: ShownStatement = {
			id: statement.id,
			title: published.title,
			version: inForce.version,
			effective: inForce.effective,
			change: inForce.change,
			locale,
			hash: published.hash,
			url: new URL(document.url, this.options.base).href,
			html: document.html,
			need,
			versions: statement.versions
		};
		const upcoming = upcomingChange({
			versions: statement.versions,
			now,
			accepted: need.accepted
		}).announced[0];
		if (upcoming) shown.upcoming = { version: upcoming.version, effective: upcoming.effective };
		if (need.reason === 'material-change' && need.accepted) {
			shown.changes = (need.changedSince ?? []).map((v) => ({
				version: v.version,
				change: v.change,
				summary: v.locales[locale]?.summary ?? null
			}));
			// Shown when it can be had; the summaries already say what changed.
			shown.diff = await this.#json<StatementDiff>(
				paths.diffJson({ id: statement.id, from: need.accepted, to: inForce.version, locale })
			).catch(() => undefined);
		}
		return shown;
	}

	#need(options: {
		statementId: string;
		versions: IndexVersion[];
		/** @default the records read last */
		records?: AcceptanceRecord[];
	}): AcceptanceNeed<IndexVersion> {
		return needsAcceptance({
			records: options.records ?? this.#records,
			subject: this.options.subject,
			statementId: options.statementId,
			partner: this.options.mode === 'associate' ? this.options.partner?.id : undefined,
			versions: options.versions,
			now: this.#now()
		});
	}

	/** When the subject last accepted the statement, as recorded. */
	acceptedAt(statementId: string): string | undefined {
		return lastAcceptance({
			records: this.#records,
			subject: this.options.subject,
			statementId,
			partner: this.options.mode === 'associate' ? this.options.partner?.id : undefined
		})?.at;
	}

	#refreshAssociation(): void {
		if (this.options.mode !== 'associate' || !this.options.partner) return;
		this.association = associationStatus({
			records: this.#records,
			subject: this.options.subject,
			partner: this.options.partner.id
		});
	}

	/** Accept (or associate, in associate mode): only for a real click by the customer. */
	async confirm(event: Event): Promise<void> {
		if (!event.isTrusted || !this.canConfirm) return;
		await this.#record(this.options.mode === 'associate' ? 'associate' : 'accept');
	}

	async decline(event: Event): Promise<void> {
		if (!event.isTrusted || this.phase !== 'ready' || !this.options.allowDecline) return;
		await this.#record('decline');
	}

	async disassociate(event: Event): Promise<void> {
		if (!event.isTrusted || this.phase !== 'ready' || !this.confirmingDisassociate) return;
		await this.#record('disassociate');
	}

	async #record(action: Act['action']): Promise<void> {
		// Saving from here on, so a second click while the browser is asked records nothing more.
		this.phase = 'saving';
		const visible = await this.options.visible?.();
		if (visible === false) {
			this.#fail(new AssentError('widget/hidden', HIDDEN), 'ready');
			return;
		}
		// A new answer: the problem of the last one no longer stands.
		this.error = undefined;
		this.notice = undefined;
		this.synced = false;
		const label =
			action === 'disassociate'
				? this.t('disassociateYes')
				: action === 'decline'
					? this.t('decline')
					: this.label;
		const saved: AcceptanceRecord[] = [];
		try {
			// One record per statement, each stored durably before the next is built.
			for (const statement of this.statements) {
				const act = {
					action,
					subject: this.options.subject,
					...(this.options.subjectToken ? { subjectToken: this.options.subjectToken } : {}),
					partner: this.options.partner?.id ?? null,
					statement: {
						id: statement.id,
						version: statement.version,
						locale: statement.locale,
						hash: statement.hash,
						url: statement.url
					},
					presentation: {
						embed: this.options.embed,
						origin: this.options.hostOrigin,
						label,
						...(this.options.requireScroll ? { scrolledToEnd: this.scrolledToEnd } : {}),
						...(visible !== undefined ? { visible } : {})
					},
					client: {
						userAgent: typeof navigator === 'undefined' ? '' : navigator.userAgent,
						widget: this.options.widget
					}
				} as Act;
				saved.push(
					await this.options.log.append({
						act,
						...(this.options.syncTarget !== undefined ? { target: this.options.syncTarget } : {})
					})
				);
			}
		} catch (error) {
			this.#announce(saved, action);
			this.#fail(error, 'ready');
			return;
		}
		this.#announce(saved, action);
		this.checked = false;
		this.confirmingDisassociate = false;
		// Re-read: the subject's standing changed, and other tabs may have written too.
		this.#local = await this.options.log
			.recordsOf(this.#shownFilter)
			.catch(() => [...this.#local, ...saved]);
		this.statements = this.statements.map((statement) => ({
			...statement,
			need: this.#need({ statementId: statement.id, versions: statement.versions }),
			changes: undefined,
			diff: undefined
		}));
		this.#refreshAssociation();
		this.phase = 'ready';
	}

	#announce(saved: AcceptanceRecord[], action: Act['action']): void {
		if (saved.length === 0) return;
		this.#lastSaved = saved.map((r) => r.id);
		this.#waiting = new Set(this.#lastSaved);
		const partner = this.options.partner?.name ?? '';
		this.notice =
			action === 'decline'
				? { key: 'declined' }
				: action === 'disassociate'
					? { key: 'disassociated', values: { partner } }
					: { key: 'saved' };
		for (const record of saved) this.options.emit(`assent:${action}`, { record });
		this.options.saved?.(saved);
	}

	/**
	 * The sync engine acknowledged these records (this page's engine, or the one leading in
	 * another tab, which tells the others): once every record just saved is among them, the
	 * customer is told the service received them and the host gets `assent:sync`.
	 */
	settled(ids: readonly string[]): void {
		if (this.#waiting.size === 0) return;
		for (const id of ids) this.#waiting.delete(id);
		if (this.#waiting.size > 0) return;
		this.synced = true;
		this.options.emit('assent:sync', { ids: this.#lastSaved });
	}

	/**
	 * Where the subject stands now, from the records as they are in the store (another tab may
	 * have written since this one loaded): the one place the widget works it out.
	 */
	async standing(): Promise<ConsentStanding> {
		const partner = this.options.partner?.id;
		const filter = {
			subject: this.options.subject,
			statementIds: this.options.statementIds,
			...(partner ? { partner } : {})
		};
		const local = await this.options.log.recordsOf(filter);
		const remote = this.#remote.map((r) => r.record).filter((r) => matchesFilter(r, filter));
		const { records, source } = combineRecords({ local, remote });
		const decided = decidingRecords({
			records,
			source,
			subject: this.options.subject,
			statementIds: this.statements.map((s) => s.id),
			...(partner ? { partner } : {}),
			perPartner: this.options.mode === 'associate'
		});
		const decidedBy = [...decided.statements.values()];
		if (decided.association && !decidedBy.some((d) => d.id === decided.association!.id)) {
			decidedBy.push(decided.association);
		}
		const { backend } = this;
		return {
			subject: this.options.subject,
			statements: this.statements.map((s) => {
				const need = this.#need({ statementId: s.id, versions: s.versions, records });
				const by = decided.statements.get(s.id);
				return {
					id: s.id,
					inForce: need.inForce,
					accepted: need.accepted,
					needed: need.needed,
					reason: need.reason,
					...(by ? { decidedBy: by } : {})
				};
			}),
			...(partner
				? (({ associated, since }) => ({ associated, since }))(
						associationStatus({ records, subject: this.options.subject, partner })
					)
				: {}),
			decidedBy,
			backend: backend.checked
				? {
						checked: true,
						at: backend.at,
						records: remote.filter((r) => source(r.id) === 'remote').length,
						ignored: backend.ignored
					}
				: {
						checked: false,
						reason: backend.reason,
						...(backend.message ? { message: backend.message } : {})
					}
		};
	}

	#fail(error: unknown, phase: ConsentPhase = 'error'): void {
		const known = error instanceof AssentError;
		const code: AssentErrorCode = known ? error.code : 'widget/unreachable';
		const message = known
			? error.message
			: `The statements site ${this.options.base} could not be read (${error instanceof Error ? error.message : String(error)}). Check the connection and try again; nothing was recorded.`;
		this.error = { code, message };
		this.phase = phase;
		this.options.emit('assent:error', { code, message });
	}

	/** @param early the same request, already started */
	async #json<T>(path: string, early?: Promise<Response>): Promise<T> {
		const fetcher = this.options.fetch ?? globalThis.fetch.bind(globalThis);
		const url = new URL(path, this.options.base);
		let response: Response;
		try {
			response = await (early ?? fetcher(url.href, { credentials: 'omit' }));
		} catch (error) {
			throw new AssentError(
				'widget/unreachable',
				`The statements site could not be reached at ${url.href} (${error instanceof Error ? error.message : String(error)}). Check the connection and try again; nothing was recorded.`
			);
		}
		if (!response.ok) {
			throw new AssentError(
				'widget/unreachable',
				`The statements site answered ${response.status} for ${url.href}. Check the statement id and that the site is published; nothing was recorded.`
			);
		}
		return (await response.json()) as T;
	}

	#now(): Date {
		return this.options.now?.() ?? new Date();
	}
}
