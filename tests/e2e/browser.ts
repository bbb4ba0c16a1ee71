import { existsSync } from 'node:fs';
import { chromium, type Browser, type Frame, type LaunchOptions, type Page } from 'playwright-core';

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

/** Reads until `done` says so or `ms` have passed; answers the last value read. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 20_000) {
	const end = Date.now() + ms;
	let value = await read();
	while (!done(value) && Date.now() < end) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		value = await read();
	}
	return value;
}

/**
 * The frame of the page's `<assent-consent>` once its widget is there. `settled`: also once it
 * has loaded (not busy). `clickable`: also once a click can reach it: the frame tracks whether it
 * is visibly shown (IntersectionObserver v2), and Chromium then drops clicks that reach it within
 * 500 ms of its moving or resizing, as when it takes its height.
 */
export async function widgetFrame(
	page: Page,
	options: { settled?: boolean; clickable?: boolean } = {}
): Promise<Frame> {
	const element = await page.waitForSelector('assent-consent iframe');
	const frame = (await element.contentFrame())!;
	await frame
		.locator(options.settled ? '[part=widget][aria-busy=false]' : '[part=widget]')
		.waitFor();
	if (options.clickable) await page.waitForTimeout(600);
	return frame;
}
