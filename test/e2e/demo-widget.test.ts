// The demo as a widget page (issue 19), served the way `npm start` serves it, against the dev SIP
// server behind `npm start`, in each real browser under the strict Content-Security-Policy: the
// configuration folds away once the phone registers; `?lang=` and the Language menu set the
// elements' language (its table fetched on demand), Arabic laid out right to left; the phone
// stays phone-sized on a wide screen and takes its narrow layout on a narrow one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser, PUPPETEER_BROWSERS, wantedBrowsers } from '../../tools/browsers.mjs';
import { startDevEnvironment, type DevEnvironment } from '../../tools/dev-server/dev-environment';
import { noopLogger } from '../../src/stack/core/logger';
import type { SipPhone } from '../../src/index';
import { until } from '../../tools/test-support/until';

/** What the first phone of the page shows: its status, its call button, its direction, the config box. */
const phoneView = (page: Page) =>
  page.evaluate(() => {
    // No named functions in here: tsx would wrap them in a helper the page does not have.
    const phone = document.querySelector<SipPhone>('sip-phone')!;
    const [status, call, video, base] = ['status', 'call-button', 'video-call-button', 'base'].map((name) =>
      phone.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!,
    );
    const [callBox, videoBox] = [call.getBoundingClientRect(), video.getBoundingClientRect()];
    return {
      registered: phone.registered,
      status: status.textContent ?? '',
      call: call.textContent ?? '',
      direction: getComputedStyle(base).direction,
      width: phone.getBoundingClientRect().width,
      callLeft: callBox.left,
      videoLeft: videoBox.left,
      stacked: videoBox.top >= callBox.bottom,
      configOpen: document.querySelector<HTMLDetailsElement>('.config')!.open,
      address: location.search,
    };
  });

for (const name of wantedBrowsers(PUPPETEER_BROWSERS)) {
  describe(`demo as a widget in ${name}`, () => {
    let environment: DevEnvironment;
    let browser: Browser;

    before(async () => {
      [environment, browser] = await Promise.all([
        startDevEnvironment({ webPort: 0, sipPort: 0, logger: noopLogger }),
        launchBrowser(name),
      ]);
    });
    after(async () => {
      await browser?.close();
      await environment?.stop();
    });

    async function open(url: string, width: number): Promise<Page & { errors: string[] }> {
      const page = Object.assign(await browser.newPage(), { errors: [] as string[] });
      page.on('pageerror', (error) => page.errors.push(String(error)));
      await page.setViewport({ width, height: 900 });
      await page.goto(url);
      await page.waitForFunction(() =>
        document.querySelector('sip-phone')?.shadowRoot?.querySelector('[part~="status"]'),
      );
      return page;
    }

    it('folds the configuration away once the phone registers, the phone phone-sized on a wide screen', async () => {
      const { sip } = environment;
      const page = await open(`${environment.demoUrl}?domain=${sip.domain}&user=carol&register`, 1280);
      let view = await phoneView(page);
      assert.equal(view.configOpen, true, 'no server yet: the form is open');
      assert.equal(view.status, 'Not configured: set server');
      await page.$eval(
        '.config-form input[name="server"]',
        (input, url) => ((input as HTMLInputElement).value = url),
        sip.url,
      );
      await page.click('.config-form button[type="submit"]');
      await until('carol to register', async () => (await phoneView(page)).registered);
      view = await phoneView(page);
      assert.equal(view.configOpen, false, 'registered: the form folded away');
      assert.equal(view.status, 'Registered');
      assert.ok(view.width <= 22 * 16, `phone-sized on a 1280 px page, ${view.width} px wide`);
      assert.equal(view.stacked, false, 'Call and Video call side by side');

      // The phone's callStrings reach the <sip-call> it makes: a call to no one ends in the page's words.
      const ended = await page.evaluate(async () => {
        const phone = document.querySelector<SipPhone>('sip-phone')!;
        phone.callStrings = {
          'ended.rejected': 'No such person',
          'ended.failed': 'No such person',
          'ended.no-answer': 'No such person',
        };
        const call = await phone.call('nobody-here');
        await new Promise((resolve) => call.addEventListener('sip-call-ended', resolve, { once: true }));
        await call.updateComplete;
        return call.shadowRoot!.querySelector('[part~="state"]')!.textContent;
      });
      assert.equal(ended, 'No such person');
      assert.deepEqual(page.errors, []);
      await page.close();
    });

    it('speaks the language of ?lang= and of the Language menu, Arabic right to left, and takes its narrow layout on a narrow screen', async () => {
      const page = await open(`${environment.phoneUrl('dave')}&lang=ar`, 320);
      await until('dave to register, in Arabic', async () => {
        const view = await phoneView(page);
        return view.registered && view.status === 'مسجَّل';
      });
      let view = await phoneView(page);
      assert.equal(view.call, 'اتصال');
      assert.equal(view.direction, 'rtl');
      assert.equal(view.stacked, true, 'narrow: Call above Video call');
      assert.match(view.address, /lang=ar/);
      assert.equal(await page.$eval('#lang', (select) => (select as HTMLSelectElement).value), 'ar');

      await page.setViewport({ width: 1280, height: 900 });
      await page.select('#lang', 'de');
      await until('the phone to speak German', async () => (await phoneView(page)).call === 'Anrufen');
      view = await phoneView(page);
      assert.equal(view.status, 'Angemeldet');
      assert.equal(view.direction, 'ltr');
      assert.equal(view.stacked, false, 'wide: Call and Video call side by side');
      assert.ok(view.callLeft < view.videoLeft, 'left to right again');
      assert.match(view.address, /lang=de/);
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  });
}
