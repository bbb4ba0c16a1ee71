/**
 * The intake of a batch, apart from any transport: each record is checked (shape and digest,
 * the published statement hash, the intake checks of `intake.js`, the subject token, the
 * operator's policy), the good ones are stored once by id in one transaction with a signed
 * receipt, each subject's kept standing and the webhook outbox, and every record gets its
 * outcome. A batch is written whole or not at all. Receipts are signed (`signer.js`) while the
 * rest of the batch is checked and the transaction begins, and given out only after it commits.
 */
import { countsUpsert } from './counts.js';
import { recordsOf } from './operator/standing.js';
import { lockSubjects, oneStatement, standingUpserts, standingsOf } from './operator/standings.js';
import { checkRecord } from './records.js';
import { batchSigner } from './signer.js';

/**
 * @typedef {import('./types.js').Accepted} Accepted
 * @typedef {import('./types.js').Rejected} Rejected
 * @typedef {import('./types.js').Receipt} Receipt
 * @typedef {import('./types.js').Database} Database
 * @typedef {import('./operator/standings.js').Upsert} Upsert
 */

/**
 * @param {{
 *   key: import('./types.js').SigningKey,
 *   statements: ReturnType<typeof import('./statements.js').publishedStatements>,
 *   intake: ReturnType<typeof import('./intake.js').intakeChecks>,
 *   subjects: ReturnType<typeof import('./subjects.js').subjectChecks>,
 *   policy?: import('./types.js').ReceiverOptions['policy'],
 *   webhooks?: ReturnType<typeof import('./webhooks.js').webhookOutbox>,
 *   database: () => Database,
 *   now: () => Date,
 *   log: (line: string) => void
 * }} options
 */
