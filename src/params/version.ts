import type { ParamMatcher } from '@sveltejs/kit';
import { isVersion } from '$lib/core/version';

export const match: ParamMatcher = (param) => isVersion(param);
