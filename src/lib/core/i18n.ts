/** Interface words of the site's pages and the widget, in every locale Assent speaks. */
const en = {
	version: 'Version',
	issued: 'Issued',
	effective: 'Effective',
	change: 'Change',
	summary: 'Summary',
	hash: 'Hash (SHA-256)',
	'change.initial': 'Initial version',
	'change.minor': 'Minor change',
	'change.material': 'Material change',
	'status.in-force': 'In force',
	'status.announced': 'Announced',
	'status.superseded': 'Superseded',
	otherLocales: 'Other languages',
	versions: 'Versions',
	history: 'History',
	compare: 'Compare versions',
	announcedNotice: 'Version {version} is announced and comes into force on {date}.',
	notInForceNotice: 'This version is not in force.',
	supersededNotice: 'This version is superseded by version {version}, in force since {date}.',
	announcedNotYet:
		'This version is announced: it comes into force on {date}. Until then, version {version} applies.',
	readInForce: 'Read the version in force',
	readAnnounced: 'Read version {version}',
	whatChanged: 'What changes',
	'diff.added': 'Added text (underlined, green)',
	'diff.removed': 'removed text (struck through, red)',
	'diff.counts': '{added} additions, {removed} removals.',
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
	'kind.quote': 'quotation',
	'nav.statements': 'Statements',
	'nav.feed': 'Updates feed',
	'nav.records': 'My records'
} as const;

export type MessageKey = keyof typeof en;

const zhCN: Record<MessageKey, string> = {
	version: '版本',
	issued: '发布日期',
	effective: '生效日期',
	change: '变更类型',
	summary: '变更摘要',
	hash: '哈希值 (SHA-256)',
	'change.initial': '首个版本',
	'change.minor': '细微变更',
	'change.material': '重大变更',
	'status.in-force': '现行有效',
	'status.announced': '已公告',
	'status.superseded': '已被取代',
	otherLocales: '其他语言',
	versions: '所有版本',
	history: '版本历史',
	compare: '比较版本',
	announcedNotice: '版本 {version} 已公告，将于 {date} 生效。',
	notInForceNotice: '此版本目前不适用。',
	supersededNotice: '此版本已被版本 {version} 取代，后者自 {date} 起生效。',
	announcedNotYet: '此版本已公告，将于 {date} 生效。在此之前，适用版本 {version}。',
	readInForce: '阅读现行版本',
	readAnnounced: '阅读版本 {version}',
	whatChanged: '变更内容',
	'diff.added': '新增的文字（下划线，绿色）',
	'diff.removed': '删除的文字（删除线，红色）',
	'diff.counts': '共 {added} 处新增，{removed} 处删除。',
	'diff.same': '两个版本的文字相同。',
	'diff.addedWord': '新增',
	'diff.removedWord': '删除',
	'diff.newBlock': '新增{kind}：',
	'diff.removedBlock': '删除{kind}：',
	'kind.heading': '标题',
	'kind.paragraph': '段落',
	'kind.item': '列表项',
	'kind.row': '表格行',
	'kind.code': '代码',
	'kind.quote': '引文',
	'nav.statements': '声明',
	'nav.feed': '更新订阅',
	'nav.records': '我的记录'
};

const catalogues: Record<string, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** The language Assent speaks for a locale: an exact match, then the language alone, then English. */
export function uiLocale(locale: string | undefined): string {
	if (!locale) return 'en';
	if (catalogues[locale]) return locale;
	const language = locale.split('-')[0]!.toLowerCase();
	if (language === 'zh') return 'zh-CN';
	return catalogues[language] ? language : 'en';
}

/** Puts `values` into a message's `{name}` slots; a slot without a value stays as it is. */
export function fillMessage(template: string, values?: Record<string, string | number>): string {
	return template.replace(/\{(\w+)\}/g, (_, name: string) =>
		values?.[name] !== undefined ? String(values[name]) : `{${name}}`
	);
}

export function translate(options: {
	locale: string | undefined;
	key: MessageKey;
	values?: Record<string, string>;
}): string {
	return fillMessage(catalogues[uiLocale(options.locale)]![options.key], options.values);
}

/** A translator bound to one locale, for templates: `t('version')`. */
export function translator(locale: string | undefined) {
	return (key: MessageKey, values?: Record<string, string>) => translate({ locale, key, values });
}

/** Human names of locales, written in their own language, for language switchers. */
export function localeName(locale: string): string {
	try {
		return new Intl.DisplayNames([locale], { type: 'language' }).of(locale) ?? locale;
	} catch {
		return locale;
	}
}
