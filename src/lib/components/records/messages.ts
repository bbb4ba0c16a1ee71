/** The words of the records page, in every locale Assent speaks. Kept apart from the widget's. */
import { fillMessage, uiLocale } from '../../core/i18n';

const en = {
	'records.title': 'My records',
	'records.intro':
		'The acceptance records this browser keeps for this site: one for every accept, decline, association and disassociation made through its widget. Records are never edited, and each one carries the digest of the one before, so a changed or removed record shows.',
	'records.loading': 'Reading the records of this browser…',
	'records.noScript': 'This page reads the records kept in your browser and needs JavaScript.',
	'records.empty':
		'No records in this browser yet. They appear here when you accept or decline a statement, or associate with a partner, through the widget of this site. Answers given in the widget on a partner’s website are kept by the browser apart, for that website, and do not show here: the partner, and its backend, hold those.',
	'records.count.one': '1 record in this browser.',
	'records.count.other': '{count} records in this browser.',
	'records.shown': 'Showing {shown} of {count}.',
	'records.caption': 'Records, newest first',
	'records.noMatch': 'No record matches these filters.',
	'records.unavailable': 'The records of this browser cannot be read',
	'filter.legend': 'Filter records',
	'filter.subject': 'Subject',
	'filter.statement': 'Statement',
	'filter.partner': 'Partner',
	'filter.action': 'Action',
	'filter.all': 'All',
	'filter.noPartner': 'No partner',
	'filter.clear': 'Clear filters',
	'column.seq': 'No.',
	'column.time': 'Time',
	'column.action': 'Action',
	'column.subject': 'Subject',
	'column.partner': 'Partner',
	'column.statement': 'Statement',
	'column.sync': 'Sync',
	'action.accept': 'Accept',
	'action.decline': 'Decline',
	'action.associate': 'Associate',
	'action.disassociate': 'Disassociate',
	'sync.pending': 'Pending',
	'sync.synced': 'Synced',
	'sync.rejected': 'Rejected',
	'sync.unknown': 'No sync state',
	'sync.received': 'received {time}',
	'sync.attempts.one': '1 attempt',
	'sync.attempts.other': '{count} attempts',
	'sync.lastError': 'Last error: {error}',
	'sync.localOnly': 'Kept in this browser only',
	'sync.localOnlyWhy':
		'The widget that made it had no sync-url and no adapter: no backend receives it. Export the records to keep a copy.',
	'column.details': 'Details',
	'details.show': 'Details of record #{seq}',
	'details.hide': 'Hide details',
	'details.title': 'Record #{seq}',
	'details.id': 'Id',
	'details.digest': 'Digest',
	'details.prev': 'Previous digest',
	'details.prevNone': 'none: the first record of this browser',
	'details.hash': 'Statement hash',
	'details.target': 'Sent to',
	'details.targetNone': 'nowhere: kept in this browser only',
	'details.targetAdapter': 'the partner page’s own code (adapter)',
	'details.targetUnknown': 'not noted',
	'details.receipt': 'Receipt',
	'details.receiptNone': 'none received',
	'details.copy': 'Copy',
	'details.copied': 'Copied',
	'receipt.checking': 'Checking the receipt against the backend’s key…',
	'receipt.verified': 'Receipt verified: signed by the backend’s key {kid} ({url}).',
	'receipt.invalid': 'Receipt not valid: {detail}',
	'receipt.notChecked': 'Receipt not checked: {detail}',
	'chain.verifying': 'Verifying the chain…',
	'chain.intact.one': 'Chain intact: 1 record verified',
	'chain.intact.other': 'Chain intact: {count} records verified',
	'chain.broken': 'Chain broken at record #{seq}: {reason}',
	'chain.brokenAt': 'Chain broken at the record in position {position}: {reason}',
	'chain.failed': 'The chain could not be verified: {reason}',
	'chain.problem.digest-mismatch':
		'its content does not match its digest, so it was changed after it was written.',
	'chain.problem.broken-link':
		'it does not link to the record before it, so that record was changed or replaced.',
	'chain.problem.missing': 'records before it are missing.',
	'chain.problem.reordered': 'it is out of order.',
	'chain.problem.seq-gap': 'its number does not follow the record before it.',
	'chain.problem.duplicate': 'its id or number was already used by an earlier record.',
	'chain.problem.schema': 'it is not a well-formed record.',
	'export.button': 'Export records',
	'export.note':
		'Downloads assent-records-<date>.json: every record of this browser, oldest first, exactly as stored and whatever the filters, each valid against /schemas/record.json; the sync state of each record is beside them, by record id.',
	'export.empty': 'Nothing to export yet.',
	'persistence.checking': 'Asking the browser to keep these records…',
	'persistence.granted':
		'Persistent storage granted: the browser keeps these records even when it runs short of space.',
	'persistence.denied':
		'Persistent storage not granted: the browser may delete these records when it runs short of space. Export them to keep a copy.',
	'persistence.unsupported':
		'Persistent storage is not offered by this browser: it may delete these records when it runs short of space. Export them to keep a copy.'
} as const;

export type RecordsMessageKey = keyof typeof en;

