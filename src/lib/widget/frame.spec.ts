import { describe, expect, it } from 'vitest';
import { readEmbedRequest, type EmbedPartner } from './frame';

const partners: EmbedPartner[] = [
	{
		id: 'harbor-books',
		name: 'Harbor Books',
		url: 'https://harbor-books.example',
		origins: ['https://harbor-books.example']
	}
];

function request(
	query: string,
	extra: { ancestorOrigins?: string[]; framed?: boolean; siteOrigins?: string[] } = {}
) {
	return readEmbedRequest({
		url: new URL(`https://statements.example/embed/partner-association/?${query}`),
		statementId: 'partner-association',
		partners,
		siteOrigins: extra.siteOrigins ?? ['https://shop.example'],
		framed: extra.framed ?? true,
		...(extra.ancestorOrigins ? { ancestorOrigins: extra.ancestorOrigins } : {})
	});
}

describe('readEmbedRequest', () => {
	it('reads an allowed partner page', () => {
		expect(
			request(
				'mode=associate&partner=harbor-books&subject=c-1&locale=zh-CN&origin=https%3A%2F%2Fharbor-books.example'
			)
		).toEqual({
			statementIds: ['partner-association'],
			mode: 'associate',
			partner: partners[0],
			subject: 'c-1',
			locale: 'zh-CN',
			hostOrigin: 'https://harbor-books.example'
		});
	});

	it('refuses an origin the partner did not list, and says how to allow it', () => {
		const refusal = request(
			'mode=associate&partner=harbor-books&origin=https%3A%2F%2Fevil.example'
		);
		expect(refusal).toMatchObject({ code: 'widget/origin' });
		expect((refusal as { message: string }).message).toContain(
			'Add https://evil.example to the origins of partner "harbor-books" in partners.yaml'
		);
	});

	it('refuses when the browser reports another parent than the one claimed', () => {
		expect(
			request('partner=harbor-books&origin=https%3A%2F%2Fharbor-books.example', {
				ancestorOrigins: ['https://evil.example']
			})
		).toMatchObject({ code: 'widget/origin' });
	});

	it('refuses unknown partners, missing origins and pages opened outside a frame', () => {
		expect(request('partner=acme&origin=https%3A%2F%2Fharbor-books.example')).toMatchObject({
			code: 'widget/unknown-partner'
		});
		expect(request('mode=accept')).toMatchObject({ code: 'widget/attribute' });
		expect(request('origin=https%3A%2F%2Fa.example%2Fpath')).toMatchObject({
			code: 'widget/attribute'
		});
		expect(request('origin=https%3A%2F%2Fharbor-books.example', { framed: false })).toMatchObject({
			code: 'widget/attribute'
		});
		expect(request('mode=associate&origin=https%3A%2F%2Fharbor-books.example')).toMatchObject({
			code: 'widget/attribute'
		});
	});

	it('canonicalizes the locale and reports one that is no language tag', () => {
		const origin = 'origin=https%3A%2F%2Fshop.example';
		expect(request(`locale=en_US&${origin}`)).toMatchObject({ locale: 'en' });
		expect(request(`locale=zh_TW&${origin}`)).toMatchObject({ locale: 'zh-CN' });
		expect(request(`locale=de&${origin}`)).toMatchObject({ locale: 'en' });
		const bad = request(`locale=%3F%3F&${origin}`);
		expect(bad).toMatchObject({ locale: 'en' });
		expect((bad as { localeProblem?: string }).localeProblem).toContain('not a language tag');
	});

	it('refuses subjects and ids a record cannot hold', () => {
		const origin = 'origin=https%3A%2F%2Fharbor-books.example';
		expect(request(`subject=${'x'.repeat(513)}&${origin}`)).toMatchObject({
			code: 'widget/attribute'
		});
		expect(request(`subject=a%00b&${origin}`)).toMatchObject({ code: 'widget/attribute' });
		expect(request(`statements=${'s'.repeat(129)}&${origin}`)).toMatchObject({
			code: 'widget/attribute'
		});
		expect(request(`partner=${'p'.repeat(129)}&${origin}`)).toMatchObject({
			code: 'widget/attribute'
		});
	});

	it('refuses accept mode on an origin neither the site nor a partner lists, up to the top page', () => {
		const refusal = request('origin=https%3A%2F%2Fevil.example');
		expect(refusal).toMatchObject({ code: 'widget/origin' });
		expect((refusal as { message: string }).message).toContain(
			'Add https://evil.example to "origins" in site.yaml'
		);
		// A partner's origin and the site itself may.
		expect(request('origin=https%3A%2F%2Fharbor-books.example')).toMatchObject({ mode: 'accept' });
		expect(request('origin=https%3A%2F%2Fstatements.example')).toMatchObject({ mode: 'accept' });
		// A listed page framed by an unlisted one is refused, for a partner too.
		expect(
			request('origin=https%3A%2F%2Fshop.example', {
				ancestorOrigins: ['https://shop.example', 'https://evil.example']
			})
		).toMatchObject({ code: 'widget/origin', message: expect.stringContaining('evil.example') });
		expect(
			request('mode=associate&partner=harbor-books&origin=https%3A%2F%2Fharbor-books.example', {
				ancestorOrigins: ['https://harbor-books.example', 'https://evil.example']
			})
		).toMatchObject({ code: 'widget/origin' });
	});

	it('lets accept mode without a partner be embedded on a site origin, for several statements', () => {
		expect(
			request(
				'statements=partner-association,customer-data-sharing&origin=https%3A%2F%2Fshop.example'
			)
		).toMatchObject({
			statementIds: ['partner-association', 'customer-data-sharing'],
			mode: 'accept',
			hostOrigin: 'https://shop.example'
		});
	});
});
