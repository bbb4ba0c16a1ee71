/**
 * What ties a record to the request that brought it and to what the statements site publishes,
 * beyond its shape and digest (`records.js`) and its statement hash (`statements.js`): the
 * partner it names is in the site's registry, the version it answered was in force when it was
 * made, its time is neither in the future nor before the version, its id was made at that time,
 * its JSON names no key twice, and the page that sent it is where its presentation says the
 * customer was.
 */
import { duplicateKey } from './records.js';
import { partnersDocument, partnersSource } from './site-documents.js';

/** How far a record's `at` may be ahead of the receiver's clock, by default. */
export const DEFAULT_SKEW_SECONDS = 300;
/** How far a record's UUIDv7 time may be from its `at`: both come from one clock reading. */
export const ID_TIME_SKEW_MS = 2000;

/**
 * @typedef {{ id: string, name?: string, origins: string[] }} Partner
 * @typedef {{ reason: string, retryable: boolean }} Refusal
 */

export { partnersSource };

/**
 * The partner registry the statements site publishes at `/partners.json` (SPEC section 4),
 * read again (at most every `refreshSeconds`) when a record names a partner not seen yet.
 * `document`: the site's `/partners.json` as the receiver reads it for every caller
 * (`partnersDocument`); one is made from the other options when it is not given.
 * @param {{ site: string, refreshSeconds?: number, fetch?: typeof fetch, now?: () => number, document?: import('./site-documents.js').SiteDocument }} options
 */
export function publishedPartners(options) {
	const document = options.document ?? partnersDocument(options);
	const { source } = document;
	const read = document.view((text) => parsePartners({ text, source }));

	return {
		source,
		load: document.load,
		/**
		 * @param {string} id
		 * @returns {Promise<{ partner: Partner } | { partner: undefined, error?: string }>}
		 */
		async lookup(id) {
			if (!read.value()?.has(id)) await document.refresh();
			const partner = read.value()?.get(id);
			if (partner) return { partner };
			const error = read.error();
			return error !== undefined ? { partner: undefined, error } : { partner: undefined };
		}
	};
}

/**
 * @param {{ text: string, source: string }} options
 * @returns {Map<string, Partner>}
 */
export function parsePartners(options) {
	const bad = (/** @type {string} */ detail) =>
		new Error(
			`The partner registry ${options.source} is not Assent's partners.json (${detail}); expected { "partners": [{ "id", "origins": ["https://…"] }] }.`
		);
	/** @type {unknown} */
	let registry;
	try {
		registry = JSON.parse(options.text);
	} catch (error) {
		throw bad(/** @type {Error} */ (error).message);
	}
	const list = /** @type {{ partners?: unknown }} */ (registry)?.partners;
	if (!Array.isArray(list)) throw bad('no "partners" list');
	/** @type {Map<string, Partner>} */
	const partners = new Map();
	for (const partner of list) {
		if (
			typeof partner?.id !== 'string' ||
			!Array.isArray(partner.origins) ||
			!partner.origins.every((/** @type {unknown} */ o) => typeof o === 'string')
		) {
			throw bad('a partner without "id" and "origins"');
		}
		partners.set(partner.id, { id: partner.id, name: partner.name, origins: partner.origins });
	}
	return partners;
}

/**
 * The checks, for one receiver.
 * @param {{
 *   partners: ReturnType<typeof publishedPartners>,
 *   statements: { effective(statement: { id: string, version: string }): string | undefined },
 *   siteOrigin?: string,
 *   skewSeconds?: number,
 *   now?: () => Date
 * }} options
 *   `siteOrigin`: the statements site's origin, where iframe records are sent from. @default the
 *   origin of each record's `statement.url`; `skewSeconds`: how far ahead of the receiver's clock
 *   a record's time may be. @default 300
 */
