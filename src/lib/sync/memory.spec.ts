import { adapterContract } from './contract.spec-suite';
import { memoryAdapter } from './memory';

adapterContract({
	name: 'memory adapter',
	create: async () => {
		const adapter = memoryAdapter({
			reject: (record) =>
				record.subject === 'refuse-me' ? { reason: 'This subject is refused.' } : undefined,
			tokenSubject: (token) =>
				token.startsWith('token-for:') ? token.slice('token-for:'.length) : undefined
		});
		return {
			adapter,
			received: async () => adapter.received,
			token: async (subject) => `token-for:${subject}`,
			close: async () => {}
		};
	}
});
