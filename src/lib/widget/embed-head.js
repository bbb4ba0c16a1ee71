// The one script of the widget's frame page that runs before the page's modules: in API mode
// (`mode=api` in the frame's address) the frame shows nothing, not even the statement prerendered
// into its HTML. Plain JavaScript, so `svelte.config.js` can hash it into the pages'
// Content-Security-Policy.
export const EMBED_HEAD_SCRIPT =
	"if(new URLSearchParams(location.search).get('mode')==='api')document.documentElement.setAttribute('data-assent-api','')";

/** The script element, first in the frame page's head (`src/hooks.server.ts`). */
export const EMBED_HEAD_HTML = `<script>${EMBED_HEAD_SCRIPT}</script>`;
