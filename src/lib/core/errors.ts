/**
 * Every error Assent raises on purpose. `code` is stable and meant for programs (the widget's
 * `assent:error` event, tests); `message` is for people and says what to fix.
 */
export type AssentErrorCode =
	// content (build time)
	| 'content/front-matter'
	| 'content/field'
	| 'content/file-name'
	| 'content/locale'
	| 'content/order'
	| 'content/duplicate'
	| 'content/consistency'
	| 'content/partners'
	| 'content/site'
	| 'content/lock-changed'
	| 'content/lock-removed'
	| 'content/lock-file'
	| 'content/not-found'
	| 'content/invalid';

export interface AssentErrorDetails {
	/** The file the problem is in, relative to the content folder where possible. */
	file?: string;
	/** The field, attribute or key at fault. */
	field?: string;
	/** Several problems reported together (a build lists every content problem at once). */
	problems?: AssentError[];
}

export class AssentError extends Error {
	readonly code: AssentErrorCode;
	readonly file: string | undefined;
	readonly field: string | undefined;
	readonly problems: AssentError[];

	constructor(code: AssentErrorCode, message: string, details: AssentErrorDetails = {}) {
		super(message);
		this.name = 'AssentError';
		this.code = code;
		this.file = details.file;
		this.field = details.field;
		this.problems = details.problems ?? [];
	}
}
