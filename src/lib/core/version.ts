/** Version numbers are dotted decimal numbers ("1.0", "1.1", "2.0", "10.2.1"). */
const VERSION_PATTERN = /^\d+(\.\d+)*$/;

export function isVersion(value: string): boolean {
	return VERSION_PATTERN.test(value);
}

/**
 * Compares two versions numerically, segment by segment: "1.10" comes after "1.9", and missing
 * segments count as zero, so "1" and "1.0" are the same version.
 */
export function compareVersions(a: string, b: string): number {
	const left = a.split('.').map(Number);
	const right = b.split('.').map(Number);
	const length = Math.max(left.length, right.length);
	for (let i = 0; i < length; i++) {
		const difference = (left[i] ?? 0) - (right[i] ?? 0);
		if (difference !== 0) return difference < 0 ? -1 : 1;
	}
	return 0;
}
