/** The site's URLs (SPEC section 3), relative to the site root. Pages end with a slash. */
export const paths = {
	home: () => '/',
	statement: (options: { id: string }) => `/statements/${options.id}/`,
	version: (options: { id: string; version: string; locale?: string }) =>
		`/statements/${options.id}/${options.version}/${options.locale ? `${options.locale}/` : ''}`,
	versionJson: (options: { id: string; version: string; locale: string }) =>
		`/statements/${options.id}/${options.version}/${options.locale}.json`,
	history: (options: { id: string }) => `/statements/${options.id}/history/`,
	diff: (options: { id: string; from?: string; to?: string; locale?: string }) => {
		const query = new URLSearchParams();
		if (options.from) query.set('from', options.from);
		if (options.to) query.set('to', options.to);
		if (options.locale) query.set('locale', options.locale);
		const search = query.toString();
		return `/statements/${options.id}/diff/${search ? `?${search}` : ''}`;
	},
	/** Precomputed word diff between two versions of one locale (`from` older than `to`). */
	diffJson: (options: { id: string; from: string; to: string; locale: string }) =>
		`/statements/${options.id}/diff/${options.from}/${options.to}/${options.locale}.json`,
	index: () => '/statements/index.json',
	feed: () => '/statements/feed.xml',
	partners: () => '/partners.json'
};
