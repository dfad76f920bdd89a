// The demo page, served the way `npm start` serves it, in each real browser: the phone is built from
// URL parameters, nothing breaks the strict Content-Security-Policy, and no password is taken from the URL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'puppeteer-core';
import { launchBrowser, wantedBrowsers } from '../../tools/browsers.mjs';
import { startDemoServer } from '../../tools/demo-server/demo-server.mjs';

for (const name of wantedBrowsers()) {
  describe(`demo page in ${name}`, () => {
    let server: Awaited<ReturnType<typeof startDemoServer>>;
    let browser: Browser;

    before(async () => {
      server = await startDemoServer({ port: 0 });
      browser = await launchBrowser(name);
    });
    after(async () => {
      await browser?.close();
      await server?.stop();
    });

    it('builds a phone from URL parameters under a strict CSP, ignoring a password parameter', async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.evaluateOnNewDocument(() => {
        const seen: string[] = [];
        (window as unknown as { cspViolations: string[] }).cspViolations = seen;
        document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      await page.goto(`${server.url}?user=alice&domain=example.com&display-name=Alice&password=leaked`);
      await page.waitForFunction(() => document.querySelector('sip-phone')?.shadowRoot?.querySelector('[part="status"]'));

      const phone = await page.evaluate(() => {
        const el = document.querySelector('sip-phone')!;
        return {
          user: el.getAttribute('user'),
          domain: el.getAttribute('domain'),
          displayName: el.getAttribute('display-name'),
          status: el.shadowRoot!.querySelector('[part="status"]')!.textContent,
          markup: el.outerHTML,
          csp: (window as unknown as { cspViolations: string[] }).cspViolations,
        };
      });
      assert.equal(phone.user, 'alice');
      assert.equal(phone.domain, 'example.com');
      assert.equal(phone.displayName, 'Alice');
      assert.equal(phone.status, 'sip:alice@example.com');
      assert.ok(!phone.markup.includes('leaked'), 'the password parameter must not reach the phone');
      assert.deepEqual(phone.csp, [], 'no Content-Security-Policy violation');
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
