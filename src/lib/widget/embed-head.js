// The one script of the widget's frame page that runs before anything else in it. The statement
// prerendered into the page is what accept mode shows for one statement; for another mode
// (`associate`, `api`) or several statements (`mode` and `statements` in the frame's address) it
// would be the wrong words, so the page hides it until its session shows what applies.
// Plain JavaScript, so `svelte.config.js` can hash it into the pages' Content-Security-Policy.
export const EMBED_HEAD_SCRIPT =
	"var q=new URLSearchParams(location.search);if((q.get('mode')||'accept')!=='accept'||q.has('statements'))document.documentElement.setAttribute('data-assent-wait','')";

/** The attribute the script sets on `<html>` while the prerendered statement is not to be shown. */
export const EMBED_WAIT_ATTRIBUTE = 'data-assent-wait';

/** The script element, first in the frame page's head (`src/hooks.server.ts`). */
export const EMBED_HEAD_HTML = `<script>${EMBED_HEAD_SCRIPT}</script>`;
