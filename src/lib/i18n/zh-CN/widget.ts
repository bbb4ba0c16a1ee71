/** The words of the consent widget (frame and inline session) in Simplified Chinese. */
import type { Catalogue } from '../en';

export const zhCNWidget: Catalogue['widget'] = {
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
	'error.widget/unreachable': '无法加载声明。请检查网络连接后重试；未记录任何内容。',
	'error.widget/unknown-statement': '此页面请求的声明尚未发布。未记录任何内容；已通知网站所有者。',
	'error.widget/unknown-partner':
		'此页面指定的合作伙伴未经登记。未记录任何内容；已通知网站所有者。',
	'error.widget/origin': '此页面无权显示此同意表单。未记录任何内容。',
	'error.widget/attribute': '此页面上的同意表单设置有误。未记录任何内容。',
	'error.widget/nothing-in-force': '此声明尚无生效版本。未记录任何内容。',
	'error.widget/hidden':
		'此表单在页面上被遮挡或隐藏，因此未记录您的回答。请确认能看到完整的表单后重试。',
	'error.store/unavailable': '此浏览器不允许表单保存记录（存储已关闭或被阻止）。未记录任何内容。',
	'error.store/blocked': '另一个标签页正在更新此浏览器的记录。请关闭此网站的其他标签页后重试。',
	'error.store/quota': '此浏览器已没有空间保存记录。请释放空间后重试；未记录任何内容。',
	'error.store/closed': '浏览器关闭了记录存储。请重试；未记录任何内容。',
	'error.store/conflict': '另一个标签页同时保存了一条记录。请重试；没有丢失任何内容。',
	'error.store/failed': '无法在此浏览器中保存记录。请重试；未记录任何内容。',
	'error.record/no-crypto': '此浏览器无法在此处生成防篡改记录（连接不安全）。未记录任何内容。',
	'error.standing/record':
		'来自其他设备的一条答复记录无法确认，未被采用。此处显示的内容仅来自已确认的记录。',
	errorDetails: '供网站开发人员参考的详情',
	summarySeparator: '：',
	errorTitle: '无法显示此同意表单',
	retry: '重试'
};
