// The frame page is prerendered HTML with one script of its own (`/widget/frame/embed.js`, built
// from src/entries/frame.ts), which hydrates it: no client router to download first, as the
// frame never navigates.
export const csr = false;
