// browser.mjs - Debian's Chromium, headless, for the ecosystem tests'
// scripts (html_dom.mjs, html_shot.mjs, timeline_view.mjs): playwright-core
// drives /usr/bin/chromium (WTREC_CHROMIUM to override) and never
// downloads a browser; a fresh profile each time, removed by close().
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
	'--disable-component-update', '--no-first-run'];

// A browser context on a fresh user-data-dir; extra flags in @args.
export async function launch(viewport, args = []) {
	const profile = mkdtempSync(join(tmpdir(), 'wtrec-chromium-'));
	const ctx = await chromium.launchPersistentContext(profile, {
		executablePath: process.env.WTREC_CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: [...ARGS, ...args],
		viewport,
	});
	return {
		ctx,
		close: async () => {
			await ctx.close();
			rmSync(profile, { recursive: true, force: true });
		},
	};
}

// Report every console message, page error and request of @page through
// @say(...words), one line each ("console TYPE TEXT", "request URL").
export function watch(page, say) {
	page.on('console', (m) => say('console', m.type(), m.text().replace(/\s+/g, ' ')));
	page.on('pageerror', (e) => say('console', 'pageerror', String(e.message).replace(/\s+/g, ' ')));
	page.on('request', (r) => say('request', r.url().replace(/#.*/, '')));
}