export function intakeChecks(options) {
	const skewMs = (options.skewSeconds ?? DEFAULT_SKEW_SECONDS) * 1000;
	const now = options.now ?? (() => new Date());

	/**
	 * Why the record is refused, or undefined. `record` passed `checkRecord` and the hash check.
	 * @param {{ record: Record<string, any>, text: string | undefined, origin: string | undefined }} request
	 *   `text`: the record's JSON as sent; `origin`: the request's `Origin` header, undefined for
	 *   requests without one (servers forwarding records)
	 * @returns {Promise<Refusal | undefined>}
	 */
	return async function check(request) {
		const { record, text, origin } = request;
		const never = (/** @type {string} */ reason) => ({ reason, retryable: false });
		const repeated = text === undefined ? undefined : duplicateKey(text);
		if (repeated !== undefined) {
			return never(
				`The record's JSON names "${repeated}" twice; JSON readers disagree about which one counts, so it is refused.`
			);
		}

		const at = Date.parse(record.at);
		const clock = now().getTime();
		if (at > clock + skewMs) {
			return never(
				`"at" is ${record.at}, later than the receiver's clock (${new Date(clock).toISOString()}) by more than ${skewMs / 1000} s: the browser's clock is wrong.`
			);
		}
		const { statement } = record;
		const effective = options.statements.effective(statement);
		// Without a published date (an older index), the earliest time a record could be made.
		const inForce = Date.parse(
			effective ? `${effective}T00:00:00.000Z` : '2000-01-01T00:00:00.000Z'
		);
		if (at + skewMs < inForce) {
			return never(
				effective
					? `${statement.id} ${statement.version} comes into force on ${effective}; a record made at ${record.at} answered a version that was only announced.`
					: `"at" is ${record.at}, before any Assent record could be made.`
			);
		}

		const idTime = parseInt(record.id.slice(0, 8) + record.id.slice(9, 13), 16);
		// An id is never made before its record's time; it may carry a later time than `at` when the
		// browser's clock went back, since ids made by one browser keep their order (the id keeps
		// the newest time it has seen). Beyond the clock skew allowed for `at`, that is not a clock.
		if (idTime < at - ID_TIME_SKEW_MS || idTime > at + skewMs) {
			return never(
				`"id" ${record.id} was made at ${new Date(idTime).toISOString()}, not at the record's "at" ${record.at}: a record's UUIDv7 carries its own time.`
			);
		}

		/** @type {Partner | undefined} */
		let partner;
		if (record.partner !== null) {
			const found = await options.partners.lookup(record.partner);
			if (!found.partner) {
				return {
					reason: found.error
						? `The partner registry cannot be read now: ${found.error}`
						: `Partner "${record.partner}" is not in the statements site's partner registry (${options.partners.source}); if it was just added, the record is accepted once the site is rebuilt.`,
					retryable: true
				};
			}
			partner = found.partner;
		}

		const { embed, origin: shownOn, visible } = record.presentation;
		if (embed === 'inline' && visible === true) {
			return never(
				'The record says it was made inline and seen by the customer, but an inline widget runs on the partner page and cannot tell whether it was visible: Assent writes "unknown" there.'
			);
		}
		if (
			partner &&
			(embed === 'iframe' || embed === 'inline') &&
			!partner.origins.includes(shownOn)
		) {
			return never(
				`"presentation.origin" ${shownOn} is not among the origins of partner "${partner.id}" (${partner.origins.join(', ')}): the widget is not shown for that partner there.`
			);
		}
		if (origin === undefined) return undefined;
		const site = options.siteOrigin ?? new URL(statement.url).origin;
		if (embed === 'iframe' && origin !== site) {
			return never(
				`The record says it was made in the widget's frame, which sends from the statements site (${site}), but it was sent from ${origin}.`
			);
		}
		if (embed === 'inline' && origin !== shownOn) {
			return never(
				`The record says it was made inline on ${shownOn}, but it was sent from ${origin}; an inline widget sends from the page it is on.`
			);
		}
		if (embed === 'page' && (origin !== site || shownOn !== site)) {
			return never(
				`The record says it was made on a page of the statements site (${site}), but it was shown on ${shownOn} and sent from ${origin}.`
			);
		}
		return undefined;
	};
}
