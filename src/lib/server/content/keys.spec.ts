import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { AssentError } from '../../core/errors';
import { loadContent } from './load';
import { v10, writeContent } from './test-content';

const ed25519 = generateKeyPairSync('ed25519');
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicJwk = (pair: typeof ed25519, kid: string) => ({
	...pair.publicKey.export({ format: 'jwk' }),
	kid
});

function partnersWith(keys: unknown) {
	return stringify({
		partners: [
			{ id: 'acme', name: 'Acme', url: 'https://acme.example', origins: ['https://acme.example'] },
			{ id: 'shop', name: 'Shop', url: 'https://shop.example', origins: [], keys }
		]
	});
}

function problemOf(files: Record<string, string>): AssentError {
	try {
		loadContent({ dir: writeContent({ 'statements/terms/1.0.en.md': v10, ...files }) });
	} catch (error) {
		const problems = (error as AssentError).problems;
		expect(problems).toHaveLength(1);
		return problems[0]!;
	}
	throw new Error('expected the content to be refused');
}

describe('subject-token keys in partners.yaml and site.yaml', () => {
	it('reads public Ed25519 and P-256 keys, normalized with their alg', () => {
		const edKey = publicJwk(ed25519, 'shop-ed');
		const ecKey = publicJwk(p256, 'shop-ec');
		const content = loadContent({
			dir: writeContent({
				'statements/terms/1.0.en.md': v10,
				'partners.yaml': partnersWith([{ ...edKey, note: 'dropped' }, ecKey]),
				'site.yaml': stringify({ operator: { keys: [publicJwk(ed25519, 'operator-1')] } })
			})
		});
		expect(content.partners[0]).not.toHaveProperty('keys');
		expect(content.partners[1]!.keys).toEqual([
			{ kty: 'OKP', crv: 'Ed25519', x: edKey.x, kid: 'shop-ed', alg: 'EdDSA', use: 'sig' },
			{
				kty: 'EC',
				crv: 'P-256',
				x: ecKey.x,
				y: ecKey.y,
				kid: 'shop-ec',
				alg: 'ES256',
				use: 'sig'
			}
		]);
		expect(content.site.operator?.keys.map((k) => k.kid)).toEqual(['operator-1']);
	});

	it('refuses a private key, naming the file, partner and member', () => {
		const privateJwk = { ...ed25519.privateKey.export({ format: 'jwk' }), kid: 'k' };
		const problem = problemOf({ 'partners.yaml': partnersWith([privateJwk]) });
		expect(problem.code).toBe('content/partners');
		expect(problem.message).toMatch(
			/^partners\.yaml: partners\[1\]\.keys\[0\]\.d: this is a private or secret key/
		);
		expect(problem.message).toContain('List only the public key');
	});

	it('refuses an operator private key in site.yaml', () => {
		const privateJwk = { ...p256.privateKey.export({ format: 'jwk' }), kid: 'op' };
		const problem = problemOf({ 'site.yaml': stringify({ operator: { keys: [privateJwk] } }) });
		expect(problem.code).toBe('content/site');
		expect(problem.message).toMatch(
			/^site\.yaml: field "operator\.keys\[0\]\.d": this is a private/
		);
	});

	it('refuses a key without kid, a kid listed twice, and keys of other algorithms', () => {
		const noKid: Record<string, unknown> = publicJwk(ed25519, 'x');
		delete noKid.kid;
		expect(problemOf({ 'partners.yaml': partnersWith([noKid]) }).message).toContain(
			'partners[1].keys[0].kid: expected a key id'
		);
		expect(
			problemOf({
				'partners.yaml': partnersWith([publicJwk(ed25519, 'a'), publicJwk(p256, 'a')])
			}).message
		).toContain('partners[1].keys[1].kid: "a" is listed twice');
		const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
		expect(
			problemOf({
				'partners.yaml': partnersWith([{ ...rsa.publicKey.export({ format: 'jwk' }), kid: 'r' }])
			}).message
		).toContain('partners[1].keys[0].kty: kty RSA with crv undefined is not accepted');
		const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
		expect(
			problemOf({
				'partners.yaml': partnersWith([{ ...p384.publicKey.export({ format: 'jwk' }), kid: 'p' }])
			}).message
		).toContain('kty EC with crv P-384 is not accepted: subject tokens are signed EdDSA');
		expect(
			problemOf({
				'partners.yaml': partnersWith([{ kty: 'oct', k: 'c2VjcmV0', kid: 'hs', alg: 'HS256' }])
			}).message
		).toContain('partners[1].keys[0].k: this is a private or secret key');
		expect(
			problemOf({
				'partners.yaml': partnersWith([{ ...publicJwk(ed25519, 'e'), alg: 'ES256' }])
			}).message
		).toContain('partners[1].keys[0].alg: "ES256" is not accepted for this Ed25519 key');
	});

	it('refuses a broken public key and a keys field that is not a list', () => {
		const broken: JsonWebKey = { ...publicJwk(ed25519, 'b'), x: 'AAAA' };
		expect(problemOf({ 'partners.yaml': partnersWith([broken]) }).message).toContain(
			'partners[1].keys[0].x: not a valid Ed25519 public key'
		);
		expect(problemOf({ 'partners.yaml': partnersWith('a-key') }).message).toContain(
			'partners[1].keys: expected a list of public JWKs'
		);
	});

	it('keeps the issuer name "operator" for the operator', () => {
		const problem = problemOf({
			'partners.yaml': stringify({
				partners: [{ id: 'operator', name: 'Op', url: 'https://op.example', origins: [] }]
			})
		});
		expect(problem.message).toContain('partners[0].id: "operator" is the issuer name');
	});
});
