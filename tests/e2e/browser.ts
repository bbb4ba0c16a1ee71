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
 * The frame of the page's `<assent-consent>` once its widget is there (the prerendered statement
 * counts). `settled`: also once its session has loaded (not busy). `clickable`: also 600 ms
 * later: the frame tracks whether it is visibly shown (IntersectionObserver v2), and Chromium
 * then drops clicks that reach it within 500 ms of its moving or resizing, as when it takes its
 * height. A click that must reach the started session wants both, or `untilClickable`.
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

/**
 * Waits until a click can reach the widget as the customer means it: its session has started
 * (the prerendered statement shows before, and the frame takes its final height when the session
 * shows what applies), and 600 ms have passed, since the frame tracks whether it is visibly shown
 * (IntersectionObserver v2) and Chromium drops clicks that reach it within 500 ms of its moving
 * or resizing.
 */
export async function untilClickable(frame: Frame | Page): Promise<void> {
	await frame.locator('[part=widget][aria-busy=false]').waitFor();
	await frame.waitForTimeout(600);
}

/** Whether `frame` runs an animation frame within `ms`, timed outside the page (its clock may be faked). */
async function painting(frame: Frame, ms = 1000): Promise<boolean> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
	const drawn = frame
		.evaluate(() => new Promise<boolean>((resolve) => requestAnimationFrame(() => resolve(true))))
		.catch(() => false);
	try {
		return await Promise.race([drawn, late]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Ticks the checkbox in the widget's frame as a reader would. Playwright first waits for the box
 * to hold still over two animation frames; now and then headless Chromium stops painting a
 * cross-site frame of a fresh tab (no animation frame at all), and that wait would never end.
 * When the tick is not done in 10 s and the frame is not painting, the tab is brought to the
 * front and its layout redone (the viewport one pixel shorter and back), which has Chromium
 * decide afresh whether the frame is shown, and the tick is tried once more; a frame that
 * paints and still cannot be ticked fails at once, with what the frame showed.
 */
export async function tickIn(page: Page, frame: Frame): Promise<void> {
	const box = frame.getByRole('checkbox');
	try {
		await box.check({ timeout: 10_000 });
		return;
	} catch (error) {
		if (await painting(frame)) {
			const shown = await frame.evaluate(() => document.body.innerText).catch(() => '');
			throw new Error(`The widget's checkbox could not be ticked; the frame showed: ${shown}`, {
				cause: error
			});
		}
		console.warn('The widget frame painted nothing for 10 s: its tab brought to the front.');
		await page.bringToFront();
		const viewport = page.viewportSize();
		if (viewport) {
			await page.setViewportSize({ ...viewport, height: viewport.height - 1 });
			await page.setViewportSize(viewport);
		}
		await box.check({ timeout: 20_000 });
	}
}
