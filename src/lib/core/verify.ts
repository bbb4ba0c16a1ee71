/**
 * Verifies a records export (`assent.records-export/1`) or an evidence bundle
 * (`assent.evidence/1`) against the statements site's `/statements/index.json`: per record the
 * raw text, digest, chain, receipt and statement hash, and one verdict naming the first failure.
 * Pure: the caller reads the file and the index; `/verify/` and `scripts/verify.js` share it.
 */
import { recordAssurance, type Assurance } from './assurance';
import { verifyChain, type ChainProblem } from './chain';
import { recordDigest } from './digest';
import {
	EVIDENCE_FORMAT,
	MANIFEST_SCHEMA,
	type EvidenceBundle,
	type EvidenceStatement
} from './evidence';
import { catalogue, fillMessage, type MessageKey } from './i18n';
import type { AcceptanceRecord } from './record';
import { recordProblem } from './record-check';
import { jwkThumbprint, verifyReceiptSignature } from './signature';
import { canonicalJson } from './jcs';

/** The `format` of the records page's export file. */
export const RECORDS_EXPORT_FORMAT = 'assent.records-export/1';

export const CHECKS = ['raw', 'digest', 'chain', 'receipt', 'statement'] as const;
/** What is checked for each record, in this order. */
export type CheckName = (typeof CHECKS)[number];

/** `none`: the check does not apply (raw text in an export, a record without a receipt). */
export type CheckState = 'pass' | 'fail' | 'not-checked' | 'none';

/** Every outcome of a check; each has words in the catalogues as `verify.code.<code>`. */
export type CheckCode =
	| 'raw-ok'
	| 'raw-export'
	| 'raw-missing'
	| 'raw-not-json'
	| 'raw-duplicate-key'
	| 'raw-differs'
	| 'digest-ok'
	| 'digest-mismatch'
	| 'not-a-record'
	| 'chain-ok'
	| 'chain-first'
	| 'chain-start-unknown'
	| `chain-${Exclude<ChainProblem, 'digest-mismatch' | 'schema'>}`
	| 'chain-changed'
	| 'chain-after-break'
	| 'receipt-ok'
	| 'receipt-none'
	| 'receipt-malformed'
	| 'receipt-record'
	| 'receipt-kid'
	| 'receipt-signature'
	| 'receipt-no-key'
	| 'receipt-names-record'
	| 'receipt-unsupported'
	| 'statement-ok'
	| 'statement-unpublished'
	| 'statement-hash'
	| 'statement-not-bundled'
	| 'statement-bundle-hash'
	| 'statement-no-index';

export interface CheckOutcome {
	state: CheckState;
	code: CheckCode;
	/** The values the words name (`{seq}`, `{hash}`, …). */
	values: Record<string, string | number>;
}

export interface RecordVerdict {
	/** Position in the file, from 1: the `#n` the verdict names. */
	position: number;
	id: string | null;
	seq: number | null;
	/** Which chain (browser) the record belongs to, from 1; `null` when it is not a record. */
	chain: number | null;
	/** The first failed check, if any. */
	failed: CheckName | null;
	/** No check failed, and the digest, chain and statement hash were checked and hold. */
	verified: boolean;
	checks: Record<CheckName, CheckOutcome>;
	record: AcceptanceRecord | null;
	/**
	 * What the record and its receipt say of how far it can be trusted (subject verified,
	 * relayed, visibly shown); `null` when it is not a record.
	 */
	assurance: Assurance | null;
}

/** A problem with the file as a whole (its shape, the backend's key, its signed manifest). */
export type FileProblemCode =
	| 'file-not-json'
	| 'file-format'
	| 'file-shape'
	| 'key-malformed'
	| 'key-thumbprint'
	| ManifestProblemCode;

/** What is wrong with a bundle's manifest, or between it and the bundle's records. */
export type ManifestProblemCode =
	| 'manifest-malformed'
	| 'manifest-kid'
	| 'manifest-signature'
	| 'manifest-unsupported'
	| 'manifest-subject'
	| 'manifest-missing'
	| 'manifest-added'
	| 'manifest-digest';