export function batchIntake(options) {
	const { key, statements, intake, subjects, now, log } = options;

	/**
	 * Checks every record, then stores the good ones in one transaction: a batch is written
	 * whole or not at all, and a failure answers 500 so the browser sends it all again.
	 * @param {{ records: unknown[], texts: string[] | undefined, origin: string | undefined, relayed?: boolean }} batch
	 *   `relayed`: the sender did not build these records and cannot vouch for them (a widget frame
	 *   sending what the partner page stored for it): they are stored and receipted as relayed
	 * @returns {Promise<{ accepted: Accepted[], rejected: Rejected[] }>}
	 */
	async function receive(batch) {
		const receivedAt = now().toISOString();
		/** @type {(Accepted | Rejected)[]} */
		const outcomes = [];
		/** @type {{ index: number, record: Record<string, any>, digest: string, text: string, vouch: import('./subjects.js').Vouch }[]} */
		const good = [];
		/** @type {{ index: number, id: string, digest: string, reason: string }[]} */
		const unvouched = [];
		const vouching = subjects.batch();
		const signer = batchSigner({ key, size: batch.records.length });
		for (const [index, record] of batch.records.entries()) {
			const r = /** @type {Record<string, any>} */ (record);
			const id = typeof r?.id === 'string' ? r.id : '';
			const refuse = (/** @type {string} */ reason, retryable = false) =>
				(outcomes[index] = { id, reason, retryable });
			const checked = checkRecord({ record });
			if (!checked.ok) {
				refuse(id ? checked.reason : `Record ${index + 1} of the batch: ${checked.reason}`);
				continue;
			}
			const { statement } = r;
			const published = await statements.lookup(statement);
			if (published.hash === undefined) {
				refuse(
					published.error
						? `The statement hash cannot be checked now: ${published.error}`
						: `${statement.id} ${statement.version} (${statement.locale}) is not published on ${statements.source}; if it was just published, the record is accepted once the site is rebuilt.`,
					true
				);
				continue;
			}
			if (published.hash !== statement.hash) {
				refuse(
					`statement.hash ${statement.hash} is not the published hash of ${statement.id} ${statement.version} (${statement.locale}), which is ${published.hash}.`
				);
				continue;
			}
			const problem = await intake({ record: r, text: batch.texts?.[index], origin: batch.origin });
			if (problem) {
				refuse(problem.reason, problem.retryable);
				continue;
			}
			const vouched = await vouching.check(r);
			if ('refusal' in vouched) {
				refuse(vouched.refusal.reason, vouched.refusal.retryable);
				if (!vouched.refusal.retryable) {
					unvouched.push({ index, id, digest: checked.digest, reason: vouched.refusal.reason });
				}
				continue;
			}
			const refusal = await options.policy?.({ record: r });
			if (refusal) {
				refuse(refusal.reason, refusal.retryable === true);
				continue;
			}
			const text = batch.texts?.[index] ?? JSON.stringify(record);
			good.push({ index, record: r, digest: checked.digest, text, vouch: vouched.vouch });
			signer.add({
				id,
				digest: checked.digest,
				receivedAt,
				...(vouched.vouch.verified ? {} : { subject: /** @type {const} */ ('unverified') }),
				...(batch.relayed === true ? { relayed: /** @type {const} */ (true) } : {})
			});
		}
		// One receipt per good record, in order; a record stored before keeps its first one.
		const signed = signer.receipts();
		// Signed receipts that are not needed (nothing stored) must not fail unawaited.
		signed.catch(() => undefined);
		// A record stored before keeps its receipt when it is sent again, even if its token would
		// not verify now (a key removed since, a stricter policy): what is stored stays valid.
		for (const [id, row] of await storedRows(unvouched.map((u) => u.id))) {
			for (const u of unvouched) {
				if (u.id === id && row.digest === u.digest) {
					outcomes[u.index] = { id, receivedAt: row.receipt.receivedAt, receipt: row.receipt };
				}
			}
		}

		const { held, refused } = await store({
			records: good,
			receipts: signed,
			relayed: batch.relayed === true
		});
		for (const { index, record, digest } of good) {
			const refusal = refused.get(record.id);
			if (refusal !== undefined) {
				outcomes[index] = { id: record.id, reason: refusal, retryable: false };
				continue;
			}
			const row = /** @type {{ digest: string, receipt: Receipt }} */ (held.get(record.id));
			outcomes[index] =
				row.digest === digest
					? { id: record.id, receivedAt: row.receipt.receivedAt, receipt: row.receipt }
					: {
							id: record.id,
							reason: `A different record with this id (digest ${row.digest}) was received before; a record id is never reused.`,
							retryable: false
						};
		}
		return {
			accepted: /** @type {Accepted[]} */ (outcomes.filter((o) => !('reason' in o))),
			rejected: /** @type {Rejected[]} */ (outcomes.filter((o) => 'reason' in o))
		};
	}

	/**
	 * The stored digest and receipt of each of `ids` that is stored.
	 * @param {string[]} ids
	 * @returns {Promise<Map<string, { digest: string, receipt: Receipt }>>}
	 */
	async function storedRows(ids) {
		const rows = new Map();
		if (ids.length === 0) return rows;
		const { rows: found } = await options
			.database()
			.query(
				'select id::text as id, digest, receipt::text as receipt from assent_records where id = any($1::text[]::uuid[])',
				[ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id))]
			);
		for (const row of found) {
			rows.set(String(row.id), {
				digest: String(row.digest),
				receipt: receiptInOrder(JSON.parse(String(row.receipt)))
			});
		}
		return rows;
	}

	/**
	 * Inserts the records not stored yet and reads back what is stored under each id, in one
	 * transaction. A resent record finds its first row, so it keeps its first receipt.
	 * @param {{ records: { record: Record<string, any>, digest: string, text: string, vouch: import('./subjects.js').Vouch }[], receipts: Promise<Receipt[]>, relayed: boolean }} options
	 *   `receipts`: each record's, in the same order
	 * @returns {Promise<{ held: Map<string, { digest: string, receipt: Receipt }>, refused: Map<string, string> }>}
	 *   `refused`: records the database would not take, with the reason
	 */
	async function store({ records, receipts, relayed }) {
		/** @type {Map<string, { digest: string, receipt: Receipt }>} */
		const held = new Map();
		/** @type {Map<string, string>} */
		const refused = new Map();
		if (records.length === 0) return { held, refused };
		// The first of two records with one id in a batch is the one stored.
		/** @type {Map<string, (typeof records)[number] & { n: number }>} */
		const firsts = new Map();
		for (const [n, r] of records.entries()) {
			if (!firsts.has(r.record.id)) firsts.set(r.record.id, { ...r, n });
		}
		// In id order: two batches holding the same ids then lock them in the same order, and
		// wait for each other instead of deadlocking.
		const sorted = [...firsts.values()].sort((a, b) =>
			a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0
		);
		/** @type {{ record: Record<string, any>, digest: string, text: string, receipt: Receipt, vouch: import('./subjects.js').Vouch, relayed: boolean }[]} */
		let rows = [];
		const signed = receipts.then((all) => {
			rows = sorted.map(({ record, digest, text, vouch, n }) => ({
				record,
				digest,
				text,
				receipt: /** @type {Receipt} */ (all[n]),
				vouch,
				relayed
			}));
		});
		/**
		 * Inserts `rows`: in one statement, or, `alone`, each under a savepoint of its own, so
		 * one the database refuses is set apart in `refused` and the others are stored.
		 * @param {import('./types.js').Queryable} tx
		 * @param {boolean} alone
		 */
		const insert = async (tx, alone) => {
			if (!alone) return tx.query(INSERT_SQL, columns(rows));
			/** @type {{ rows: Record<string, unknown>[] }} */
			const inserted = { rows: [] };
			for (const row of rows) {
				await tx.query('savepoint assent_record');
				try {
					const one = await tx.query(INSERT_SQL, columns([row]));
					inserted.rows.push(...one.rows);
					await tx.query('release savepoint assent_record');
				} catch (error) {
					if (!refusedByDatabase(error)) throw error;
					await tx.query('rollback to savepoint assent_record');
					const message = /** @type {Error} */ (error).message;
					log(`receiver: the database refused record ${row.record.id}: ${message}`);
					refused.set(
						row.record.id,
						`The receiver's database cannot store this record (${message}); it is refused for good.`
					);
				}
			}
			return inserted;
		};
		const work = (/** @type {boolean} */ alone) =>
			options.database().transaction(async (tx) => {
				held.clear();
				refused.clear();
				// Two batches for one subject take turns, so each sees the other's records when it
				// decides the subject's standing.
				const subjects = [...new Set(sorted.map((row) => String(row.record.subject)))];
				await lockSubjects(tx, subjects);
				// What the subjects' records were before this batch: read under the lock, while the
				// last receipts are still being signed.
				const before = await recordsOf({ database: tx, subjects });
				// The receipts were signed while the batch was checked and the lock was taken.
				await signed;
				const inserted = await insert(tx, alone);
				const insertedIds = new Set(inserted.rows.map((row) => row.id));
				for (const row of rows) {
					if (insertedIds.has(row.record.id)) {
						held.set(row.record.id, { digest: row.digest, receipt: row.receipt });
					}
				}
				// Only records stored now change a standing or make a webhook event; a resent one
				// did both the first time.
				const fresh = rows.filter((row) => insertedIds.has(row.record.id));
				const known = rows
					.map((row) => row.record.id)
					.filter((id) => !insertedIds.has(id) && !refused.has(id));
				if (known.length > 0) {
					const existing = await tx.query(
						'select id::text as id, digest, receipt::text as receipt from assent_records where id = any($1::text[]::uuid[])',
						[known]
					);
					for (const row of existing.rows) {
						held.set(String(row.id), {
							digest: String(row.digest),
							receipt: receiptInOrder(JSON.parse(String(row.receipt)))
						});
					}
				}
				await options.webhooks?.enqueue(
					tx,
					fresh.map((row) => ({
						record: row.record,
						text: row.text,
						receivedAt: row.receipt.receivedAt,
						receipt: row.receipt
					}))
				);
				// Each subject's standing from its records before and those stored now, and the
				// counts, in one statement. Last before commit: every batch of the day adds to the same
				// count rows, so concurrent batches wait for each other there as short a time as
				// possible.
				/** @type {Map<string, any[]>} */
				const bySubject = new Map();
				for (const row of fresh) {
					const subject = String(row.record.subject);
					if (!bySubject.has(subject)) bySubject.set(subject, [...(before.get(subject) ?? [])]);
					bySubject.get(subject)?.push(ruleFields(row.record));
				}
				const upserts = [
					...standingUpserts(
						standingsOf(bySubject, {
							statements: new Set(fresh.map((row) => String(row.record.statement.id))),
							partners: new Set(fresh.map((row) => String(row.record.partner)))
						})
					),
					...(fresh.length > 0 ? [/** @type {Upsert} */ (countsUpsert(fresh))] : [])
				];
				if (upserts.length > 0) await tx.query(...oneStatement(upserts));
			});
		try {
			await work(false);
		} catch (error) {
			// The data itself was refused (the whole statement rolled back): once more, one record
			// at a time. Only then, so a batch that goes in costs no savepoints.
			if (!refusedByDatabase(error)) throw error;
			await work(true);
		}
		options.webhooks?.wake();
		return { held, refused };
	}

	return { receive };
}

