// html_shot.mjs PAGE.html SHOT.png [CLICK_SELECTOR] [VIEW] - a screenshot
// of a wtrec HTML report as a reader leaves it: the timeline opened at
// VIEW ("A,B": ns from the recording's start, the page's #view=A,B), the
// first element matching CLICK_SELECTOR clicked (its details in the
// pane).  For docs/ (docs/screenshot.sh); the test's checks are
// html_dom.mjs.
import { launch } from './browser.mjs';

const [pagePath, shot, click, view] = process.argv.slice(2);
const browser = await launch({ width: 1400, height: 900 });
try {
	const page = await browser.ctx.newPage();
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
	await browser.close();
}
