import { cataloguePage } from '$lib/server/content/catalogue-page';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => cataloguePage({});
