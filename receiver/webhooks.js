/**
 * Webhooks (SPEC section 9): each stored record, and each change of a subject's standing it
 * causes, is written to an outbox in the transaction that stores the record, and posted from
 * there to every configured URL, signed as the Standard Webhooks specification says
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`), retried with exponential backoff
 * until the endpoint answers 2xx or `maxAttempts` attempts have failed: then the delivery is
 * `failed` in the delivery log, until an operator sends it again (`redeliver`). The outbox is in
 * the database, so a receiver that stops mid-delivery delivers the rest when it starts again: at
 * least once, never blocking intake.
 */
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { associationStatus, lastAcceptance } from './core/status.js';
import { recordsOf } from './operator/standing.js';

/**
 * @typedef {import('./types.js').Database} Database
 * @typedef {import('./types.js').Queryable} Queryable
 * @typedef {import('./types.js').WebhookOptions} WebhookOptions
 * @typedef {{ record: Record<string, any>, text: string, receivedAt: string, receipt: object }} Stored
 */

/** Attempts before a delivery is given up (`failed`): about 20 hours of backoff at the defaults. */
export const DEFAULT_MAX_ATTEMPTS = 30;

/** Event types. */
export const RECORD_STORED = 'record.stored';
export const STANDING_CHANGED = 'standing.changed';

/**
 * @param {string} secret
 * @returns {Webhook}
 */
function signer(secret) {
	if (!/^whsec_[A-Za-z0-9+/=]+$/.test(secret)) {
		throw new Error(
			'The webhook secret (ASSENT_WEBHOOK_SECRET) must be in Standard Webhooks form "whsec_<base64>", e.g. "whsec_" followed by `openssl rand -base64 32`.'
		);
	}
	return new Webhook(secret);
}

/**
 * @param {string[]} urls
 */
function checkedUrls(urls) {
	if (urls.length === 0) throw new Error('ASSENT_WEBHOOK_URLS lists no URL.');
	for (const url of urls) {
		if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
			throw new Error(
				`The webhook URL "${url}" (ASSENT_WEBHOOK_URLS) is not an http(s) URL; list full URLs, comma-separated.`
			);
		}
	}
	return urls;
}

/**
 * The outbox and its deliverer.
 * @param {{ options: WebhookOptions | undefined, database: () => Database, log: (line: string) => void, now: () => Date }} setup
 */