const zhCN: Record<RecordsMessageKey, string> = {
	'records.title': '我的记录',
	'records.intro':
		'此浏览器为本网站保存的同意记录：通过本网站小部件进行的每一次接受、拒绝、关联和解除关联各对应一条记录。记录从不修改，每条记录都带有前一条记录的摘要，因此任何被修改或删除的记录都会显现出来。',
	'records.loading': '正在读取此浏览器中的记录…',
	'records.noScript': '此页面读取保存在您浏览器中的记录，需要启用 JavaScript。',
	'records.empty':
		'此浏览器中尚无记录。当您通过本网站的小部件接受或拒绝某项声明，或与合作伙伴关联时，记录会显示在这里。您在合作伙伴网站上的小部件中作出的答复由浏览器为该网站单独保存，不会显示在这里；这些记录由合作伙伴及其后端保存。',
	'records.count.one': '此浏览器中有 1 条记录。',
	'records.count.other': '此浏览器中有 {count} 条记录。',
	'records.shown': '显示 {count} 条中的 {shown} 条。',
	'records.caption': '记录（最新的在前）',
	'records.noMatch': '没有符合这些筛选条件的记录。',
	'records.unavailable': '无法读取此浏览器中的记录',
	'filter.legend': '筛选记录',
	'filter.subject': '主体',
	'filter.statement': '声明',
	'filter.partner': '合作伙伴',
	'filter.action': '操作',
	'filter.all': '全部',
	'filter.noPartner': '无合作伙伴',
	'filter.clear': '清除筛选',
	'column.seq': '序号',
	'column.time': '时间',
	'column.action': '操作',
	'column.subject': '主体',
	'column.partner': '合作伙伴',
	'column.statement': '声明',
	'column.sync': '同步',
	'action.accept': '接受',
	'action.decline': '拒绝',
	'action.associate': '关联',
	'action.disassociate': '解除关联',
	'sync.pending': '待同步',
	'sync.synced': '已同步',
	'sync.rejected': '被拒绝',
	'sync.unknown': '无同步状态',
	'sync.received': '服务端接收于 {time}',
	'sync.attempts.one': '尝试 1 次',
	'sync.attempts.other': '尝试 {count} 次',
	'sync.lastError': '最近错误：{error}',
	'sync.localOnly': '仅保存在此浏览器中',
	'sync.localOnlyWhy':
		'生成该记录的小部件既没有 sync-url 也没有适配器：没有后端会接收它。请导出记录以保留副本。',
	'column.details': '详情',
	'details.show': '记录 #{seq} 的详情',
	'details.hide': '隐藏详情',
	'details.title': '记录 #{seq}',
	'details.id': '标识',
	'details.digest': '摘要',
	'details.prev': '前一条摘要',
	'details.prevNone': '无：此浏览器的第一条记录',
	'details.hash': '声明哈希',
	'details.target': '发送至',
	'details.targetNone': '不发送：仅保存在此浏览器中',
	'details.targetAdapter': '合作伙伴页面自身的代码（适配器）',
	'details.targetUnknown': '未记录',
	'details.receipt': '回执',
	'details.receiptNone': '未收到',
	'details.copy': '复制',
	'details.copied': '已复制',
	'receipt.checking': '正在用后端的密钥核验回执…',
	'receipt.verified': '回执已核验：由后端密钥 {kid} 签名（{url}）。',
	'receipt.invalid': '回执无效：{detail}',
	'receipt.notChecked': '回执未核验：{detail}',
	'chain.verifying': '正在验证记录链…',
	'chain.intact.one': '记录链完整：已验证 1 条记录',
	'chain.intact.other': '记录链完整：已验证 {count} 条记录',
	'chain.broken': '记录链在第 #{seq} 条记录处断开：{reason}',
	'chain.brokenAt': '记录链在位置 {position} 的记录处断开：{reason}',
	'chain.failed': '无法验证记录链：{reason}',
	'chain.problem.digest-mismatch': '其内容与其摘要不符，说明它在写入后被修改过。',
	'chain.problem.broken-link': '它没有链接到前一条记录，说明前一条记录被修改或替换过。',
	'chain.problem.missing': '它之前的记录缺失。',
	'chain.problem.reordered': '它的顺序不正确。',
	'chain.problem.seq-gap': '它的序号没有紧接前一条记录。',
	'chain.problem.duplicate': '它的标识或序号已被更早的记录使用。',
	'chain.problem.schema': '它不是格式正确的记录。',
	'export.button': '导出记录',
	'export.note':
		'下载 assent-records-<date>.json：此浏览器中的全部记录，按时间从旧到新，与保存时完全一致，不受筛选影响，每条记录均符合 /schemas/record.json；每条记录的同步状态按记录标识另行列出。',
	'export.empty': '尚无可导出的记录。',
	'persistence.checking': '正在请求浏览器保留这些记录…',
	'persistence.granted': '已获得持久存储：即使存储空间不足，浏览器也会保留这些记录。',
	'persistence.denied':
		'未获得持久存储：存储空间不足时，浏览器可能删除这些记录。请导出以保留副本。',
	'persistence.unsupported':
		'此浏览器不提供持久存储：存储空间不足时，浏览器可能删除这些记录。请导出以保留副本。'
};

const catalogues: Record<string, Record<RecordsMessageKey, string>> = { en, 'zh-CN': zhCN };

/** A translator for the records page bound to one locale: `t('records.title')`. */
export function recordsTranslator(locale: string | undefined) {
	const catalogue = catalogues[uiLocale(locale)] ?? en;
	return (key: RecordsMessageKey, values?: Record<string, string | number>) =>
		fillMessage(catalogue[key], values);
}

/** The `.one` or `.other` form of a counted message. */
export function countKey<K extends string>(base: K, count: number): `${K}.one` | `${K}.other` {
	return count === 1 ? `${base}.one` : `${base}.other`;
}
