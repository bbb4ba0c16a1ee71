import { describe, expect, it } from 'vitest';
import { parseOperatorTokens, receiverConfig } from './config.js';
import { createReceiver } from './receiver.js';

describe('operator tokens and webhooks from the environment', () => {
	it('reads ASSENT_OPERATOR_TOKENS as named tokens', () => {
		const config = receiverConfig({
			env: { ASSENT_OPERATOR_TOKENS: 'console:abcdefghijklmnop1234, billing:qrstuvwxyz0123456789' }
		});
		expect(config.operatorTokens).toEqual({
			console: 'abcdefghijklmnop1234',
			billing: 'qrstuvwxyz0123456789'
		});
		expect(receiverConfig({ env: {} }).operatorTokens).toBeUndefined();
	});

	it('refuses a malformed entry, a short token and a name given twice, without echoing the token', () => {
		expect(() => parseOperatorTokens('justatokenwithoutname')).toThrow(
			/ASSENT_OPERATOR_TOKENS must be "name:token.*"jus…"/
		);
		expect(() => parseOperatorTokens('console:short')).toThrow(/at least 16 characters/);
		expect(() => parseOperatorTokens('console:short')).not.toThrow(/short/);
		expect(() => parseOperatorTokens('a:abcdefghijklmnop1234,a:abcdefghijklmnop5678')).toThrow(
			/names "a" twice/
		);
	});

	it('needs a Standard Webhooks secret with webhook URLs', () => {
		expect(() =>
			receiverConfig({ env: { ASSENT_WEBHOOK_URLS: 'https://hooks.example/a' } })
		).toThrow(/ASSENT_WEBHOOK_SECRET is not.*whsec_/);
		const config = receiverConfig({
			env: {
				ASSENT_WEBHOOK_URLS: 'https://hooks.example/a, https://hooks.example/b',
				ASSENT_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
			}
		});
		expect(config.webhooks).toEqual({
			urls: ['https://hooks.example/a', 'https://hooks.example/b'],
			secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
		});
		const limited = receiverConfig({
			env: {
				ASSENT_WEBHOOK_URLS: 'https://hooks.example/a',
				ASSENT_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
				ASSENT_WEBHOOK_MAX_ATTEMPTS: '12'
			}
		});
		expect(limited.webhooks?.maxAttempts).toBe(12);
		expect(() =>
			createReceiver({
				database: 'memory://',
				site: 'build',
				webhooks: {
					urls: ['https://hooks.example/a'],
					secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
					maxAttempts: 0
				}
			})
		).toThrow(/ASSENT_WEBHOOK_MAX_ATTEMPTS.*at least 1; got 0/);
		expect(() =>
			createReceiver({
				database: 'memory://',
				site: 'build',
				webhooks: { urls: ['https://hooks.example/a'], secret: 'not-a-secret' }
			})
		).toThrow(/ASSENT_WEBHOOK_SECRET.*whsec_/);
		expect(() =>
			createReceiver({
				database: 'memory://',
				site: 'build',
				webhooks: { urls: ['hooks.example/a'], secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }
			})
		).toThrow(/"hooks.example\/a".*not an http\(s\) URL/);
	});
});
