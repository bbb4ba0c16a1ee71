import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleChain } from '$lib/core/record-fixtures';
import ChainStatus from './ChainStatus.svelte';
import { variedActs } from './records-fixtures';

afterEach(cleanup);

const status = () => screen.getByTestId('chain-status');

describe('the chain status', () => {
	it('says the chain is intact and how many records were verified', async () => {
		const records = await sampleChain({ acts: variedActs() });
		render(ChainStatus, { records });
		await waitFor(() => expect(status()).toHaveTextContent('Chain intact: 4 records verified'));
		expect(status()).toHaveAttribute('role', 'status');
		expect(status()).toHaveAttribute('data-state', 'intact');
	});

	it('names the record whose subject was changed after it was written', async () => {
		const records = await sampleChain({ acts: variedActs() });
		records[2] = { ...records[2]!, subject: 'mallory' };
		render(ChainStatus, { records });
		await waitFor(() => expect(status()).toHaveAttribute('data-state', 'broken'));
		expect(status()).toHaveTextContent(
			'Chain broken at record #3: its content does not match its digest, so it was changed after it was written.'
		);
		expect(status()).toHaveTextContent(/Record 3 \(seq 3\)/);
	});

	it('names the first record after a gap when records were removed', async () => {
		const records = await sampleChain({ acts: variedActs() });
		records.splice(1, 1);
		render(ChainStatus, { records });
		await waitFor(() =>
			expect(status()).toHaveTextContent(
				'Chain broken at record #3: records before it are missing.'
			)
		);
	});

	it('verifies again when the records change', async () => {
		const records = await sampleChain({ acts: variedActs() });
		const view = render(ChainStatus, { records: records.slice(0, 2) });
		await waitFor(() => expect(status()).toHaveTextContent('Chain intact: 2 records verified'));
		await view.rerender({ records });
		await waitFor(() => expect(status()).toHaveTextContent('Chain intact: 4 records verified'));
	});

	it('speaks Chinese', async () => {
		const records = await sampleChain({ acts: variedActs() });
		records[0] = { ...records[0]!, subject: 'mallory' };
		render(ChainStatus, { records, locale: 'zh-CN' });
		await waitFor(() =>
			expect(status()).toHaveTextContent(/^记录链在第 #1 条记录处断开：其内容与其摘要不符/)
		);
	});
});
