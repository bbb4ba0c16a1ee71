/**
 * The record builder: an act, the chain head and the clock in, a complete record with its
 * digest out.
 */
import { recordDigest } from './digest';
import { AssentError } from './errors';
import type { AcceptanceRecord, Act, UnsignedRecord } from './record';
import { RECORD_SCHEMA } from './record';
import { actProblem, isMatch, isSequenceNumber, shown, type RecordProblem } from './record-check';
import { isUuidV7, uuidv7 } from './uuid';

/** The head of the chain a new record extends. */
export interface ChainHead {
	/** The previous record's digest. */
	digest: string;
	/** The previous record's sequence number. */
	seq: number;
}

export interface BuildRecordOptions {
	/** What the customer did. Checked strictly: a bad field throws `AssentError` `record/invalid`. */
	act: Act;
	/** The newest record of this browser, or `null` for its first record. */
	prev: ChainHead | null;
	/** The instant of the act. @default new Date() */
	now?: Date;
	/** The record id, for imports and tests; must be a UUIDv7. @default uuidv7(now) */
	id?: string;
}

/**
 * Builds the record of an act: fills `schema`, `id`, `at`, `seq` and `prev`, then the digest.
 * Pure apart from the clock and WebCrypto; storing the record is the caller's job.
 *
 * Throws `AssentError` (`record/invalid`) naming the first bad field and how to fix it, and
 * `record/no-crypto` where WebCrypto is missing.
 */
export async function buildRecord(options: BuildRecordOptions): Promise<AcceptanceRecord> {
	const problem = actProblem(options.act);
	if (problem) throw invalid(problem, { within: 'act' });
	const { act, prev } = options;

	if (prev !== null) {
		if (typeof prev !== 'object' || !isMatch(String(prev.digest), 'sha256')) {
			throw invalid({
				field: 'prev.digest',
				message: `expected the previous record's digest ("sha256:" and 64 lowercase hex digits), or prev: null for the first record; got ${shown(prev?.digest)}.`
			});
		}
		if (!isSequenceNumber(prev.seq)) {
			throw invalid({
				field: 'prev.seq',
				message: `expected the previous record's seq, an integer of at least 1; got ${shown(prev.seq)}.`
			});
		}
	}

	const now = options.now ?? new Date();
	const time = now instanceof Date ? now.getTime() : NaN;
	// From 1970 because a UUIDv7 cannot hold earlier times; to 9999 because later years would
	// make toISOString() write six digits with a sign.
	const at = time >= 0 ? now.toISOString() : '';
	if (!isMatch(at, 'at')) {
		throw invalid({
			field: 'now',
			message: 'expected a valid Date between the years 1970 and 9999.'
		});
	}

	const id = options.id ?? uuidv7(now);
	if (!isUuidV7(id)) {
		throw invalid({
			field: 'id',
			message: `expected a lowercase UUIDv7 (leave it out to get a new one); got ${shown(id)}.`
		});
	}

	const { statement, presentation, client } = act;
	// Built field by field, in the SPEC's order, so nothing the caller added rides along.
	const unsigned = {
		schema: RECORD_SCHEMA,
		id,
		action: act.action,
		at,
		seq: prev ? prev.seq + 1 : 1,
		subject: act.subject,
		...(act.subjectToken !== undefined ? { subjectToken: act.subjectToken } : {}),
		partner: act.partner ?? null,
		statement: {
			id: statement.id,
			version: statement.version,
			locale: statement.locale,
			hash: statement.hash,
			url: statement.url
		},
		presentation: {
			embed: presentation.embed,
			origin: presentation.origin,
			label: presentation.label,
			...(presentation.scrolledToEnd !== undefined
				? { scrolledToEnd: presentation.scrolledToEnd }
				: {}),
			...(presentation.visible !== undefined ? { visible: presentation.visible } : {})
		},
		client: { userAgent: client.userAgent, widget: client.widget },
		prev: prev ? prev.digest : null
	} as UnsignedRecord;
	return { ...unsigned, digest: await recordDigest(unsigned) } as AcceptanceRecord;
}

function invalid(problem: RecordProblem, options: { within?: 'act' } = {}): AssentError {
	const { within } = options;
	const field = within ? [within, problem.field].filter(Boolean).join('.') : problem.field;
	return new AssentError('record/invalid', `buildRecord: ${field}: ${problem.message}`, { field });
}