/**
 * Whether a bundle is shown complete: `verified` (the backend's signed manifest names exactly
 * its records), `failed` (a manifest problem is in `problems`), `absent` (the bundle has no
 * manifest, so a record left out cannot be told), `none` (a records export).
 */
export type Completeness = 'verified' | 'failed' | 'absent' | 'none';

export interface FileProblem {
	code: FileProblemCode;
	values: Record<string, string | number>;
}

export interface Verification {
	kind: 'export' | 'bundle' | 'unknown';
	/** Every record verified and nothing about the file is wrong. */
	ok: boolean;
	records: RecordVerdict[];
	/** How many chains (browsers) the records come from. */
	chains: number;
	problems: FileProblem[];
	/** Whether the records in the file are all the backend signed for (bundles only). */
	completeness: Completeness;
	/** The subject of a bundle. */
	subject?: string;
	/** The first failure, where it is: a file problem, or a record and its first failed check. */
	firstFailure:
		| { where: 'file'; problem: FileProblem }
		| { where: 'record'; record: RecordVerdict; check: CheckName }
		| null;
}

/** The parts of `/statements/index.json` that verification reads. */
export interface PublishedIndex {
	statements: {
		id: string;
		versions: { version: string; locales: Record<string, { hash: string }> }[];
	}[];
}

export interface VerifyOptions {
	/** The file's text, as read from disk or pasted. */
	text: string;
	/**
	 * The statements site's `/statements/index.json`, parsed; `null` when it could not be read,
	 * so statement hashes are reported not checked.
	 */
	index: PublishedIndex | null;
}

const outcome = (
	state: CheckState,
	code: CheckCode,
	values: Record<string, string | number> = {}
): CheckOutcome => ({ state, code, values });

/**
 * `JSON.parse`, refusing an object with the same key twice: parsers disagree on which value
 * wins, so such a text does not say one thing. Returns the duplicate key's path, if any.
 */
export function parseStrictJson(text: string): { value: unknown; duplicate: string | null } {
	const value: unknown = JSON.parse(text);
	return { value, duplicate: duplicateKey(text) };
}

/** The path of the first key that appears twice in one object of valid JSON `text`, or null. */
function duplicateKey(text: string): string | null {
	// Each open container: the keys seen so far (objects) and the path to it.
	const stack: { keys: Set<string> | null; path: string; index: number }[] = [];
	let expectKey = false;
	let lastKey = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '"') {
			let end = i + 1;
			while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
			const top = stack.at(-1);
			if (expectKey && top?.keys) {
				const key = JSON.parse(text.slice(i, end + 1)) as string;
				if (top.keys.has(key)) return `${top.path}.${key}`;
				top.keys.add(key);
				lastKey = key;
				expectKey = false;
			}
			i = end;
		} else if (c === '{' || c === '[') {
			const top = stack.at(-1);
			const path = !top ? '$' : top.keys ? `${top.path}.${lastKey}` : `${top.path}[${top.index}]`;
			stack.push({ keys: c === '{' ? new Set() : null, path, index: 0 });
			expectKey = c === '{';
		} else if (c === '}' || c === ']') {
			stack.pop();
		} else if (c === ',') {
			const top = stack.at(-1);
			if (top?.keys) expectKey = true;
			else if (top) top.index++;
		}
	}
	return null;
}

function publishedHash(
	index: PublishedIndex,
	statement: AcceptanceRecord['statement']
): string | undefined {
	const entry = index.statements.find((s) => s.id === statement.id);
	const version = entry?.versions.find((v) => v.version === statement.version);
	return version?.locales[statement.locale]?.hash;
}