export function webhookOutbox(setup) {
	const { options, log, now } = setup;
	const urls = options ? checkedUrls(options.urls) : [];
	const webhook = options ? signer(options.secret) : undefined;
	const retryMs = options?.retryMs ?? 5000;
	const maxRetryMs = options?.maxRetryMs ?? 3_600_000;
	const pollMs = options?.pollMs ?? 1000;
	const timeoutMs = options?.timeoutMs ?? 10_000;
	const maxAttempts = options?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
	if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
		throw new Error(
			`The webhook attempt limit (ASSENT_WEBHOOK_MAX_ATTEMPTS) must be a whole number of at least 1; got ${maxAttempts}.`
		);
	}
	const post = options?.fetch ?? globalThis.fetch;
	/** @type {ReturnType<typeof setTimeout> | undefined} */
	let timer;
	let running = false;
	let closed = false;
	/** @type {Promise<void> | undefined} */
	let round;
	const inFlight = new Set(/** @type {AbortController[]} */ ([]));

	/**
	 * Writes the events of `stored` (records this transaction inserted) into the outbox, in the
	 * same transaction.
	 * @param {Queryable} tx
	 * @param {Stored[]} stored
	 */
	async function enqueue(tx, stored) {
		if (!webhook || stored.length === 0) return;
		const createdAt = now().toISOString();
		/** @type {{ type: string, data: unknown }[]} */
		const events = stored.map(({ text, receivedAt, receipt }) => ({
			type: RECORD_STORED,
			data: { record: JSON.parse(text), receivedAt, receipt }
		}));
		events.push(...(await standingChanges(tx, stored)));
		/** @type {unknown[]} */
		const params = [];
		const values = events.map(({ type, data }) => {
			const id = `msg_${randomUUID()}`;
			const payload = JSON.stringify({ type, timestamp: createdAt, data });
			params.push(id, type, payload, createdAt);
			const n = params.length;
			return `($${n - 3}, $${n - 2}, $${n - 1}, $${n}::timestamptz)`;
		});
		const { rows } = await tx.query(
			`insert into assent_webhook_events (id, type, payload, created_at) values ${values.join(', ')} returning id`,
			params
		);
		await tx.query(
			`insert into assent_webhook_deliveries (event_id, url, next_attempt_at)
			select e, u, $3::timestamptz from unnest($1::text[]) e cross join unnest($2::text[]) u`,
			[rows.map((r) => r.id), urls, createdAt]
		);
	}

	/**
	 * Deliveries that are due, claimed for one attempt: their next attempt is moved past the
	 * attempt's timeout, so another instance (or this one after a crash) tries again only then.
	 */
	async function claim() {
		const at = now();
		const { rows } = await setup.database().query(
			`update assent_webhook_deliveries d set next_attempt_at = $2::timestamptz
			from assent_webhook_events e
			where e.id = d.event_id and (d.event_id, d.url) in (
				select event_id, url from assent_webhook_deliveries
				where status = 'pending' and next_attempt_at <= $1::timestamptz
				order by next_attempt_at limit 20 for update skip locked)
			returning d.event_id, d.url, d.attempts, e.payload`,
			[at.toISOString(), new Date(at.getTime() + 2 * timeoutMs).toISOString()]
		);
		return rows;
	}

	/**
	 * @param {{ event_id: string, url: string, attempts: number, payload: string }} row
	 */
	async function attempt(row) {
		const controller = new AbortController();
		inFlight.add(controller);
		const timeout = setTimeout(() => controller.abort(new Error('no answer in time')), timeoutMs);
		const sentAt = now();
		/** @type {number | null} */
		let status = null;
		/** @type {string | null} */
		let error = null;
		try {
			const response = await post(row.url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'webhook-id': row.event_id,
					'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
					'webhook-signature': /** @type {Webhook} */ (webhook).sign(
						row.event_id,
						sentAt,
						row.payload
					)
				},
				body: row.payload,
				signal: controller.signal
			});
			status = response.status;
			await response.body?.cancel().catch(() => undefined);
			if (!response.ok) error = `HTTP ${response.status}`;
		} catch (e) {
			error = /** @type {Error} */ (controller.signal.reason ?? e).message ?? String(e);
		} finally {
			clearTimeout(timeout);
			inFlight.delete(controller);
		}
		const attempts = Number(row.attempts) + 1;
		const delay = Math.min(maxRetryMs, retryMs * 2 ** (attempts - 1)) * (0.75 + Math.random() / 4);
		await setup
			.database()
			.query(
				`update assent_webhook_deliveries set attempts = $3::integer, last_attempt_at = $4::timestamptz,
				last_status = $5, last_error = coalesce($6, last_error),
				status = case when $6::text is null then 'delivered' when $3::integer >= $8::integer then 'failed' else 'pending' end,
				delivered_at = case when $6::text is null then $4::timestamptz end,
				next_attempt_at = case when $6::text is null then next_attempt_at else $7::timestamptz end
				where event_id = $1 and url = $2`,
				[
					row.event_id,
					row.url,
					attempts,
					sentAt.toISOString(),
					status,
					error,
					new Date(now().getTime() + delay).toISOString(),
					maxAttempts
				]
			)
			.catch((/** @type {Error} */ e) =>
				log(
					`receiver: webhook ${row.event_id} to ${row.url}: cannot record the attempt (${e.message})`
				)
			);
		if (error) {
			log(
				`receiver: webhook ${row.event_id} to ${row.url} failed (attempt ${attempts}${attempts >= maxAttempts ? `, the last: given up until an operator sends it again` : ''}): ${error}`
			);
		}
	}

	async function deliverDue() {
		if (closed) return;
		const rows = await claim();
		await Promise.all(rows.map((row) => attempt(/** @type {any} */ (row))));
		if (rows.length > 0 && !closed) return deliverDue();
	}

	function schedule(/** @type {number} */ ms) {
		if (closed || !webhook) return;
		clearTimeout(timer);
		timer = setTimeout(tick, ms);
		timer.unref?.();
	}

	function tick() {
		if (running || closed) return;
		running = true;
		round = deliverDue()
			.catch((/** @type {Error} */ e) => log(`receiver: webhook delivery: ${e.message}`))
			.finally(() => {
				running = false;
				schedule(pollMs);
			});
	}

	return {
		enabled: !!webhook,
		enqueue,
		/** Starts delivering what the outbox holds (after a restart, too). */
		start: () => schedule(0),
		/** Looks at the outbox now: records were just stored. */
		wake: () => {
			if (!running) schedule(0);
		},
		/** Stops: attempts in flight are cut off and recorded as failed, to be tried again. */
		async close() {
			closed = true;
			clearTimeout(timer);
			for (const controller of inFlight) controller.abort(new Error('the receiver stopped'));
			await round?.catch(() => undefined);
		}
	};
}

