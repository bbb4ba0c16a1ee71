// The one script of the widget's frame page that runs before anything else in it.
// - The statement prerendered into the page is what accept mode shows for one statement; for
//   another mode (`associate`, `api`) or several statements (`mode` and `statements` in the
//   frame's address) it would be the wrong words, so the page hides it until its session shows
//   what applies.
// - It asks for the frame's script (named by `<meta name="assent-frame-script">`) once the page
//   is parsed, not while the parser meets a script tag: the statement and its checkbox show from
//   the HTML without waiting for it. No timer: pages whose clock is faked (and frames the browser
//   does not paint) get it all the same.

/** The `<meta>` name whose content is the address of the frame's script. */
export const EMBED_SCRIPT_META = 'assent-frame-script';

/** The attribute the script sets on `<html>` while the prerendered statement is not to be shown. */
export const EMBED_WAIT_ATTRIBUTE = 'data-assent-wait';

// Plain JavaScript, so `svelte.config.js` can hash it into the pages' Content-Security-Policy.
export const EMBED_HEAD_SCRIPT =
	`var q=new URLSearchParams(location.search);if((q.get('mode')||'accept')!=='accept'||q.has('statements'))document.documentElement.setAttribute('${EMBED_WAIT_ATTRIBUTE}','');` +
	`addEventListener('DOMContentLoaded',function(){var m=document.querySelector('meta[name=${EMBED_SCRIPT_META}]');if(!m)return;var s=document.createElement('script');s.type='module';s.src=m.content;document.head.appendChild(s)})`;
