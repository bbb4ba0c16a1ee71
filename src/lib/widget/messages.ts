/** The consent widget's words, in every locale Assent speaks. */
import { fillMessage, uiLocale } from '../core/i18n';

const en = {
	loading: 'Loading the statement…',
	version: 'Version {version}, in force since {date}',
	readFull: 'Read the full statement',
	agreeLabel: 'I have read and agreed to the {title}',
	agreeLabelMany: 'I have read and agreed to the {titles}',
	scrollFirst: 'Scroll to the end of the statement to continue.',
	confirm: 'Confirm',
	decline: 'Decline',
	saving: 'Saving…',
	saved: 'Saved in this browser.',
	synced: 'Saved and received by the service.',
	declined: 'Your answer was saved: you declined.',
	accepted: 'You agreed to version {version} on {date}.',
	changedTitle: 'The {title} has changed',
	changedIntro:
		'You agreed to version {accepted}. Version {inForce} is now in force with a material change:',
	showChanges: 'Show what changed',
	associateIntro:
		'Associating your account with {partner} lets {provider} share the data described in the statement below with {partner}.',
	associate: 'Associate with {partner}',
	associatedWith:
		'Your account is associated with {partner} since {date} (statement version {version}).',
	associatedBefore:
		'Your account is associated with {partner} since {date}, under statement version {accepted}. Version {inForce} is now in force with a material change: keep the association by agreeing to the new version, or disassociate.',
	keepAssociation: 'Keep the association under version {version}',
	disassociate: 'Disassociate',
	disassociateConfirm:
		'End the association with {partner}? {partner} will no longer receive data about your account from now on.',
	disassociateYes: 'Yes, disassociate',
	cancel: 'Cancel',
	disassociated: 'The association with {partner} has ended.',
	notAssociated: 'Your account is not associated with {partner}.',
	upcoming: 'Version {version} is announced and comes into force on {date}.',
	errorTitle: 'This consent form cannot be shown',
	retry: 'Try again'
} as const;

export type WidgetMessageKey = keyof typeof en;

const zhCN: Record<WidgetMessageKey, string> = {
	loading: '正在加载声明…',
	version: '版本 {version}，自 {date} 起生效',
	readFull: '阅读完整声明',
	agreeLabel: '我已阅读并同意《{title}》',
	agreeLabelMany: '我已阅读并同意{titles}',
	scrollFirst: '请滚动到声明末尾后继续。',
	confirm: '确认',
	decline: '拒绝',
	saving: '正在保存…',
	saved: '已保存在此浏览器中。',
	synced: '已保存，服务方已收到。',
	declined: '您的答复已保存：您已拒绝。',
	accepted: '您已于 {date} 同意版本 {version}。',
	changedTitle: '《{title}》已更新',
	changedIntro: '您曾同意版本 {accepted}。现行版本 {inForce} 含有重大变更：',
	showChanges: '查看变更内容',
	associateIntro:
		'将您的账户与 {partner} 关联后，{provider} 将按照以下声明与 {partner} 共享相关数据。',
	associate: '与 {partner} 关联',
	associatedWith: '您的账户自 {date} 起已与 {partner} 关联（声明版本 {version}）。',
	associatedBefore:
		'您的账户自 {date} 起已按声明版本 {accepted} 与 {partner} 关联。现行版本 {inForce} 含有重大变更：同意新版本即可保留关联，或解除关联。',
	keepAssociation: '按版本 {version} 保留关联',
	disassociate: '解除关联',
	disassociateConfirm:
		'确定解除与 {partner} 的关联吗？从现在起，{partner} 将不再收到与您账户有关的数据。',
	disassociateYes: '确定解除',
	cancel: '取消',
	disassociated: '已解除与 {partner} 的关联。',
	notAssociated: '您的账户尚未与 {partner} 关联。',
	upcoming: '版本 {version} 已公告，将于 {date} 生效。',
	errorTitle: '无法显示此同意表单',
	retry: '重试'
};

const catalogues: Record<string, Record<WidgetMessageKey, string>> = { en, 'zh-CN': zhCN };

/** A translator for the widget bound to one locale: `t('confirm')`. */
export function widgetTranslator(locale: string | undefined) {
	const catalogue = catalogues[uiLocale(locale)] ?? en;
	return (key: WidgetMessageKey, values?: Record<string, string>) =>
		fillMessage(catalogue[key], values);
}

/** Joins titles the way each language lists them. */
export function listTitles(options: { locale: string; titles: string[] }): string {
	if (uiLocale(options.locale) === 'zh-CN') return options.titles.map((t) => `《${t}》`).join('和');
	return new Intl.ListFormat('en', { type: 'conjunction' }).format(options.titles);
}