/**
 * The changes of standing that the newly stored records cause: for each subject, statement and
 * partner they name, the version last accepted (and its record), and for a partner whether the
 * subject is associated, before and after, by the widget's own rules (`core/status.js`).
 * @param {Queryable} tx
 * @param {Stored[]} stored
 */
async function standingChanges(tx, stored) {
	const subjects = [...new Set(stored.map((s) => String(s.record.subject)))];
	// Only what the rules read, as the operator's API does.
	const after = await recordsOf({ database: tx, subjects });
	const fresh = new Set(stored.map((s) => s.record.id));
	/** @type {{ type: string, data: unknown }[]} */
	const events = [];
	const seen = new Set();
	for (const { record } of stored) {
		const key = JSON.stringify([record.subject, record.statement.id, record.partner]);
		if (seen.has(key)) continue;
		seen.add(key);
		const all = after.get(record.subject) ?? [];
		const before = all.filter((r) => !fresh.has(r.id));
		const of = (/** @type {any[]} */ records) => standingOf(records, record);
		const was = of(before);
		const is = of(all);
		if (JSON.stringify(was) !== JSON.stringify(is)) {
			events.push({
				type: STANDING_CHANGED,
				data: {
					subject: record.subject,
					statement: record.statement.id,
					partner: record.partner ?? null,
					before: was,
					after: is
				}
			});
		}
	}
	return events;
}

/**
 * @param {any[]} records
 * @param {Record<string, any>} record  names the subject, statement and partner
 */
function standingOf(records, record) {
	const subject = record.subject;
	const statementId = record.statement.id;
	const last = lastAcceptance({ records, subject, statementId });
	/** @type {Record<string, unknown>} */
	const standing = {
		accepted: last ? { version: last.statement.version, record: last.id } : null
	};
	if (record.partner) {
		const forPartner = lastAcceptance({ records, subject, statementId, partner: record.partner });
		const association = associationStatus({ records, subject, partner: record.partner });
		standing.acceptedForPartner = forPartner
			? { version: forPartner.statement.version, record: forPartner.id }
			: null;
		standing.association = association.record
			? {
					state: association.associated ? 'associated' : 'disassociated',
					since: association.since,
					version: association.record.statement.version,
					record: association.record.id
				}
			: { state: 'never' };
	}
	return standing;
}

/**
 * Sends deliveries that were given up (`failed`) again: each goes back to `pending`, due now,
 * with a fresh run of attempts; its earlier attempts stay in `lastError` and `lastStatus`.
 * Without `event`, every failed delivery; with it, that event's (and only `url`'s, if given).
 * Answers how many deliveries are pending again.
 * @param {{ database: Database, now?: Date, event?: string, url?: string }} options
 */
export async function redeliver(options) {
	const at = (options.now ?? new Date()).toISOString();
	const { rows } = await options.database.query(
		`update assent_webhook_deliveries set status = 'pending', attempts = 0, next_attempt_at = $1::timestamptz
		where status = 'failed' and ($2::text is null or event_id = $2) and ($3::text is null or url = $3)
		returning event_id`,
		[at, options.event ?? null, options.url ?? null]
	);
	return rows.length;
}

