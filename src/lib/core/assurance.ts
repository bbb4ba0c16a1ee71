/**
 * How far a record can be trusted beyond its checks: whether a subject token vouched for its
 * subject and whether it was relayed from a partner page's storage (both as its receipt says,
 * under the backend's signature), and whether the browser reported the widget visibly shown
 * (`presentation.visible`). The console's timeline and `/verify/` say it in the same words.
 */
import { translator } from './i18n';

export interface Assurance {
	/** `unknown`: no receipt, so nothing says whether the backend checked a subject token. */
	subject: 'verified' | 'unverified' | 'unknown';
	/** The receipt says `"relayed": true`: the statements site's frame did not vouch for it. */
	relayed: boolean;
	/** `presentation.visible` is `true`; anything else (`"unknown"`, absent) is not known. */
	visible: boolean;
}

/** What a record and its receipt (if any) say about how far the record can be trusted. */
export function recordAssurance(entry: {
	record: { presentation?: { visible?: unknown } } | null | undefined;
	receipt?: unknown;
}): Assurance {
	const receipt =
		typeof entry.receipt === 'object' && entry.receipt !== null
			? (entry.receipt as { subject?: unknown; relayed?: unknown })
			: null;
	return {
		subject: !receipt ? 'unknown' : receipt.subject === 'unverified' ? 'unverified' : 'verified',
		relayed: receipt?.relayed === true,
		visible: entry.record?.presentation?.visible === true
	};
}

/** The assurance in the reader's words, e.g. "subject not verified · visibility not known". */
export function describeAssurance(options: { assurance: Assurance; locale?: string }): string {
	const t = translator(options.locale);
	const { subject, relayed, visible } = options.assurance;
	return [
		t(`assurance.subject.${subject}`),
		...(relayed ? [t('assurance.relayed')] : []),
		t(visible ? 'assurance.visible' : 'assurance.visibilityUnknown')
	].join(' · ');
}