function checkStatement(options: {
	record: AcceptanceRecord;
	index: PublishedIndex | null;
	bundled: EvidenceStatement[] | null;
}): CheckOutcome {
	const { statement } = options.record;
	const values = {
		statement: `${statement.id} ${statement.version} (${statement.locale})`,
		hash: statement.hash
	};
	if (options.bundled) {
		const copy = options.bundled.find(
			(s) =>
				s.id === statement.id && s.version === statement.version && s.locale === statement.locale
		);
		if (!copy) return outcome('fail', 'statement-not-bundled', values);
		if (copy.hash !== statement.hash) {
			return outcome('fail', 'statement-bundle-hash', { ...values, bundled: String(copy.hash) });
		}
	}
	if (!options.index) return outcome('not-checked', 'statement-no-index', values);
	const published = publishedHash(options.index, statement);
	if (published === undefined) return outcome('fail', 'statement-unpublished', values);
	if (published !== statement.hash) {
		return outcome('fail', 'statement-hash', { ...values, published });
	}
	return outcome('pass', 'statement-ok', values);
}

async function checkReceipt(options: {
	record: AcceptanceRecord;
	receipt: unknown;
	key: { kid: string; jwk: { x?: string; kty?: string; crv?: string } } | null;
}): Promise<CheckOutcome> {
	const { record } = options;
	const receipt = options.receipt as Record<string, unknown> | undefined | null;
	if (receipt === undefined || receipt === null) return outcome('none', 'receipt-none');
	if (
		typeof receipt !== 'object' ||
		receipt.schema !== 'assent.receipt/1' ||
		receipt.alg !== 'Ed25519' ||
		typeof receipt.signature !== 'string'
	) {
		return outcome('fail', 'receipt-malformed');
	}
	if (receipt.id !== record.id || receipt.digest !== record.digest) {
		return outcome('fail', 'receipt-record', {
			id: String(receipt.id),
			digest: String(receipt.digest)
		});
	}
	if (!options.key) return outcome('not-checked', 'receipt-no-key');
	if (receipt.kid !== options.key.kid) {
		return outcome('fail', 'receipt-kid', { signed: String(receipt.kid), kid: options.key.kid });
	}
	let verified: boolean;
	try {
		verified = await verifyReceiptSignature({ receipt, jwk: options.key.jwk });
	} catch (error) {
		return outcome('not-checked', 'receipt-unsupported', {
			error: error instanceof Error ? error.message : String(error)
		});
	}
	return verified
		? outcome('pass', 'receipt-ok', { kid: options.key.kid })
		: outcome('fail', 'receipt-signature', { kid: options.key.kid });
}

/** Chain outcomes for one group of records of one browser, in chain order. */
async function checkChain(options: {
	group: { position: number; record: AcceptanceRecord }[];
	/** An export holds a browser's whole chain; a bundle may start anywhere in one. */
	whole: boolean;
}): Promise<Map<number, CheckOutcome>> {
	const { group, whole } = options;
	const result = new Map<number, CheckOutcome>();
	const records = group.map((g) => g.record);
	const verdict = await verifyChain({ records, allowPartialStart: !whole });
	const broken = verdict.ok ? group.length : verdict.index;
	group.forEach(({ position, record }, i) => {
		const values: Record<string, string | number> = { seq: record.seq };
		if (i > 0) values.prevSeq = group[i - 1]!.record.seq;
		if (i < broken) {
			if (i > 0) result.set(position, outcome('pass', 'chain-ok', values));
			else if (record.seq === 1) result.set(position, outcome('pass', 'chain-first', values));
			else result.set(position, outcome('not-checked', 'chain-start-unknown', values));
		} else if (i === broken && !verdict.ok) {
			if (verdict.problem === 'digest-mismatch' || verdict.problem === 'schema') {
				result.set(position, outcome('not-checked', 'chain-changed', values));
			} else {
				if (verdict.problem === 'missing') {
					const from = i > 0 ? group[i - 1]!.record.seq + 1 : 1;
					const to = record.seq - 1;
					values.missing = from === to ? `${from}` : `${from}–${to}`;
				}
				result.set(position, outcome('fail', `chain-${verdict.problem}`, values));
			}
		} else {
			result.set(position, outcome('not-checked', 'chain-after-break', values));
		}
	});
	return result;
}

