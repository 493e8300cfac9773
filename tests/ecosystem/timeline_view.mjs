// timeline_view.mjs TRACE.json SHOT.png - open a `wtrec analyze --timeline`
// file in speedscope (npm, its offline build: dist/release/index.html),
// in Debian's Chromium, headless, the way speedscope's own command line
// does (a JS file calling speedscope.loadFileFromBase64, named in the
// URL's #localProfilePath).  Prints, one fact a line:
//   console TYPE TEXT / request URL / title TITLE / profiles N / error TEXT
// and saves a screenshot.  The file imported means: the title names it
// and a profile (a thread of the trace) is listed.
import { launch, watch } from './browser.mjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, dirname } from 'node:path';
import { createRequire } from 'node:module';

const [trace, shot] = process.argv.slice(2);
if (!trace || !shot) {
	console.error('usage: timeline_view.mjs TRACE.json SHOT.png');
	process.exit(2);
}
const require = createRequire(import.meta.url);
const index = join(dirname(require.resolve('speedscope/package.json')), 'dist/release/index.html');
const work = mkdtempSync(join(tmpdir(), 'wtrec-speedscope-'));
const js = join(work, 'profile.js');
writeFileSync(js, `speedscope.loadFileFromBase64(${JSON.stringify(basename(trace))}, ` +
	`${JSON.stringify(readFileSync(trace).toString('base64'))})`);
// speedscope's page reads the profile's JS file from file://
const browser = await launch({ width: 1400, height: 800 }, ['--allow-file-access-from-files']);
const out = [];
const say = (...a) => out.push(a.join(' '));
try {
	const page = await browser.ctx.newPage();
	watch(page, say);
	await page.goto('file://' + index + '#localProfilePath=' + js);
	await page.waitForFunction((name) => document.title.includes(name), basename(trace), { timeout: 30000 })
		.catch(() => say('error', 'title never named the file'));
	say('title', await page.title());
	await page.waitForTimeout(500);
	await page.screenshot({ path: shot });
	// speedscope lists a trace's threads as profiles: "1/N" in its toolbar
	const text = await page.textContent('body');
	const m = /(\d+)\s*\/\s*(\d+)/.exec(text || '');
	say('profiles', m ? m[2] : 0);
} finally {
	await browser.close();
	rmSync(work, { recursive: true, force: true });
}
console.log(out.join('\n'));
