import { describe, expect, it } from 'vitest';
import { acceptanceSeries, daysBetween, niceStep } from './chart';

const acts = (accept: number, associate = 0) => ({
	accept,
	decline: 5,
	associate,
	disassociate: 7
});

describe('acceptances per version over time', () => {
	it('counts accept and associate acts per day, with running totals, and no days without any', () => {
		const data = acceptanceSeries({
			versions: [
				{ version: '1.0', acts: acts(0), subjectsAccepted: 0, days: [] },
				{
					version: '1.1',
					acts: acts(4, 1),
					subjectsAccepted: 3,
					days: [
						{ day: '2026-03-02', ...acts(1, 1) },
						{ day: '2026-03-01', ...acts(3) },
						{ day: '2026-03-05', ...acts(0) }
					]
				}
			]
		});
		expect(data.series).toEqual([
			{ version: '1.0', points: [] },
			{
				version: '1.1',
				points: [
					{ day: '2026-03-01', count: 3, total: 3 },
					{ day: '2026-03-02', count: 2, total: 5 }
				]
			}
		]);
		expect(data.days).toEqual(['2026-03-01', '2026-03-02']);
		expect(data.max).toBe(5);
	});

	it('has round ticks and whole days', () => {
		expect(niceStep(0)).toBe(1);
		expect(niceStep(3)).toBe(1);
		expect(niceStep(120)).toBe(50);
		expect(niceStep(1_000_000)).toBe(500_000);
		expect(daysBetween('2026-02-27', '2026-03-02')).toBe(3);
	});
});
