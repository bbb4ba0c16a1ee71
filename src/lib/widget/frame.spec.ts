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

function request(query: string, extra: { ancestorOrigins?: string[]; framed?: boolean } = {}) {
	return readEmbedRequest({
		url: new URL(`https://statements.example/embed/partner-association/?${query}`),
		statementId: 'partner-association',
		partners,
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

	it('lets accept mode without a partner be embedded anywhere, for several statements', () => {
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