/**
 * @typedef {'pending' | 'delivered' | 'failed'} DeliveryStatus
 */

/** The states of a delivery, as the log's `status` gives them. */
export const DELIVERY_STATUSES = /** @type {const} */ (['pending', 'delivered', 'failed']);

/**
 * The cursor after one delivery of the log: its event's place in the outbox and its URL, as
 * base64url JSON, opaque to the client.
 * @param {string} position
 * @param {string} url
 */
export function deliveryCursor(position, url) {
	return Buffer.from(JSON.stringify([position, url])).toString('base64url');
}

/**
 * The delivery a cursor of `deliveryCursor` names, or a message saying why it cannot be read.
 * @param {string} text
 * @returns {{ position: string, url: string } | { error: string }}
 */
export function parseDeliveryCursor(text) {
	if (/^\d{1,18}$/.test(text)) {
		return {
			error:
				'"cursor" names an event only, as receivers before this one gave it; the log is now paged one delivery at a time. Read the log again from its first page (no cursor) and pass each "next" unchanged.'
		};
	}
	try {
		const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
		if (
			Array.isArray(value) &&
			value.length === 2 &&
			typeof value[0] === 'string' &&
			/^\d{1,18}$/.test(value[0]) &&
			typeof value[1] === 'string'
		) {
			return { position: value[0], url: value[1] };
		}
	} catch {
		// Not base64url JSON: refused below.
	}
	return { error: '"cursor" is not one this receiver gave: pass "next" unchanged.' };
}

/**
 * One page of the delivery log, newest event first and, within an event, by URL; each row
 * names what its event is about: the subject and statement, and for `record.stored` the
 * record. `after` is the `next` of the previous page (see `deliveryCursor`): the page starts
 * at the delivery after the one it names, so an event's deliveries may span pages and each is
 * listed once. With `status`, only the deliveries in that state.
 * @param {{ database: Database, limit: number, after?: { position: string, url: string }, status?: DeliveryStatus }} options
 */
export async function readDeliveries(options) {
	const { after, status } = options;
	/** @type {unknown[]} */
	const params = [options.limit + 1];
	const where = [];
	if (after) {
		params.push(after.position, after.url);
		where.push('(e.position < $2::bigint or (e.position = $2::bigint and d.url > $3))');
	}
	if (status) {
		params.push(status);
		where.push(`d.status = $${params.length}`);
	}
	const { rows } = await options.database.query(
		`select e.position::text as position, e.id, e.type, e.created_at, d.url, d.status, d.attempts,
			d.last_attempt_at, d.last_status, d.last_error, d.delivered_at, d.next_attempt_at,
			coalesce(p.data->'record'->>'subject', p.data->>'subject') as subject,
			coalesce(p.data->'record'->'statement'->>'id', p.data->>'statement') as statement,
			p.data->'record'->>'id' as record
		from assent_webhook_events e join assent_webhook_deliveries d on d.event_id = e.id
		cross join lateral (select e.payload::jsonb->'data' as data) p
		where ${where.length > 0 ? where.join(' and ') : 'true'}
		order by e.position desc, d.url
		limit $1`,
		params
	);
	const iso = (/** @type {unknown} */ v) =>
		v ? new Date(/** @type {any} */ (v)).toISOString() : null;
	const page = rows.slice(0, options.limit);
	const last = page.at(-1);
	return {
		deliveries: page.map((r) => ({
			event: r.id,
			type: r.type,
			subject: r.subject,
			statement: r.statement,
			record: r.record,
			createdAt: iso(r.created_at),
			url: r.url,
			status: r.status,
			attempts: Number(r.attempts),
			lastAttemptAt: iso(r.last_attempt_at),
			lastStatus: r.last_status === null ? null : Number(r.last_status),
			lastError: r.last_error,
			deliveredAt: iso(r.delivered_at),
			nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null
		})),
		next:
			rows.length > options.limit && last
				? deliveryCursor(String(last.position), String(last.url))
				: undefined
	};
}
