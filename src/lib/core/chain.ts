import { recordDigest } from './digest';
import type { AcceptanceRecord } from './record';
import { recordProblem } from './record-check';
import { AssentError } from './errors';

/** What can be wrong with a chain of records, at the first record where it shows. */
export type ChainProblem =
	/** The record's content does not hash to its `digest`: it was changed after it was written. */
	| 'digest-mismatch'
	/** `prev` is not the digest of the record before it, and neither a gap nor a swap explains it. */
	| 'broken-link'
	/** Records are missing before this one: its `seq` jumps, or the chain does not start at 1. */
	| 'missing'
	/** This record belongs later: a record further down the list is the one it follows. */
	| 'reordered'
	/** `prev` links correctly but `seq` is not one more than the previous record's. */
	| 'seq-gap'
	/** The record's id, or its `seq`, was already used by an earlier record in the list. */
	| 'duplicate'
	/** The value does not have the shape of a record at all. */
	| 'schema';

export type ChainVerdict =
	| { ok: true; count: number }
	| {
			ok: false;
			/** Position of the first bad record in the list given. */
			index: number;
			/** Its id, or `null` when it has no readable id. */
			id: string | null;
			problem: ChainProblem;
			/** What is wrong, in words for people, naming the record and its seq. */
			message: string;
	  };

export interface VerifyChainOptions {
	/**
	 * The records of one browser, in the order they were exported (by `seq`, oldest first).
	 * Anything may be passed, e.g. a parsed export file: values that are not records fail as
	 * `schema`.
	 */
	records: readonly unknown[];
	/**
	 * Accept a chain whose first record is not `seq` 1, as in an export of recent records only.
	 * Its first record's `prev` is then taken on trust; everything after it is still checked.
	 * @default false
	 */
	allowPartialStart?: boolean;
}

/**
 * Checks that `records` form one unbroken, untampered chain: each record hashes to its
 * `digest`, links to the record before it through `prev`, and numbers itself one more. Reports
 * the first problem, in list order. The list is not sorted first: an export whose records were
 * swapped must fail.
 *
 * A record removed from the end of a chain leaves no trace in the chain itself; only a copy of
 * the head (the backend's, or a receipt) shows it.
 */
export async function verifyChain(options: VerifyChainOptions): Promise<ChainVerdict> {
	const { records, allowPartialStart = false } = options;
	const ids = new Set<string>();
	const seqs = new Set<number>();

	for (const [index, value] of records.entries()) {
		const fail = (problem: ChainProblem, message: string): ChainVerdict => {
			const { id, seq } = (typeof value === 'object' && value !== null ? value : {}) as {
				id?: unknown;
				seq?: unknown;
			};
			return {
				ok: false,
				index,
				id: typeof id === 'string' ? id : null,
				problem,
				message: `Record ${index + 1}${typeof seq === 'number' ? ` (seq ${seq})` : ''}: ${message}`
			};
		};

		const shape = recordProblem(value);
		if (shape) {
			return fail('schema', `${shape.field ? `${shape.field}: ` : ''}${shape.message}`);
		}
		const record = value as AcceptanceRecord;
		if (ids.has(record.id)) {
			return fail('duplicate', `its id ${record.id} was already used by an earlier record.`);
		}
		if (seqs.has(record.seq)) {
			return fail(
				'duplicate',
				`seq ${record.seq} was already used by an earlier record: two records were written on the same head.`
			);
		}
		ids.add(record.id);
		seqs.add(record.seq);

		let digest: string;
		try {
			digest = await recordDigest(record);
		} catch (error) {
			// A shape-checked record always has canonical JSON; only missing WebCrypto lands here.
			if (error instanceof AssentError && error.code === 'record/not-canonical') {
				return fail('schema', error.message);
			}
			throw error;
		}
		if (digest !== record.digest) {
			return fail(
				'digest-mismatch',
				'its content does not match its digest: it was changed after it was written.'
			);
		}

		// Already checked on the previous turn of the loop.
		const previous = index > 0 ? (records[index - 1] as AcceptanceRecord) : undefined;
		if (!previous) {
			if (record.seq === 1 && record.prev !== null) {
				return fail('broken-link', 'the first record of a chain (seq 1) must have prev null.');
			}
			if (record.seq !== 1 && !allowPartialStart) {
				return fail(
					'missing',
					`the chain starts at seq ${record.seq}, so records 1 to ${record.seq - 1} are missing. Verify with allowPartialStart for an export of recent records only.`
				);
			}
			continue;
		}

		if (record.prev === previous.digest) {
			if (record.seq !== previous.seq + 1) {
				return fail(
					'seq-gap',
					`it follows seq ${previous.seq} but is numbered ${record.seq}, not ${previous.seq + 1}.`
				);
			}
			continue;
		}
		const follows = records.findIndex(
			(r, i) => i > index && (r as Partial<AcceptanceRecord> | null)?.digest === record.prev
		);
		if (follows !== -1) {
			return fail(
				'reordered',
				`it follows record ${follows + 1}, which comes after it in the list: records were reordered.`
			);
		}
		if (record.seq > previous.seq + 1) {
			return fail(
				'missing',
				`records seq ${previous.seq + 1}${record.seq - 1 > previous.seq + 1 ? ` to ${record.seq - 1}` : ''} are missing between it and the record before.`
			);
		}
		if (record.seq < previous.seq) {
			return fail(
				'reordered',
				`its seq is lower than that of the record before it (${previous.seq}): records were reordered.`
			);
		}
		return fail(
			'broken-link',
			`its prev is not the digest of the record before it (seq ${previous.seq}): that record was changed or replaced.`
		);
	}
	return { ok: true, count: records.length };
}