/**
 * Groups a bundle's records into chains (one per browser): a record follows the record whose
 * digest is its `prev`. Within a chain, records are in `seq` order.
 */
function groupChains(
	items: { position: number; record: AcceptanceRecord }[]
): { position: number; record: AcceptanceRecord }[][] {
	const byDigest = new Map(items.map((item) => [item.record.digest, item]));
	const root = (item: (typeof items)[number]) => {
		const seen = new Set<string>();
		let at = item;
		while (at.record.prev !== null && byDigest.has(at.record.prev) && !seen.has(at.record.digest)) {
			seen.add(at.record.digest);
			at = byDigest.get(at.record.prev)!;
		}
		return at.position;
	};
	const groups = new Map<number, { position: number; record: AcceptanceRecord }[]>();
	for (const item of items) {
		const key = root(item);
		groups.set(key, [...(groups.get(key) ?? []), item]);
	}
	return [...groups.values()]
		.map((group) => group.sort((a, b) => a.record.seq - b.record.seq || a.position - b.position))
		.sort((a, b) => a[0]!.position - b[0]!.position);
}

type ManifestKey = { kid: string; jwk: { x?: string; kty?: string; crv?: string } };

/**
 * Checks a bundle's manifest: signed by the bundle's key, for its subject, and naming exactly the
 * records in the file (by id and digest). Problems name the record and where it is (its position
 * in the file, or in the manifest's list).
 */
async function checkManifest(options: {
	manifest: unknown;
	key: ManifestKey | null;
	subject: string | undefined;
	entries: { value: unknown }[];
}): Promise<{ completeness: Completeness; problems: FileProblem[] }> {
	const { key } = options;
	const manifest = options.manifest as Record<string, unknown> | null | undefined;
	if (manifest === undefined) return { completeness: 'absent', problems: [] };
	const failed = (code: ManifestProblemCode, values: Record<string, string | number> = {}) => ({
		completeness: 'failed' as const,
		problems: [{ code, values }]
	});
	const list = (manifest as { records?: unknown } | null)?.records;
	if (
		typeof manifest !== 'object' ||
		manifest === null ||
		manifest.schema !== MANIFEST_SCHEMA ||
		manifest.alg !== 'Ed25519' ||
		typeof manifest.signature !== 'string' ||
		!Array.isArray(list) ||
		!list.every(
			(item: unknown) =>
				Array.isArray(item) &&
				item.length === 2 &&
				typeof item[0] === 'string' &&
				typeof item[1] === 'string'
		) ||
		manifest.count !== list.length
	) {
		return failed('manifest-malformed');
	}
	// Without a usable key the key problem is already reported; the manifest cannot be trusted.
	if (!key) return { completeness: 'failed', problems: [] };
	if (manifest.kid !== key.kid) {
		return failed('manifest-kid', { signed: String(manifest.kid), kid: key.kid });
	}
	let signed: boolean;
	try {
		signed = await verifyReceiptSignature({ receipt: manifest, jwk: key.jwk });
	} catch (error) {
		return failed('manifest-unsupported', {
			error: error instanceof Error ? error.message : String(error)
		});
	}
	if (!signed) return failed('manifest-signature', { kid: key.kid });
	const problems: FileProblem[] = [];
	if (manifest.subject !== options.subject) {
		problems.push({
			code: 'manifest-subject',
			values: { signed: String(manifest.subject), subject: String(options.subject) }
		});
	}
	const listed = new Map<string, { digest: string; number: number }>();
	(list as [string, string][]).forEach(([id, digest], i) => {
		if (!listed.has(id)) listed.set(id, { digest, number: i + 1 });
	});
	const seen = new Set<string>();
	options.entries.forEach((entry, i) => {
		const raw = (entry.value as { id?: unknown; digest?: unknown } | null | undefined) ?? {};
		const id = typeof raw.id === 'string' ? raw.id : null;
		const entryOf = id === null ? undefined : listed.get(id);
		if (id === null || !entryOf || seen.has(id)) {
			problems.push({ code: 'manifest-added', values: { position: i + 1, id: id ?? '?' } });
			return;
		}
		seen.add(id);
		if (raw.digest !== entryOf.digest) {
			problems.push({
				code: 'manifest-digest',
				values: { position: i + 1, id, digest: String(raw.digest), listed: entryOf.digest }
			});
		}
	});
	for (const [id, { digest, number }] of listed) {
		if (!seen.has(id)) {
			problems.push({ code: 'manifest-missing', values: { id, digest, number } });
		}
	}
	return { completeness: problems.length > 0 ? 'failed' : 'verified', problems };
}

