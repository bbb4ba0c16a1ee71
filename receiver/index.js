// The reference sync receiver's public API (receiver/README.md).
export {
	createReceiver,
	startReceiver,
	MAX_BODY_BYTES,
	MAX_RECORDS,
	REQUEST_TIMEOUT_MS
} from './receiver.js';
export { receiverConfig, parseOperatorTokens } from './config.js';
export { openDatabase, migrate, MIGRATIONS } from './database.js';
export {
	loadSigningKey,
	publicKeyDocument,
	signDocument,
	signReceipt,
	verifyReceipt,
	thumbprint,
	RECEIPT_SCHEMA
} from './receipts.js';
export { checkRecord, recordDigest, recordTexts, recordSchema } from './records.js';
export { publishedStatements, parseIndex, indexSource } from './statements.js';
export {
	verifySubjectToken,
	MAX_TOKEN_BYTES,
	MAX_TOKEN_LIFETIME,
	TOKEN_ALGORITHMS
} from './tokens.js';
export { keyRegistry, parseRegistry, registrySource, OPERATOR } from './registry.js';
export { mintSubjectToken, generateSubjectKey } from './mint.js';
export { readStanding, STANDING_PAGE, STANDING_MAX_PAGE } from './standing.js';
export { operatorApi } from './operator/index.js';
export { evidenceBundle, EVIDENCE_FORMAT } from './operator/evidence.js';
export { fillStandings } from './operator/standings.js';
export {
	webhookOutbox,
	readDeliveries,
	redeliver,
	DEFAULT_MAX_ATTEMPTS,
	RECORD_STORED,
	STANDING_CHANGED
} from './webhooks.js';
