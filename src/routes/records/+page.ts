// The page is static; the records are read from the browser's storage after it loads.
export const prerender = true;
