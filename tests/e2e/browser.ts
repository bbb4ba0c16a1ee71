import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/** Debian's Chromium unless CHROME_PATH names another build. */
export const chromePath = process.env.CHROME_PATH || '/usr/bin/chromium';

/** Flags that keep headless Chromium quiet on a machine with no network beyond loopback. */
export const chromeArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-dev-shm-usage'
];

export function assertBrowser(): void {
	if (!existsSync(chromePath)) {
		throw new Error(
			`No Chromium at ${chromePath}. The browser tests need it: install Debian's chromium (apt-get install -y chromium) or set CHROME_PATH to a Chromium binary.`
		);
	}
}

export async function launchBrowser(
	options: { args?: string[] } & LaunchOptions = {}
): Promise<Browser> {
	assertBrowser();
	const { args = [], ...rest } = options;
	return chromium.launch({
		executablePath: chromePath,
		headless: true,
		args: [...chromeArgs, ...args],
		...rest
	});
}
