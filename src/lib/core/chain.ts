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

/** How many digests are computed at once: enough to keep WebCrypto busy, few enough for memory. */
const DIGEST_BATCH = 512;

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
	const checker = new ChainChecker({ allowPartialStart: options.allowPartialStart });
	for (let start = 0; start < options.records.length; start += DIGEST_BATCH) {
		const verdict = await checker.push(options.records.slice(start, start + DIGEST_BATCH));
		if (verdict) return verdict;
	}
	return checker.finish();
}

/** A record whose `prev` matched neither the record before it nor, so far, any later record. */
interface UnexplainedLink {
	index: number;
	record: AcceptanceRecord;
	previous: AcceptanceRecord;
}

/**
 * `verifyChain` for a chain read in chunks (from storage, say), so it is never all in memory
 * at once: the same checks in the same order, with the same verdicts and messages. The digests
 * of a chunk are computed in parallel; everything else runs in list order. `push` returns the
 * verdict as soon as one is certain; `finish` after the last chunk.
 */
export class ChainChecker {
	readonly #allowPartialStart: boolean;
	readonly #ids = new Set<string>();
	readonly #seqs = new Set<number>();
	#index = 0;
	#previous: AcceptanceRecord | undefined;
	/** Set once a link is broken in a way a later record might explain as a reordering. */
	#unexplained: UnexplainedLink | undefined;
	#verdict: ChainVerdict | undefined;
	/** The value a failing verdict names. */
	#culprit: unknown;

	constructor(options: { allowPartialStart?: boolean } = {}) {
		this.#allowPartialStart = options.allowPartialStart ?? false;
	}

	/** How many values were checked (or, after a break, looked at) so far. */
	get checked(): number {
		return this.#index;
	}

	/** The value the failing verdict names (to show its `seq`, say); `undefined` until one fails. */
	get culprit(): unknown {
		return this.#culprit;
	}

	/** Checks the next values of the list; returns the verdict once it is certain. */
	async push(values: readonly unknown[]): Promise<ChainVerdict | undefined> {
		if (this.#verdict) return this.#verdict;
		if (this.#unexplained) return this.#lookAhead(values);
		const shapes = values.map((value) => recordProblem(value));
		// Every well-formed record's digest at once; a failure is reported at its record's turn.
		const digests = await Promise.all(
			values.map((value, i) =>
				shapes[i]
					? undefined
					: recordDigest(value as AcceptanceRecord).then(
							(digest) => ({ digest }),
							(error: unknown) => ({ error })
						)
			)
		);
		for (const [offset, value] of values.entries()) {
			const verdict = this.#check(value, shapes[offset], digests[offset]);
			if (verdict) {
				this.#culprit = value;
				return (this.#verdict = verdict);
			}
			if (this.#unexplained) return this.#lookAhead(values.slice(offset + 1));
		}
		return undefined;
	}

	/** The verdict once every value was pushed. */
	finish(): ChainVerdict {
		if (this.#verdict) return this.#verdict;
		const unexplained = this.#unexplained;
		if (!unexplained) return { ok: true, count: this.#index };
		const { index, record, previous } = unexplained;
		this.#culprit = record;
		const fail = failure(index, record);
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

	#lookAhead(values: readonly unknown[]): ChainVerdict | undefined {
		const unexplained = this.#unexplained!;
		for (const value of values) {
			const position = this.#index++;
			if ((value as Partial<AcceptanceRecord> | null)?.digest === unexplained.record.prev) {
				this.#culprit = unexplained.record;
				return (this.#verdict = failure(unexplained.index, unexplained.record)(
					'reordered',
					`it follows record ${position + 1}, which comes after it in the list: records were reordered.`
				));
			}
		}
		return undefined;
	}

	#check(
		value: unknown,
		shape: ReturnType<typeof recordProblem>,
		computed: { digest: string } | { error: unknown } | undefined
	): ChainVerdict | undefined {
		const index = this.#index++;
		const fail = failure(index, value);
		if (shape) {
			return fail('schema', `${shape.field ? `${shape.field}: ` : ''}${shape.message}`);
		}
		const record = value as AcceptanceRecord;
		if (this.#ids.has(record.id)) {
			return fail('duplicate', `its id ${record.id} was already used by an earlier record.`);
		}
		if (this.#seqs.has(record.seq)) {
			return fail(
				'duplicate',
				`seq ${record.seq} was already used by an earlier record: two records were written on the same head.`
			);
		}
		this.#ids.add(record.id);
		this.#seqs.add(record.seq);

		if (!computed || 'error' in computed) {
			const error = computed?.error;
			// A shape-checked record always has canonical JSON; only missing WebCrypto lands here.
			if (error instanceof AssentError && error.code === 'record/not-canonical') {
				return fail('schema', error.message);
			}
			throw error;
		}
		if (computed.digest !== record.digest) {
			return fail(
				'digest-mismatch',
				'its content does not match its digest: it was changed after it was written.'
			);
		}

		const previous = this.#previous;
		this.#previous = record;
		if (!previous) {
			if (record.seq === 1 && record.prev !== null) {
				return fail('broken-link', 'the first record of a chain (seq 1) must have prev null.');
			}
			if (record.seq !== 1 && !this.#allowPartialStart) {
				return fail(
					'missing',
					`the chain starts at seq ${record.seq}, so records 1 to ${record.seq - 1} are missing. Verify with allowPartialStart for an export of recent records only.`
				);
			}
			return undefined;
		}

		if (record.prev === previous.digest) {
			if (record.seq !== previous.seq + 1) {
				return fail(
					'seq-gap',
					`it follows seq ${previous.seq} but is numbered ${record.seq}, not ${previous.seq + 1}.`
				);
			}
			return undefined;
		}
		// Whether a later record is the one it follows decides between a reordering and the rest.
		this.#unexplained = { index, record, previous };
		return undefined;
	}
}

/** Builds the failing verdict of the value at `index`, naming it and its seq. */
function failure(index: number, value: unknown) {
	return (problem: ChainProblem, message: string): ChainVerdict => {
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
}
