/**
 * `/widget/frame/embed.js`: the script of the widget's frame page (`src/routes/embed/[id]`).
 * The page is prerendered with its statement and checkbox; this hydrates that HTML with the data
 * the page carries, so the frame needs no client router and shows nothing twice.
 */
import { hydrate } from 'svelte';
import EmbedFrame from '../lib/components/consent/EmbedFrame.svelte';
import { EMBED_DATA_ID, EMBED_ROOT_ID, type EmbedFrameData } from '../lib/widget/embed-data';

const target = document.getElementById(EMBED_ROOT_ID);
const block = document.getElementById(EMBED_DATA_ID);
if (!target || !block) {
	throw new Error(
		`The widget's frame page has no #${EMBED_ROOT_ID} or #${EMBED_DATA_ID}: it was not built by this version of Assent; build the site again.`
	);
}
const data = JSON.parse(block.textContent ?? '') as EmbedFrameData;
hydrate(EmbedFrame, { target, props: { data } });
