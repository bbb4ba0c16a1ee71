import type { ConsentOptions } from './consent.svelte';

/** What the consent state's tests share: customer-1 asked in accept mode for `terms`, in a frame. */
export const ACCEPT_TERMS = {
	base: 'https://statements.example.com',
	statementIds: ['terms'],
	mode: 'accept',
	provider: 'Example Cloud Ltd.',
	subject: 'customer-1',
	locale: 'en',
	embed: 'iframe',
	hostOrigin: 'https://shop.example',
	widget: 'assent/0.0.0'
} satisfies Partial<ConsentOptions>;

/**
 * A statements site with one statement, `terms` 1.0 in English, for the consent state's tests:
 * its index and the version's JSON document, as the site publishes them.
 */
export function termsSite(hash: string) {
	const json = '/statements/terms/1.0/en.json';
	const index = {
		statements: [
			{
				id: 'terms',
				title: 'Terms',
				defaultLocale: 'en',
				locales: ['en'],
				versions: [
					{
						version: '1.0',
						issued: '2025-01-15',
						effective: '2025-01-15',
						change: 'initial',
						locales: { en: { title: 'Terms', summary: null, hash, json } }
					}
				]
			}
		]
	};
	const terms = { html: '<p>Terms.</p>', hash, url: '/statements/terms/1.0/en/' };
	return { index, terms, documents: { '/statements/index.json': index, [json]: terms } };
}

/** A `fetch` that answers the site's documents by path, and 404 for anything else. */
export function siteFetch(documents: Record<string, unknown>): typeof fetch {
	return (async (input: string | URL | Request) => {
		const body = documents[new URL(String(input)).pathname];
		return body === undefined ? new Response('Not found', { status: 404 }) : Response.json(body);
	}) as typeof fetch;
}