/**
 * The insert of a batch's rows, one array per column (`columns`), in one statement whatever the
 * batch's size; records already held are left as they are.
 */
export const INSERT_SQL = `insert into assent_records (id, digest, raw, record, action, subject, partner,
		statement_id, statement_version, statement_locale, statement_hash, at, received_at, receipt,
		subject_verified, subject_issuer, subject_kid, relayed)
	select id, digest, raw, raw::jsonb, action, subject, partner, statement_id, statement_version,
		statement_locale, statement_hash, at, received_at, receipt::jsonb, subject_verified,
		subject_issuer, subject_kid, relayed
	from unnest($1::text[]::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
		$7::text[], $8::text[], $9::text[], $10::text[], $11::text[]::timestamptz[],
		$12::text[]::timestamptz[], $13::text[], $14::text[]::boolean[], $15::text[], $16::text[],
		$17::text[]::boolean[])
		as t(id, digest, raw, action, subject, partner, statement_id, statement_version,
			statement_locale, statement_hash, at, received_at, receipt, subject_verified,
			subject_issuer, subject_kid, relayed)
	on conflict (id) do nothing
	returning id::text as id`;

/**
 * The parameters of `INSERT_SQL`: one array per column, the rows in order.
 * @param {{ record: Record<string, any>, digest: string, text: string, receipt: Receipt, vouch: import('./subjects.js').Vouch, relayed: boolean }[]} rows
 */
