#!/usr/bin/env node
// `npm run screenshots`: pictures of the phone as a user sees it, for the README. It starts what
// `npm start` starts (the dev SIP server and the demo web server, on free loopback ports), opens
// the demo in Debian's Chromium (puppeteer-core, never a downloaded browser) with two phones,
// alice and bob, places a call from alice to bob, has bob answer, and photographs alice's phone
// with its call in every combination of light and dark, left to right (English) and right to left
// (Arabic), wide (a 1280 px screen) and narrow (a 320 px one). Everything it started is stopped
// when it ends, fails or is interrupted.
// Environment: SCREENSHOTS_DIR (default docs/screenshots), CHROMIUM_PATH.
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureInstall } from './lib/ensure-install.mjs';

const root = new URL('..', import.meta.url).pathname;
const outDir = process.env.SCREENSHOTS_DIR ?? join(root, 'docs', 'screenshots');

const THEMES = ['light', 'dark'];
const LANGUAGES = [
  ['ltr', 'en'],
  ['rtl', 'ar'],
];
const WIDTHS = [
  ['wide', 1280],
  ['narrow', 320],
];

ensureInstall(root);
const { tsImport } = await import('tsx/esm/api');
const { startDevEnvironment } = await tsImport('../tools/dev-server/dev-environment.ts', import.meta.url);
const { noopLogger } = await tsImport('../src/stack/core/logger.ts', import.meta.url);
const { launchBrowser } = await import('../tools/browsers.mjs');

/** Polls a condition in the page, naming it when it never holds. */
async function until(page, what, check, arg) {
  try {
    await page.waitForFunction(check, { timeout: 20000, polling: 100 }, arg);
  } catch {
    throw new Error(`timed out waiting for ${what}`);
  }
}

/** One picture: the demo with alice and bob, alice calling bob, bob answering; alice's phone. */
async function shoot(browser, environment, { theme, lang, width, file }) {
  const page = await browser.newPage();
  try {
    await page.setViewport({ width, height: 1000, deviceScaleFactor: 2 });
    const { sip } = environment;
    const query = new URLSearchParams({
      server: sip.url,
      domain: sip.domain,
      user: 'alice',
      'display-name': 'Alice',
      user2: 'bob',
      'display-name2': 'Bob',
      theme,
      lang,
    });
    await page.goto(`${environment.demoUrl}?${query}&register`);
    await until(
      page,
      'both phones to register',
      () =>
        [...document.querySelectorAll('sip-phone')].length === 2 &&
        [...document.querySelectorAll('sip-phone')].every((phone) => phone.registered),
    );
    await page.evaluate(() => document.getElementById('phone-1').call('bob'));
    await until(
      page,
      'the call to ring at bob',
      () => document.getElementById('phone-2').calls[0]?.state === 'incoming',
    );
    await page.evaluate(() => document.getElementById('phone-2').calls[0].answer());
    await until(
      page,
      "alice's call to connect",
      () => document.getElementById('phone-1').calls[0]?.state === 'connected',
    );
    // The language's table has arrived: the phone's base says it is in that language.
    await until(
      page,
      `the phone to speak ${lang}`,
      (code) =>
        document.getElementById('phone-1').shadowRoot.querySelector('[part~="base"]')?.getAttribute('lang') === code,
      lang,
    );
    await page.evaluate(() => document.activeElement?.blur());
    const phone = await page.$('#phone-1');
    await phone.screenshot({ path: file });
    await page.evaluate(() =>
      Promise.all(document.getElementById('phone-1').calls.map((call) => call.hangup().catch(() => undefined))),
    );
  } finally {
    await page.close();
  }
}

let environment;
let browser;
let stopping;
const stop = () => (stopping ??= Promise.allSettled([browser?.close(), environment?.stop()]));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await stop();
    process.exit(130);
  });
}

try {
  mkdirSync(outDir, { recursive: true });
  [environment, browser] = await Promise.all([
    startDevEnvironment({ webPort: 0, sipPort: 0, logger: noopLogger }),
    launchBrowser('chromium'),
  ]);
  for (const theme of THEMES) {
    for (const [dir, lang] of LANGUAGES) {
      for (const [size, width] of WIDTHS) {
        const file = join(outDir, `phone-${theme}-${dir}-${size}.png`);
        await shoot(browser, environment, { theme, lang, width, file });
        console.log(`› ${relative(root, file)}`);
      }
    }
  }
} catch (error) {
  console.error(`npm run screenshots: ${error?.message ?? error}`);
  process.exitCode = 1;
} finally {
  await stop();
}
