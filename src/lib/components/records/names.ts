/**
 * The names the records page shows instead of ids: statement titles from
 * `/statements/index.json` and partner names from `/partners.json`, as the site publishes them.
 */
import type { AcceptanceRecord } from '../../core/record';

export interface RecordNames {
	/** A statement's title by id, and the title of each version in each locale. */
	statements: Map<string, { title: string; byVersion: Map<string, string> }>;
	/** A partner's name by id. */
	partners: Map<string, string>;
}

interface Index {
	statements?: {
		id: string;
		title: string;
		versions?: { version: string; locales?: Record<string, { title?: string }> }[];
	}[];
}

interface Partners {
	partners?: { id: string; name: string }[];
}

/** Reads both documents; one that cannot be read leaves its ids shown as they are. */
export async function loadNames(options: { fetch?: typeof fetch } = {}): Promise<RecordNames> {
	const fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
	const read = async <T>(path: string): Promise<T | undefined> => {
		try {
			const response = await fetcher(path, { credentials: 'omit' });
			return response.ok ? ((await response.json()) as T) : undefined;
		} catch {
			return undefined;
		}
	};
	const [index, partners] = await Promise.all([
		read<Index>('/statements/index.json'),
		read<Partners>('/partners.json')
	]);
	const names: RecordNames = { statements: new Map(), partners: new Map() };
	for (const statement of index?.statements ?? []) {
		const byVersion = new Map<string, string>();
		for (const version of statement.versions ?? []) {
			for (const [locale, published] of Object.entries(version.locales ?? {})) {
				if (published.title) byVersion.set(`${version.version} ${locale}`, published.title);
			}
		}
		names.statements.set(statement.id, { title: statement.title, byVersion });
	}
	for (const partner of partners?.partners ?? []) names.partners.set(partner.id, partner.name);
	return names;
}

/** The title of the version the record names, in its locale; else the statement's title. */
export function statementTitle(
	names: RecordNames | undefined,
	statement: AcceptanceRecord['statement']
): string | undefined {
	const known = names?.statements.get(statement.id);
	return known?.byVersion.get(`${statement.version} ${statement.locale}`) ?? known?.title;
}