export function columns(rows) {
	/** @type {(string | null)[][]} */
	const out = Array.from({ length: 17 }, () => []);
	for (const { record, digest, text, receipt, vouch, relayed } of rows) {
		const s = record.statement;
		const values = [
			record.id,
			digest,
			text,
			record.action,
			record.subject,
			record.partner,
			s.id,
			s.version,
			s.locale,
			s.hash,
			record.at,
			receipt.receivedAt,
			JSON.stringify(receipt),
			vouch.verified ? 'true' : 'false',
			vouch.verified ? vouch.issuer : null,
			vouch.verified ? vouch.kid : null,
			relayed ? 'true' : 'false'
		];
		for (const [i, value] of values.entries())
			/** @type {(string | null)[]} */ (out[i]).push(value);
	}
	return out;
}

/**
 * The fields of a record that the standing rules read, as `recordsOf` reads them from the
 * database.
 * @param {Record<string, any>} record
 */
function ruleFields(record) {
	return {
		id: record.id,
		action: record.action,
		subject: record.subject,
		partner: record.partner,
		at: record.at,
		seq: Number(record.seq),
		statement: { id: record.statement.id, version: record.statement.version }
	};
}

/**
 * Whether PostgreSQL refused the data itself (SQLSTATE classes 22 data exception, 23 integrity
 * constraint, 54 program limit such as an index row too large): the same record would be
 * refused again. Anything else (connection lost, disk full, a deadlock) fails the request, which
 * the browser sends again.
 * @param {unknown} error
 */
function refusedByDatabase(error) {
	const code = /** @type {{ code?: unknown }} */ (error)?.code;
	return typeof code === 'string' && /^(22|23|54)/.test(code);
}

/**
 * A stored receipt with its fields in the order it was first sent (jsonb keeps its own order),
 * so a resent record gets the same text, not only the same data.
 * @param {Receipt} stored
 * @returns {Receipt}
 */
function receiptInOrder(stored) {
	const { schema, alg, kid, id, digest, receivedAt, subject, relayed, signature, ...rest } = stored;
	return {
		schema,
		alg,
		kid,
		id,
		digest,
		receivedAt,
		...(subject !== undefined ? { subject } : {}),
		...(relayed !== undefined ? { relayed } : {}),
		...rest,
		signature
	};
}
