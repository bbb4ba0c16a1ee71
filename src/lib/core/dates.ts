/** Calendar dates are ISO `YYYY-MM-DD` strings, read as UTC days. */
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
	const match = DATE_PATTERN.exec(value);
	if (!match) return false;
	const [, y, m, d] = match;
	const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
	return (
		date.getUTCFullYear() === Number(y) &&
		date.getUTCMonth() === Number(m) - 1 &&
		date.getUTCDate() === Number(d)
	);
}

/** The UTC calendar date of an instant, as `YYYY-MM-DD`. */
export function calendarDate(instant: Date): string {
	return instant.toISOString().slice(0, 10);
}

/** The instant a version dated `date` comes into force: the start of that UTC day. */
export function startOfDay(date: string): Date {
	return new Date(`${date}T00:00:00.000Z`);
}
