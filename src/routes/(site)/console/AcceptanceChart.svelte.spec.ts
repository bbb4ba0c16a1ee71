import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import AcceptanceChart from './AcceptanceChart.svelte';

afterEach(cleanup);

const acts = (accept: number, associate = 0) => ({
	accept,
	decline: 0,
	associate,
	disassociate: 0
});
const summary = {
	versions: [
		{ version: '1.0', acts: acts(0), subjectsAccepted: 0, days: [] },
		{
			version: '1.1',
			acts: acts(5),
			subjectsAccepted: 2,
			days: [
				{ day: '2026-01-01', ...acts(3) },
				{ day: '2026-01-05', ...acts(2) }
			]
		},
		{
			version: '2.0',
			acts: acts(1, 1),
			subjectsAccepted: 2,
			days: [{ day: '2026-07-01', ...acts(1, 1) }]
		}
	]
};

describe('the chart of acceptances per version', () => {
	it('draws a line per version with acceptances and says the same in words and in a table', () => {
		const { container } = render(AcceptanceChart, { summary, title: 'Terms' });
		const chart = screen.getByRole('img');
		expect(chart).toHaveAccessibleName(
			'Acceptances per version over time Version 1.0: no acceptances. Version 1.1: 5 acceptances, January 1, 2026 to January 5, 2026. Version 2.0: 2 acceptances, July 1, 2026 to July 1, 2026.'
		);
		expect(
			[...container.querySelectorAll('path[data-version]')].map((p) =>
				p.getAttribute('data-version')
			)
		).toEqual(['1.1', '2.0']);
		const table = screen.getByRole('table', {
			name: 'Acceptances of Terms per day and version (running total)'
		});
		const rows = [...table.querySelectorAll('tbody tr')].map((r) =>
			[...r.children].map((c) => c.textContent)
		);
		expect(rows).toEqual([
			['2026-01-01', '', '3 (3)', ''],
			['2026-01-05', '', '2 (5)', ''],
			['2026-07-01', '', '', '2 (2)']
		]);
	});

	it('says so when nothing was accepted yet, in Chinese too', () => {
		render(AcceptanceChart, {
			summary: { versions: [summary.versions[0]!] },
			title: '条款',
			locale: 'zh-CN'
		});
		expect(screen.getByText('尚无接受。')).toBeInTheDocument();
		expect(screen.queryByRole('img')).toBeNull();
	});
});
