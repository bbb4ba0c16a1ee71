import type { ChangeKind, VersionTimeline } from '../../core/statement';
import type { SubjectKey } from './keys';
import type { TextBlock } from './render';

export interface Publisher {
	name: string;
	/** The name per locale, when site.yaml gives one (`name: { en: …, zh-CN: … }`). */
	names?: Record<string, string>;
	contact?: string;
}

export interface Site {
	/** @default 'Assent' */
	name: string;
	/** The name per locale, when site.yaml gives one (`name: { en: …, zh-CN: … }`). */
	names?: Record<string, string>;
	publisher?: Publisher;
	/** The locales statements are written in; the first is the default. */
	locales: string[];
	/** Absolute URL the site is served at, used in the feed; no trailing slash. */
	baseUrl?: string;
	/**
	 * Web origins that may embed the widget in accept mode without being a partner's (site.yaml
	 * `origins`); partners' origins may too.
	 */
	origins?: string[];
	/** The operator's public keys for its own subject tokens (`iss: operator`), from site.yaml. */
	operator?: { keys: SubjectKey[] };
}

export interface Partner {
	id: string;
	name: string;
	url: string;
	/** Web origins allowed to embed the association widget for this partner. */
	origins: string[];
	/** Public keys of the partner's subject tokens (SPEC section 8), selected by `kid`. */
	keys?: SubjectKey[];
}

/** One locale of one version: the file as written and rendered. */
export interface LocalizedVersion {
	locale: string;
	title: string;
	summary: string | null;
	/** `sha256:…` of the file (SPEC section 2). */
	hash: string;
	/** The file, relative to the content folder, with `/` separators. */
	file: string;
	/** Sanitized HTML of the body. */
	html: string;
	blocks: TextBlock[];
}

export interface StatementVersion extends VersionTimeline {
	/** Key order follows the site's locales. */
	locales: Record<string, LocalizedVersion>;
	/** Every locale of this version is recorded in `statements.lock.json`. */
	locked: boolean;
}

export interface Statement {
	id: string;
	/** The site's default locale when the statement has it, else its first locale. */
	defaultLocale: string;
	/** Every locale any version is written in, in the site's order. */
	locales: string[];
	/** Oldest first. */
	versions: StatementVersion[];
}

export interface Content {
	/** Absolute path of the content folder. */
	dir: string;
	site: Site;
	partners: Partner[];
	statements: Statement[];
	/** Lock keys (`<id>/<version>.<locale>`) of files not yet in `statements.lock.json`. */
	unlocked: string[];
	/** Lock keys and hashes of every file, as `statements:publish` would write them. */
	hashes: Record<string, string>;
	/** What authors should look at in files not yet published; none of it stops a build. */
	warnings: ContentWarning[];
}

/** Something in a statement file worth a look that does not stop the build. */
export interface ContentWarning {
	/**
	 * `content/sanitized`: markup was removed; `content/title`: the text starts with a heading
	 * other than the title; `content/unchanged`: a material version repeats the previous text.
	 */
	code: 'content/sanitized' | 'content/title' | 'content/unchanged';
	file: string;
	/** Starts with the file, says what to do. */
	message: string;
}

export type { ChangeKind };
