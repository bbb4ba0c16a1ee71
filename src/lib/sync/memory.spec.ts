import { adapterContract } from './contract.spec-suite';
import { memoryAdapter } from './memory';

adapterContract({
	name: 'memory adapter',
	create: async () => {
		const adapter = memoryAdapter({
			reject: (record) =>
				record.subject === 'refuse-me' ? { reason: 'This subject is refused.' } : undefined
		});
		return { adapter, received: async () => adapter.received, close: async () => {} };
	}
});
