// A static shell: the console reads the site's index and the operator's receiver in the browser.
export const prerender = true;
