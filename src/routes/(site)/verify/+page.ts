// The page is a static shell; files are read and verified in the browser only.
export const prerender = true;
