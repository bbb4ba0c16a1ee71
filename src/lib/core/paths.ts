/** The site's URLs (SPEC section 3), relative to the site root. Pages end with a slash. */
export const paths = {
	/** The catalogue; `/<locale>/` in another locale than the site's default. */
	home: (options: { locale?: string } = {}) => (options.locale ? `/${options.locale}/` : '/'),
	statement: (options: { id: string }) => `/statements/${options.id}/`,
	version: (options: { id: string; version: string; locale?: string }) =>
		`/statements/${options.id}/${options.version}/${options.locale ? `${options.locale}/` : ''}`,
	versionJson: (options: { id: string; version: string; locale: string }) =>
		`/statements/${options.id}/${options.version}/${options.locale}.json`,
	/** Every version; `…/history/<locale>/` speaks and lists in another locale than the default. */
	history: (options: { id: string; locale?: string }) =>
		`/statements/${options.id}/history/${options.locale ? `${options.locale}/` : ''}`,
	/** The comparison page; `…/diff/<locale>/` compares the text of that locale, in its language. */
	diff: (options: { id: string; from?: string; to?: string; locale?: string }) => {
		const query = new URLSearchParams();
		if (options.from) query.set('from', options.from);
		if (options.to) query.set('to', options.to);
		const search = query.toString();
		return `/statements/${options.id}/diff/${options.locale ? `${options.locale}/` : ''}${search ? `?${search}` : ''}`;
	},
	/** Precomputed word diff between two versions of one locale (`from` older than `to`). */
	diffJson: (options: { id: string; from: string; to: string; locale: string }) =>
		`/statements/${options.id}/diff/${options.from}/${options.to}/${options.locale}.json`,
	index: () => '/statements/index.json',
	feed: () => '/statements/feed.xml',
	partners: () => '/partners.json'
};