function blank(position: number, value: unknown): RecordVerdict {
	const { id, seq } = (typeof value === 'object' && value !== null ? value : {}) as {
		id?: unknown;
		seq?: unknown;
	};
	const notChecked = outcome('not-checked', 'not-a-record');
	return {
		position,
		id: typeof id === 'string' ? id : null,
		seq: typeof seq === 'number' ? seq : null,
		chain: null,
		failed: null,
		verified: false,
		checks: {
			raw: notChecked,
			digest: notChecked,
			chain: notChecked,
			receipt: notChecked,
			statement: notChecked
		},
		record: null,
		assurance: null
	};
}

/** Verifies a records export or an evidence bundle; never throws for bad input, it reports it. */
export async function verifyEvidence(options: VerifyOptions): Promise<Verification> {
	const empty = (problem: FileProblem): Verification => ({
		kind: 'unknown',
		ok: false,
		records: [],
		chains: 0,
		problems: [problem],
		completeness: 'none',
		firstFailure: { where: 'file', problem }
	});
	let file: unknown;
	try {
		file = JSON.parse(options.text);
	} catch (error) {
		return empty({
			code: 'file-not-json',
			values: { error: error instanceof Error ? error.message : String(error) }
		});
	}
	const format =
		typeof file === 'object' && file !== null ? (file as { format?: unknown }).format : undefined;
	if (format !== RECORDS_EXPORT_FORMAT && format !== EVIDENCE_FORMAT) {
		return empty({
			code: 'file-format',
			values: { format: format === undefined ? 'none' : JSON.stringify(format) }
		});
	}
	const kind = format === EVIDENCE_FORMAT ? 'bundle' : 'export';
	const problems: FileProblem[] = [];

	// The entries of the file: the record, and for a bundle its raw text and receipt.
	let entries: { value: unknown; raw?: unknown; receipt?: unknown }[];
	let key: { kid: string; jwk: { x?: string; kty?: string; crv?: string } } | null = null;
	let bundled: EvidenceStatement[] | null = null;
	let subject: string | undefined;
	let manifest: unknown;
	if (kind === 'export') {
		const { records, sync } = file as { records?: unknown; sync?: unknown };
		if (!Array.isArray(records)) {
			return empty({ code: 'file-shape', values: { field: 'records' } });
		}
		const states = (typeof sync === 'object' && sync !== null ? sync : {}) as Record<
			string,
			{ receipt?: unknown } | undefined
		>;
		entries = records.map((value: unknown) => {
			const id = (value as { id?: unknown } | null)?.id;
			return { value, receipt: typeof id === 'string' ? states[id]?.receipt : undefined };
		});
	} else {
		const bundle = file as Partial<EvidenceBundle>;
		if (!Array.isArray(bundle.records)) {
			return empty({ code: 'file-shape', values: { field: 'records' } });
		}
		if (!Array.isArray(bundle.statements)) {
			return empty({ code: 'file-shape', values: { field: 'statements' } });
		}
		subject = typeof bundle.subject === 'string' ? bundle.subject : undefined;
		manifest = bundle.manifest;
		bundled = bundle.statements;
		entries = bundle.records.map((entry: unknown) => {
			const e = (typeof entry === 'object' && entry !== null ? entry : {}) as {
				record?: unknown;
				raw?: unknown;
				receipt?: unknown;
			};
			return { value: e.record, raw: e.raw, receipt: e.receipt };
		});
		const jwk = bundle.key?.jwk;
		if (!jwk || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
			problems.push({ code: 'key-malformed', values: {} });
		} else {
			const thumbprint = await jwkThumbprint(jwk);
			if (thumbprint !== bundle.key?.kid) {
				problems.push({
					code: 'key-thumbprint',
					values: { kid: String(bundle.key?.kid), thumbprint }
				});
			}
			// Receipts are checked against the key's own thumbprint, whatever `kid` the file claims.
			key = { kid: thumbprint, jwk };
		}
	}

	const verdicts = entries.map((entry, i) => blank(i + 1, entry.value));
	const good: { position: number; record: AcceptanceRecord }[] = [];
	for (const [i, entry] of entries.entries()) {
		const verdict = verdicts[i]!;
		const shape = recordProblem(entry.value);
		if (shape) {
			verdict.checks.digest = outcome('fail', 'not-a-record', {
				field: shape.field ?? '',
				message: shape.message
			});
			continue;
		}
		const record = entry.value as AcceptanceRecord;
		verdict.record = record;
		verdict.assurance = recordAssurance({ record, receipt: entry.receipt });

		if (kind === 'export') {
			verdict.checks.raw = outcome('none', 'raw-export');
		} else if (typeof entry.raw !== 'string') {
			verdict.checks.raw = outcome('fail', 'raw-missing');
		} else {
			try {
				const { value, duplicate } = parseStrictJson(entry.raw);
				if (duplicate) {
					verdict.checks.raw = outcome('fail', 'raw-duplicate-key', { key: duplicate });
				} else if (canonicalJson(value) !== canonicalJson(record)) {
					verdict.checks.raw = outcome('fail', 'raw-differs');
				} else {
					verdict.checks.raw = outcome('pass', 'raw-ok');
				}
			} catch (error) {
				verdict.checks.raw = outcome('fail', 'raw-not-json', {
					error: error instanceof Error ? error.message : String(error)
				});
			}
		}

		const digest = await recordDigest(record);
		verdict.checks.digest =
			digest === record.digest
				? outcome('pass', 'digest-ok', { digest })
				: outcome('fail', 'digest-mismatch', { digest: record.digest, computed: digest });

		verdict.checks.receipt = await checkReceipt({
			record,
			receipt: entry.receipt,
			key: kind === 'bundle' ? key : null
		});
		if (kind === 'export' && verdict.checks.receipt.code === 'receipt-no-key') {
			// It names the record; the signature needs the backend's key, which an export lacks.
			verdict.checks.receipt = outcome('not-checked', 'receipt-names-record');
		}
		verdict.checks.statement = checkStatement({ record, index: options.index, bundled });
		good.push({ position: i + 1, record });
	}

	// An export is one browser's chain, in file order, values that are not records included.
	let chains = 0;
	if (kind === 'export') {
		const whole = entries.map((e, i) => ({ position: i + 1, record: e.value as AcceptanceRecord }));
		if (whole.length > 0) chains = 1;
		const outcomes = await checkChain({ group: whole, whole: true });
		for (const verdict of verdicts) {
			verdict.chain = verdict.record ? 1 : null;
			if (verdict.record) verdict.checks.chain = outcomes.get(verdict.position)!;
		}
	} else {
		const groups = groupChains(good);
		chains = groups.length;
		for (const [n, group] of groups.entries()) {
			const outcomes = await checkChain({ group, whole: false });
			for (const { position } of group) {
				verdicts[position - 1]!.chain = n + 1;
				verdicts[position - 1]!.checks.chain = outcomes.get(position)!;
			}
		}
	}

	// The bundle's completeness, against the backend's signed list of what it put in.
	const complete =
		kind === 'bundle'
			? await checkManifest({ manifest, key, subject, entries })
			: { completeness: 'none' as const, problems: [] };

	let firstFailure: Verification['firstFailure'] = problems[0]
		? { where: 'file', problem: problems[0] }
		: null;
	for (const verdict of verdicts) {
		verdict.failed = CHECKS.find((check) => verdict.checks[check].state === 'fail') ?? null;
		verdict.verified =
			verdict.failed === null &&
			verdict.checks.digest.state === 'pass' &&
			verdict.checks.chain.state !== 'not-checked' &&
			verdict.checks.statement.state === 'pass';
		if (verdict.failed && !firstFailure) {
			firstFailure = { where: 'record', record: verdict, check: verdict.failed };
		}
	}
	// A chain whose start a bundle lacks is as good as it gets: its links are still checked.
	for (const verdict of verdicts) {
		if (
			!verdict.verified &&
			verdict.failed === null &&
			verdict.checks.chain.code === 'chain-start-unknown' &&
			verdict.checks.digest.state === 'pass' &&
			verdict.checks.statement.state === 'pass'
		) {
			verdict.verified = true;
		}
	}
	// A record that fails its own checks is named first; what the manifest says about the file
	// (a record missing, one added) comes after.
	if (!firstFailure && complete.problems[0]) {
		firstFailure = { where: 'file', problem: complete.problems[0] };
	}
	problems.push(...complete.problems);
	return {
		kind,
		ok: problems.length === 0 && verdicts.every((v) => v.verified),
		records: verdicts,
		chains,
		problems,
		completeness: complete.completeness,
		...(subject !== undefined ? { subject } : {}),
		firstFailure
	};
}

