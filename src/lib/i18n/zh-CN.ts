/**
 * Every word of the site, the widget and the records page in Simplified Chinese, one module per
 * section (`zh-CN/<section>.ts`).
 */
import type { Catalogue } from './en';
import { zhCNConsole } from './zh-CN/console';
import { zhCNRecords } from './zh-CN/records';
import { zhCNSite } from './zh-CN/site';
import { zhCNWidget } from './zh-CN/widget';

export const zhCN: Catalogue = {
	site: zhCNSite,
	widget: zhCNWidget,
	records: zhCNRecords,
	console: zhCNConsole
};
