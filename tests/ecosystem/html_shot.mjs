// html_shot.mjs PAGE.html SHOT.png [CLICK_SELECTOR] [VIEW] - a screenshot
// of a wtrec HTML report as a reader leaves it: the timeline opened at
// VIEW ("A,B": ns from the recording's start, the page's #view=A,B), the
// first element matching CLICK_SELECTOR clicked (its details in the
// pane).  For docs/ (docs/screenshot.sh); the test's checks are
// html_dom.mjs.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [pagePath, shot, click, view] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'wtrec-chromium-'));
const ctx = await chromium.launchPersistentContext(profile, {
	executablePath: process.env.WTREC_CHROMIUM || '/usr/bin/chromium',
	headless: true,
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
		'--disable-component-update', '--no-first-run'],
	viewport: { width: 1400, height: 900 },
});
try {
	const page = await ctx.newPage();
	await page.goto('file://' + pagePath + (view ? '#view=' + view : ''));
	await page.waitForSelector('body[data-ready="1"]');
	if (click) {
		const n = await page.$(click);
		if (n)
			await n.click({ force: true });
	}
	await page.evaluate(() => document.getElementById('timeline-section').scrollIntoView());
	await page.screenshot({ path: shot });
} finally {
	await ctx.close();
	rmSync(profile, { recursive: true, force: true });
}
