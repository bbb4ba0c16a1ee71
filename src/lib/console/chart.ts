/**
 * Acceptances per version over time, from a statement's summary: per version, the acceptances
 * (accept and associate acts, as the core counts them) each UTC day, and their running total.
 */
import type { StatementSummary } from './client';

export interface ChartPoint {
	day: string;
	/** Acceptances of this version that day. */
	count: number;
	/** Acceptances of this version up to and including that day. */
	total: number;
}

export interface ChartSeries {
	version: string;
	points: ChartPoint[];
}

export interface ChartData {
	/** Every day with an acceptance of any version, oldest first. */
	days: string[];
	series: ChartSeries[];
	/** The highest running total: the top of the scale. */
	max: number;
}

export function acceptanceSeries(summary: Pick<StatementSummary, 'versions'>): ChartData {
	const days = new Set<string>();
	const series: ChartSeries[] = [];
	for (const version of summary.versions) {
		let total = 0;
		const points: ChartPoint[] = [];
		for (const day of [...version.days].sort((a, b) => (a.day < b.day ? -1 : 1))) {
			const count = (day.accept ?? 0) + (day.associate ?? 0);
			if (count === 0) continue;
			total += count;
			days.add(day.day);
			points.push({ day: day.day, count, total });
		}
		series.push({ version: version.version, points });
	}
	const max = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.total)));
	return { days: [...days].sort(), series, max };
}

/** Days from `from` to `to` (`YYYY-MM-DD`), whole, for a time axis. */
export function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A round step for a scale's ticks that gives at most `ticks` of them up to `max`. */
export function niceStep(max: number, ticks = 4): number {
	if (max <= 0) return 1;
	const raw = max / ticks;
	const power = 10 ** Math.floor(Math.log10(raw));
	for (const factor of [1, 2, 5, 10]) if (raw <= factor * power) return Math.max(1, factor * power);
	return Math.max(1, 10 * power);
}
