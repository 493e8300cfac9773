// html_dom.mjs PAGE.html SHOT.png - open a wtrec HTML report in Debian's
// Chromium (headless, through playwright-core; no browser download), act
// as a reader would, and print what the page holds, one fact a line, for
// tests/ecosystem/html.sh to compare with the workload's log:
//   console TYPE TEXT        every console message and page error
//   request URL              every request the page made
//   note TEXT                a note of what the page aggregated
//   lane PID / alive PID / zombie-never-reaped PID / autoreap PID
//   arrow CHILD_PID REAPER_TID
//   steal CHILD_PID THIEF_TID VICTIM_TID
//   echild TID N             an ECHILD marker (N calls)
//   span KIND TID N          a call / run / group span of N calls
//   click WHAT: TEXT         the details pane after clicking WHAT
//   zoom BEFORE AFTER        an alive span's width before/after "+"
//   pan BEFORE AFTER         its x before/after a drag to the left
// and saves a full-page screenshot to SHOT.png.
import { launch, watch } from './browser.mjs';

const [page_path, shot] = process.argv.slice(2);
if (!page_path || !shot) {
	console.error('usage: html_dom.mjs PAGE.html SHOT.png');
	process.exit(2);
}
const browser = await launch({ width: 1400, height: 1000 });
const out = [];
const say = (...a) => out.push(a.join(' '));
try {
	const page = await browser.ctx.newPage();
	watch(page, say);
	await page.goto('file://' + page_path);
	await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });

	const facts = await page.evaluate(() => {
		const f = [];
		const all = (sel) => [...document.querySelectorAll(sel)];
		const d = (n, k) => n.getAttribute('data-' + k);
		for (const n of all('#aggregated .note')) f.push(`note ${n.textContent.replace(/\s+/g, ' ')}`);
		for (const n of all('#timeline g.lane')) f.push(`lane ${d(n, 'pid')}`);
		for (const n of all('#timeline rect[data-kind="alive"]')) f.push(`alive ${d(n, 'pid')}`);
		for (const n of all('#timeline rect[data-kind="zombie-never-reaped"]')) f.push(`zombie-never-reaped ${d(n, 'pid')}`);
		for (const n of all('#timeline .marker.autoreap')) f.push(`autoreap ${d(n, 'pid')}`);
		for (const n of all('#timeline path.arrow')) f.push(`arrow ${d(n, 'child-pid')} ${d(n, 'reaper-tid')}`);
		for (const n of all('#timeline .marker.steal'))
			f.push(`steal ${d(n, 'child-pid')} ${d(n, 'thief-tid')} ${d(n, 'victim-tid')}`);
		for (const n of all('#timeline .marker.echild')) f.push(`echild ${d(n, 'tid')} ${d(n, 'n')}`);
		for (const n of all('#timeline rect[data-kind="call"], #timeline rect[data-kind="run"], #timeline rect[data-kind="group"]'))
			f.push(`span ${d(n, 'kind')} ${d(n, 'tid')} ${d(n, 'n')}`);
		return f;
	});
	facts.forEach((l) => say(l));

	const details = async () => (await page.textContent('#details-body')).replace(/\s+/g, ' ').trim();
	const clicks = [
		['steal', '#timeline .marker.steal'],
		['arrow', '#timeline path.arrow'],
		['lane', '#timeline .lane-label'],
		['run', '#timeline rect[data-kind="run"]'],
		['tree', '#tree .node'],
	];
	for (const [what, sel] of clicks) {
		const n = await page.$(sel);
		if (!n) { say('click', what + ':', '(none)'); continue; }
		await n.scrollIntoViewIfNeeded();
		await n.click({ force: true });
		say('click', what + ':', await details());
	}

	const alive = '#timeline rect[data-kind="alive"]';
	const w = async () => Number(await page.getAttribute(alive, 'width'));
	const xq = async () => Number(await page.getAttribute(alive, 'x'));
	const w0 = await w();
	await page.click('#zoom-in');
	say('zoom', w0, await w());
	await page.click('#zoom-reset');
	await page.click('#zoom-in');
	const x0 = await xq();
	const box = await page.$eval('#timeline', (s) => { const r = s.getBoundingClientRect(); return { x: r.x, y: r.y }; });
	await page.mouse.move(box.x + 700, box.y + 40);
	await page.mouse.down();
	await page.mouse.move(box.x + 500, box.y + 40, { steps: 5 });
	await page.mouse.up();
	say('pan', x0, await xq());
	await page.click('#zoom-reset');
	await page.screenshot({ path: shot, fullPage: true });
} finally {
	await browser.close();
}
console.log(out.join('\n'));
