/**
 * A random pause of up to 2^attempt ms (at most 32) after another tab extended the chain first,
 * so that two tabs retrying do not collide again in step. Apart from the log, so the frame's
 * remote log uses it without loading Dexie.
 */
export function pauseAfterCollision(attempt: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** Math.min(attempt, 5)));
}
