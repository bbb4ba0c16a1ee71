// The frame depends on its address and the browser's storage: it renders in the browser only.
export const ssr = false;
