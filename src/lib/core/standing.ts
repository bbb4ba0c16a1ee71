/**
 * A subject's standing from its backend (SPEC section 8): the records other devices made,
 * trusted only after each one's digest and receipt signature check out, and kept apart from this
 * browser's own chain. Where the subject stands is then read from both (`status.ts`).
 */
import { recordDigest } from './digest';
import type { EvidenceKey } from './evidence';
import type { AcceptanceRecord } from './record';
import { recordProblem } from './record-check';
import { jwkThumbprint, verifyReceiptSignature } from './signature';
import { lastAcceptance, associationStatus } from './status';

/** A record another device made, as the backend holds it, checked. */
export interface RemoteRecord {
	record: AcceptanceRecord;
	receivedAt?: string;
	receipt: Record<string, unknown>;
}

/** Why a record of the standing is not trusted. */
export type RemoteProblem = 'shape' | 'subject' | 'digest' | 'receipt';

export interface RefusedRemote {
	/** The record's id, when it has one. */
	id: string | null;
	problem: RemoteProblem;
	/** What is wrong, for the partner's developers. */
	message: string;
}

/**
 * Checks the backend's public key as published at `<sync-url>/key`: an Ed25519 JWK whose RFC
 * 7638 thumbprint is the `kid` it names. Throws with what is wrong.
 */
export async function readReceiptKey(value: unknown): Promise<EvidenceKey> {
	const key = value as Partial<EvidenceKey> | null;
	const jwk = key?.jwk;
	if (
		typeof key !== 'object' ||
		key === null ||
		typeof key.kid !== 'string' ||
		typeof jwk !== 'object' ||
		jwk === null ||
		jwk.kty !== 'OKP' ||
		jwk.crv !== 'Ed25519' ||
		typeof jwk.x !== 'string'
	) {
		throw new Error('it is not { "kid", "jwk": an Ed25519 public key }');
	}
	const thumbprint = await jwkThumbprint(jwk);
	if (thumbprint !== key.kid) {
		throw new Error(`its kid ${key.kid} is not the key's thumbprint (${thumbprint})`);
	}
	return key as EvidenceKey;
}

/**
 * Sorts the records of a standing into the trusted and the refused. A record is trusted when it
 * is shaped as a record, is the subject's, its digest is the hash of its content, and its receipt
 * names it (id and digest) and is signed by `key` (same `kid`). Anything else is refused with the
 * reason, never trusted. Never throws for bad input.
 */
export async function checkStanding(options: {
	entries: readonly { record: unknown; receivedAt?: string; receipt?: unknown }[];
	subject: string;
	key: EvidenceKey;
}): Promise<{ trusted: RemoteRecord[]; refused: RefusedRemote[] }> {
	const trusted: RemoteRecord[] = [];
	const refused: RefusedRemote[] = [];
	for (const entry of options.entries) {
		const value = entry.record as Partial<AcceptanceRecord> | null;
		const id = typeof value?.id === 'string' ? value.id : null;
		const refuse = (problem: RemoteProblem, message: string) =>
			refused.push({ id, problem, message: `Record ${id ?? '(no id)'} ${message}` });
		const shape = recordProblem(value);
		if (shape) {
			refuse('shape', `is not a record: ${shape.field || 'the value'}: ${shape.message}`);
			continue;
		}
		const record = value as AcceptanceRecord;
		if (record.subject !== options.subject) {
			refuse('subject', `belongs to another subject, not "${options.subject}".`);
			continue;
		}
		const digest = await recordDigest(record).catch(() => undefined);
		if (digest !== record.digest) {
			refuse(
				'digest',
				`was changed after it was made: its content hashes to ${digest ?? 'nothing'}, not its digest ${record.digest}.`
			);
			continue;
		}
		const receipt = entry.receipt as Record<string, unknown> | undefined;
		const problem = await receiptProblem({ record, receipt, key: options.key });
		if (problem) {
			refuse('receipt', problem);
			continue;
		}
		trusted.push({
			record,
			...(typeof entry.receivedAt === 'string' ? { receivedAt: entry.receivedAt } : {}),
			receipt: receipt!
		});
	}
	return { trusted, refused };
}

async function receiptProblem(options: {
	record: AcceptanceRecord;
	receipt: Record<string, unknown> | undefined;
	key: EvidenceKey;
}): Promise<string | undefined> {
	const { record, receipt, key } = options;
	if (typeof receipt !== 'object' || receipt === null) {
		return 'comes without the backend’s signed receipt.';
	}
	if (
		receipt.schema !== 'assent.receipt/1' ||
		receipt.alg !== 'Ed25519' ||
		typeof receipt.signature !== 'string'
	) {
		return 'has a receipt that is not an assent.receipt/1 receipt signed with Ed25519.';
	}
	if (receipt.id !== record.id || receipt.digest !== record.digest) {
		return 'has a receipt for another record (its id or digest differ).';
	}
	if (receipt.kid !== key.kid) {
		return `has a receipt signed with key ${String(receipt.kid)}, but the backend publishes key ${key.kid}.`;
	}
	const verified = await verifyReceiptSignature({ receipt, jwk: key.jwk }).catch(() => false);
	return verified
		? undefined
		: `has a receipt whose signature does not verify against key ${key.kid}.`;
}

/** Where a record that decided the subject's standing comes from. */
export type RecordSource = 'local' | 'remote';

export interface DecidingRecord {
	id: string;
	source: RecordSource;
}

/**
 * This browser's records and the trusted records of other devices, once each: a record this
 * browser made and synced comes back in the standing, and counts as this browser's.
 */
export function combineRecords(options: {
	local: readonly AcceptanceRecord[];
	remote: readonly AcceptanceRecord[];
}): { records: AcceptanceRecord[]; source: (id: string) => RecordSource } {
	const local = new Set(options.local.map((r) => r.id));
	return {
		records: [...options.local, ...options.remote.filter((r) => !local.has(r.id))],
		source: (id) => (local.has(id) ? 'local' : 'remote')
	};
}

/**
 * The records that decide where the subject stands: for each statement its latest acceptance
 * (as `needsAcceptance` reads it), and the latest association act with the partner.
 */
export function decidingRecords(options: {
	records: readonly AcceptanceRecord[];
	source: (id: string) => RecordSource;
	subject: string;
	statementIds: readonly string[];
	/** Acceptances on this partner's behalf only, and its association. @default none */
	partner?: string;
	/** Whether acceptances count only for `partner` (associate mode). @default false */
	perPartner?: boolean;
}): { statements: Map<string, DecidingRecord>; association?: DecidingRecord } {
	const ref = (record: AcceptanceRecord | undefined): DecidingRecord | undefined =>
		record && { id: record.id, source: options.source(record.id) };
	const statements = new Map<string, DecidingRecord>();
	for (const statementId of options.statementIds) {
		const decided = ref(
			lastAcceptance({
				records: options.records,
				subject: options.subject,
				statementId,
				...(options.perPartner ? { partner: options.partner } : {})
			})
		);
		if (decided) statements.set(statementId, decided);
	}
	const association =
		options.partner === undefined
			? undefined
			: ref(
					associationStatus({
						records: options.records,
						subject: options.subject,
						partner: options.partner
					}).record
				);
	return { statements, ...(association ? { association } : {}) };
}
