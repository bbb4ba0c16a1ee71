import { cataloguePage } from '$lib/content/catalogue-page';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => cataloguePage({});