/** Words for one check's outcome in `locale` (English where Assent does not speak it). */
export function describeCheck(options: { outcome: CheckOutcome; locale?: string }): string {
	const key = `verify.code.${options.outcome.code}` as MessageKey;
	return fillMessage(catalogue(options.locale).site[key], options.outcome.values);
}

/** Words for a problem with the file as a whole. */
export function describeProblem(options: { problem: FileProblem; locale?: string }): string {
	const key = `verify.file.${options.problem.code}` as MessageKey;
	return fillMessage(catalogue(options.locale).site[key], options.problem.values);
}

/**
 * Words for a bundle's completeness when it holds (`verified`) or could not be checked
 * (`absent`); `null` otherwise (a failure is in `problems`, an export has no manifest).
 */
export function describeCompleteness(options: {
	verification: Verification;
	locale?: string;
}): string | null {
	const { completeness } = options.verification;
	if (completeness !== 'verified' && completeness !== 'absent') return null;
	return catalogue(options.locale).site[`verify.complete.${completeness}`];
}

/**
 * The verdict in one sentence: "All 3 records verified", or the first failure and where
 * ("Record #3 (seq 3): digest does not match: …").
 */
export function describeVerdict(options: { verification: Verification; locale?: string }): string {
	const { verification: v, locale } = options;
	const words = catalogue(locale).site;
	const failure = v.firstFailure;
	if (failure?.where === 'file') {
		const manifest = failure.problem.code.startsWith('manifest-');
		return fillMessage(words[manifest ? 'verify.verdict.incomplete' : 'verify.verdict.file'], {
			problem: describeProblem({ problem: failure.problem, locale })
		});
	}
	if (failure?.where === 'record') {
		const { record, check } = failure;
		return fillMessage(
			words[record.seq === null ? 'verify.verdict.failedAt' : 'verify.verdict.failed'],
			{
				position: record.position,
				seq: record.seq ?? '',
				check: words[`verify.check.${check}`],
				reason: describeCheck({ outcome: record.checks[check], locale })
			}
		);
	}
	const count = v.records.length;
	if (count === 0) return words['verify.verdict.empty'];
	if (v.ok) {
		return fillMessage(words[count === 1 ? 'verify.verdict.ok.one' : 'verify.verdict.ok.other'], {
			count
		});
	}
	const unchecked = v.records.filter((r) => !r.verified);
	const first = unchecked[0]!;
	const check = CHECKS.find((c) => first.checks[c].state === 'not-checked') ?? 'statement';
	return fillMessage(words['verify.verdict.partial'], {
		count,
		unchecked: unchecked.length,
		position: first.position,
		reason: describeCheck({ outcome: first.checks[check], locale })
	});
}
