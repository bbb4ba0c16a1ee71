import type createDOMPurify from 'dompurify';

/*
 * What statement HTML may contain, for DOMPurify: at build time (jsdom) when statements are
 * rendered, and in the browser when the comparison page compares two versions itself.
 */

/** The prefix of the heading anchors the renderer makes; the only ids statement HTML keeps. */
export const HEADING_PREFIX = 'section-';

/** Only web links, mail and phone links, and links without a scheme (relative, fragment). */
const ALLOWED_URI = /^(?:(?:https?|mailto|tel):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;
export const URI_ATTRIBUTES = new Set([
	'href',
	'src',
	'xlink:href',
	'action',
	'formaction',
	'cite',
	'poster'
]);

/** Adds the statement rules that DOMPurify's configuration cannot say to a sanitizer. */
export function statementPolicy(purify: ReturnType<typeof createDOMPurify>): void {
	purify.addHook('uponSanitizeAttribute', (node, data) => {
		const name = data.attrName.toLowerCase();
		if (URI_ATTRIBUTES.has(name)) {
			// DOMPurify lets data: URLs through on images; statements never need them.
			// eslint-disable-next-line no-control-regex
			const squeezed = data.attrValue.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
			if (/^data:/i.test(squeezed)) data.keepAttr = false;
		}
		if ((name === 'id' || name === 'name') && !data.attrValue.startsWith(HEADING_PREFIX)) {
			// Author-written ids could collide with the page's own landmarks and anchors.
			data.keepAttr = false;
		}
	});

	purify.addHook('afterSanitizeAttributes', (node) => {
		if (node.nodeName === 'A') {
			const href = node.getAttribute('href') ?? '';
			node.removeAttribute('target');
			if (/^https?:/i.test(href)) {
				node.setAttribute('target', '_blank');
				node.setAttribute('rel', 'noopener noreferrer nofollow');
			} else if (href) {
				node.setAttribute('rel', 'noopener noreferrer');
			}
		}
	});
}

export const SANITIZE_CONFIG = {
	USE_PROFILES: { html: true },
	FORBID_TAGS: [
		'style',
		'form',
		'input',
		'button',
		'select',
		'option',
		'textarea',
		'iframe',
		'frame',
		'frameset',
		'object',
		'embed',
		'base',
		'link',
		'meta',
		'template',
		'dialog',
		'video',
		'audio',
		'source',
		'track',
		'picture',
		'noscript',
		'marquee'
	],
	FORBID_ATTR: ['style', 'srcset', 'action', 'formaction', 'ping', 'background', 'class'],
	ALLOW_DATA_ATTR: false,
	ALLOWED_URI_REGEXP: ALLOWED_URI
};
