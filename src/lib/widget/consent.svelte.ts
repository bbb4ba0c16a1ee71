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
import { matchesFilter, type RecordStore } from '../store/record-store';
import { listTitles, widgetTranslator, type WidgetMessageKey } from './messages';

/** The part of the record store the consent state uses. */
export type ConsentLog = Pick<RecordStore, 'all' | 'append'>;

/** Where the subject stands with the widget's statements (and partner), as the JS API says. */
export interface ConsentStanding {
	subject: string;
	statements: {
		id: string;
		inForce?: string;
		accepted?: string;
		needed: boolean;
		reason: string;
	}[];
	/** Present when the widget names a partner. */
	associated?: boolean;
	since?: string;
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

export type ConsentPhase = 'loading' | 'ready' | 'saving' | 'error';

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
	/** Called after records were saved, so the sync engine pushes them. */
	saved?: (records: AcceptanceRecord[]) => void;
	/** `assent/<version>` of this widget. */
	widget: string;
	/** @default globalThis.fetch */
	fetch?: typeof fetch;
	/** @default () => new Date() */
	now?: () => Date;
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

	readonly options: ConsentOptions;
	readonly t: ReturnType<typeof widgetTranslator>;
	#records: AcceptanceRecord[] = [];
	#lastSaved: string[] = [];
	/** The records just saved that the backend has not acknowledged yet. */
	#waiting = new Set<string>();

	constructor(options: ConsentOptions) {
		this.options = options;
		this.t = widgetTranslator(options.locale);
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
		return this.phase === 'ready' && (!this.options.requireScroll || this.scrolledToEnd);
	}

	async load(): Promise<void> {
		this.phase = 'loading';
		this.error = undefined;
		try {
			const index = await this.#json<{ statements: IndexStatement[] }>(paths.index());
			this.#records = await this.options.log.all();
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
			this.statements = shown;
			this.#refreshAssociation();
			this.phase = 'ready';
		} catch (error) {
			this.#fail(error);
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
		const document = await this.#json<{ html: string; hash: string; url: string }>(published.json);
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
		this.#records = await this.options.log.all().catch(() => [...this.#records, ...saved]);
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
		const records = (await this.options.log.all()).filter((record) =>
			matchesFilter(record, {
				subject: this.options.subject,
				statementIds: this.options.statementIds,
				...(partner ? { partner } : {})
			})
		);
		return {
			subject: this.options.subject,
			statements: this.statements.map((s) => {
				const need = this.#need({ statementId: s.id, versions: s.versions, records });
				return {
					id: s.id,
					inForce: need.inForce,
					accepted: need.accepted,
					needed: need.needed,
					reason: need.reason
				};
			}),
			...(partner
				? (({ associated, since }) => ({ associated, since }))(
						associationStatus({ records, subject: this.options.subject, partner })
					)
				: {})
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

	async #json<T>(path: string): Promise<T> {
		const fetcher = this.options.fetch ?? globalThis.fetch.bind(globalThis);
		const url = new URL(path, this.options.base);
		let response: Response;
		try {
			response = await fetcher(url.href, { credentials: 'omit' });
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
