/** Acts and chains for tests of records, chains and status rules. Not shipped to browsers. */
import type { AcceptanceRecord, Act } from './record';
import { buildRecord } from './record-builder';
import { uuidv7Generator } from './uuid';

export const HASH_1_0 = `sha256:${'a'.repeat(64)}`;

/**
 * A valid accept act for `terms` 1.0. `overrides` replace whole top-level fields and may be
 * wrong on purpose, to test refusals.
 */
export function sampleAct(overrides: Record<string, unknown> = {}): Act {
	return {
		action: 'accept',
		subject: 'customer-123',
		statement: {
			id: 'terms',
			version: '1.0',
			locale: 'en',
			hash: HASH_1_0,
			url: 'https://statements.example.com/statements/terms/1.0/en/'
		},
		presentation: {
			embed: 'iframe',
			origin: 'https://partner.example',
			label: 'I have read and accept the terms'
		},
		client: { userAgent: 'Mozilla/5.0 (test)', widget: 'assent/0.1.0' },
		...overrides
	} as Act;
}

/** A statement field for `sampleAct`, for version `version` of `id`. */
export function sampleStatement(options: { id?: string; version: string }): Act['statement'] {
	const id = options.id ?? 'terms';
	return {
		id,
		version: options.version,
		locale: 'en',
		hash: `sha256:${options.version.replace(/\D/g, '').padEnd(64, '0')}`,
		url: `https://statements.example.com/statements/${id}/${options.version}/en/`
	};
}

/**
 * Builds one chain from `acts`, one second apart from `start`. Each chain is one browser with
 * its own id generator, so its ids carry its records' times whatever chains were made before.
 */
export async function sampleChain(options: {
	acts: Act[];
	/** @default 2026-11-24T06:30:00.000Z */
	start?: Date;
}): Promise<AcceptanceRecord[]> {
	const start = (options.start ?? new Date('2026-11-24T06:30:00.000Z')).getTime();
	const ids = uuidv7Generator();
	const records: AcceptanceRecord[] = [];
	for (const [i, act] of options.acts.entries()) {
		const last = records.at(-1);
		const now = new Date(start + i * 1000);
		records.push(
			await buildRecord({
				act,
				prev: last ? { digest: last.digest, seq: last.seq } : null,
				now,
				id: ids(now)
			})
		);
	}
	return records;
}
