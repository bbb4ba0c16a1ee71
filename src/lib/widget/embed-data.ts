/**
 * The data the widget's frame page (`src/routes/embed/[id]`) carries for its script
 * (`src/entries/frame.ts`): written into the prerendered HTML as a JSON data block, which no
 * Content-Security-Policy blocks, since it is not run.
 */
import type { ShownStatement } from './consent.svelte';
import type { EmbedPartner } from './frame';

export interface EmbedFrameData {
	/** The statement the frame's address names (`/embed/<id>/`). */
	id: string;
	provider: string;
	/** The site's own origins that may embed accept mode without a partner (site.yaml). */
	origins: string[];
	partners: EmbedPartner[];
	/** The statement in force at build, in its default locale, shown before the session starts. */
	preview: { locale: string; statements: ShownStatement[] } | null;
}

/** The element the frame's component is rendered into, and hydrated on. */
export const EMBED_ROOT_ID = 'assent-embed';
/** The JSON data block with the `EmbedFrameData`. */
export const EMBED_DATA_ID = 'assent-embed-data';

/**
 * The data block: JSON that can stand inside a `<script>` element (every `<` escaped, so no
 * `</script>` or `<!--` in a statement's words can end it early).
 */
export const embedDataBlock = (data: EmbedFrameData): string =>
	`<script type="application/json" id="${EMBED_DATA_ID}">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`;
