// timeline_view.mjs TRACE.json SHOT.png - open a `wtrec analyze --timeline`
// file in speedscope (npm, its offline build: dist/release/index.html),
// in Debian's Chromium, headless, the way speedscope's own command line
// does (a JS file calling speedscope.loadFileFromBase64, named in the
// URL's #localProfilePath).  Prints, one fact a line:
//   console TYPE TEXT / request URL / title TITLE / profiles N / error TEXT
// and saves a screenshot.  The file imported means: the title names it
// and a profile (a thread of the trace) is listed.
import { chromium } from 'playwright-core';
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
const ctx = await chromium.launchPersistentContext(join(work, 'profile'), {
	executablePath: process.env.WTREC_CHROMIUM || '/usr/bin/chromium',
	headless: true,
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
		'--disable-component-update', '--no-first-run', '--allow-file-access-from-files'],
	viewport: { width: 1400, height: 800 },
});
const out = [];
const say = (...a) => out.push(a.join(' '));
try {
	const page = await ctx.newPage();
	page.on('console', (m) => say('console', m.type(), m.text().replace(/\s+/g, ' ')));
	page.on('pageerror', (e) => say('console', 'pageerror', String(e.message).replace(/\s+/g, ' ')));
	page.on('request', (r) => say('request', r.url().replace(/#.*/, '')));
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
	await ctx.close();
	rmSync(work, { recursive: true, force: true });
}
console.log(out.join('\n'));
