/** The words of a comparison of two versions (the site's compare pages, the widget's change notice) in Simplified Chinese. */
import type { DiffWords } from '../en/diff';

export const zhCNDiff: DiffWords = {
	'diff.added': '新增的文字（下划线，绿色）',
	'diff.removed': '删除的文字（删除线，红色）',
	'diff.and': '，',
	'diff.end': '。',
	'diff.counts': '共 {added}，{removed}。',
	'diff.additions.one': '{count} 处新增',
	'diff.additions.other': '{count} 处新增',
	'diff.removals.one': '{count} 处删除',
	'diff.removals.other': '{count} 处删除',
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
	'kind.quote': '引文'
};
