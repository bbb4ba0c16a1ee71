import type { ParamMatcher } from '@sveltejs/kit';

/** A BCP 47 tag as content file names spell it (`en`, `zh-CN`), never a word like `history`. */
export const match: ParamMatcher = (param) => /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(param);
