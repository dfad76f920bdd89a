// The single-file bundle as users load it (dist/sip-elements.bundle.js, built by `npm test` before the
// Node tests). Its CSS and HTML templates are minified at build time (lightningcss and
// html-minifier-next through rollup.config.mjs), which the browser tests of the source never see:
// here the four elements must define, render their parts and get their styles from the minified
// CSS, the theme's dark palette (a template spliced into two rules) included.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as puppeteer from 'puppeteer-core';
import type { Browser, Page } from 'puppeteer-core';
import { launchOptions, PUPPETEER_BROWSERS, wantedBrowsers } from '../../tools/browsers.mjs';

const BUNDLE = new URL('../../dist/sip-elements.bundle.js', import.meta.url);

const PAGE = `<!doctype html>
<script type="module" src="/bundle.js"></script>
<sip-phone id="light" user="alice" domain="example.com" theme="light"></sip-phone>
<sip-phone id="dark" user="alice" domain="example.com" theme="dark"></sip-phone>
<sip-call></sip-call>
<sip-video></sip-video>
<sip-presence target="bob"></sip-presence>`;

/** Serves the page and the bundle on loopback. */
async function serve(): Promise<{ server: Server; url: string }> {
  const bundle = readFileSync(BUNDLE, 'utf8');
  const server = createServer((request, response) => {
    const script = request.url === '/bundle.js';
    response.writeHead(200, { 'content-type': script ? 'text/javascript' : 'text/html' });
    response.end(script ? bundle : PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** What each element shows: its parts, some computed styles, its text. */
const shown = (page: Page) =>
  page.evaluate(() => {
    // No named functions in here: the test's TypeScript loader would wrap them in a helper the page lacks.
    const [light, dark, call, video, presence] = ['#light', '#dark', 'sip-call', 'sip-video', 'sip-presence'].map(
      (selector) => document.querySelector(selector)!.shadowRoot!,
    ) as [ShadowRoot, ShadowRoot, ShadowRoot, ShadowRoot, ShadowRoot];
    return {
      phoneParts: [...light.querySelectorAll('[part]')].map((el) => el.getAttribute('part')),
      lightBackground: getComputedStyle(light.querySelector('[part~="base"]')!).backgroundColor,
      darkBackground: getComputedStyle(dark.querySelector('[part~="base"]')!).backgroundColor,
      phoneRadius: getComputedStyle(light.querySelector('[part~="base"]')!).borderRadius,
      callParts: [...call.querySelectorAll('[part]')].map((el) => el.getAttribute('part')),
      videoFit: getComputedStyle(video.querySelector('[part~="remote"]')!).objectFit,
      presenceDisplay: getComputedStyle(presence.host).display,
      presenceText: presence.textContent!.replace(/\s+/g, ' ').trim(),
    };
  });

for (const name of wantedBrowsers(PUPPETEER_BROWSERS)) {
  describe(`the built bundle in ${name}`, () => {
    let web: Awaited<ReturnType<typeof serve>>;
    let browser: Browser;

    before(async () => {
      web = await serve();
      browser = await puppeteer.launch(launchOptions[name]);
    });

    after(async () => {
      await browser?.close();
      web?.server.close();
    });

    it('defines the four elements, which render their parts styled by the minified CSS', async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(web.url);
      await page.waitForFunction(() =>
        ['sip-phone', 'sip-call', 'sip-video', 'sip-presence'].every((tag) => customElements.get(tag)),
      );
      await page.waitForFunction(() =>
        document.querySelector('sip-presence')!.shadowRoot?.querySelector('[part~="lamp"]'),
      );
      const seen = await shown(page);
      assert.deepEqual(errors, []);
      assert.ok(
        ['base', 'header', 'status', 'dialer', 'target', 'keypad'].every((part) => seen.phoneParts.includes(part)),
        seen.phoneParts.join(' '),
      );
      assert.equal(seen.lightBackground, 'rgb(255, 255, 255)');
      assert.equal(seen.darkBackground, 'rgb(13, 17, 23)', 'the dark palette reached the rule that chooses it');
      assert.equal(seen.phoneRadius, '12px', 'calc(var(--_radius) * 1.5) of the 8px default');
      assert.ok(seen.callParts.includes('state'), seen.callParts.join(' '));
      assert.equal(seen.videoFit, 'cover');
      assert.equal(seen.presenceDisplay, 'inline-block');
      assert.equal(seen.presenceText, 'bob Unknown', 'the space between inline parts survives');
      await page.close();
    });
  });
}
