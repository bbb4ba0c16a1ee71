import { JSDOM } from 'jsdom';
import {
	countRuns,
	diffBlocks as compare,
	statementDiff as diffDocument,
	type DiffEnvironment,
	type DiffSide
} from '../../core/diff-blocks';
import type { DiffBlock, StatementDiff } from '../../core/diff';
import { sanitizeHtml } from './render';

/*
 * The comparison at build time: the shared code of `core/diff-blocks.ts` in a jsdom document,
 * with the statements' own sanitizer.
 */

const environment: DiffEnvironment = {
	document: new JSDOM('').window.document,
	sanitize: sanitizeHtml
};

export { countRuns };

/** The comparison of two versions' sanitized HTML, block by block and word by word. */
export function diffBlocks(options: { from: string; to: string; locale: string }): DiffBlock[] {
	return compare(environment, options);
}

/** The diff document of two versions of a statement in one locale. */
export function statementDiff(options: {
	id: string;
	locale: string;
	from: DiffSide;
	to: DiffSide;
}): StatementDiff {
	return diffDocument(environment, options);
}
