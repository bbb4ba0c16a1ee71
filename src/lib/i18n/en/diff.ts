/** The words of a comparison of two versions (the site's compare pages, the widget's change notice) in English. */
export const enDiff = {
	'diff.added': 'Added text (underlined, green)',
	'diff.removed': 'removed text (struck through, red)',
	'diff.and': ', ',
	'diff.end': '.',
	'diff.counts': '{added}, {removed}.',
	'diff.additions.one': '{count} addition',
	'diff.additions.other': '{count} additions',
	'diff.removals.one': '{count} removal',
	'diff.removals.other': '{count} removals',
	'diff.same': 'The two versions have the same text.',
	'diff.addedWord': 'added',
	'diff.removedWord': 'removed',
	'diff.newBlock': 'New {kind}:',
	'diff.removedBlock': 'Removed {kind}:',
	'kind.heading': 'heading',
	'kind.paragraph': 'paragraph',
	'kind.item': 'list item',
	'kind.row': 'table row',
	'kind.code': 'code',
	'kind.quote': 'quotation'
} as const;

/** The diff words of a locale: the same keys as English. */
export type DiffWords = Record<keyof typeof enDiff, string>;
