// The demo page in WebKitGTK's MiniBrowser, driven over WebDriver classic (webdriverio; WebKit has
// no puppeteer): what a Safari user without WebRTC can do there. Phones built from URL parameters
// under the strict Content-Security-Policy (never a password from the URL), two phones side by side
// that register at a real Kamailio with passwords typed into the forms and exchange a MESSAGE, and
// the same in the React page.
// The calls of demo.test.ts need a peer connection, which Debian's WebKitGTK lacks.
// WebDriver classic has no hook before a page's first script, so errors and CSP violations are
// watched from the moment the test gets the page, not from its start as in demo.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { remote } from 'webdriverio';
import { wantedBrowsers, webkitBrowserOptions } from '../../tools/browsers.mjs';
import { startDemoServer } from '../../tools/demo-server/demo-server.mjs';
import { startKamailio, type KamailioServer } from '../../tools/kamailio/kamailio.mjs';
import { startWebKitDriver, type WebKitDriver } from '../../tools/webkit/webkit-driver.mjs';
import type { SipPhone } from '../../src/index';

type Browser = Awaited<ReturnType<typeof remote>>;
type Watch = { errors: string[] };

const skip = wantedBrowsers().includes('webkit') ? false : 'BROWSERS leaves WebKit out';

/** Opens `url` and records uncaught errors and CSP violations from then on. */
async function open(browser: Browser, url: string): Promise<void> {
  await browser.url(url);
  await browser.execute(() => {
    const seen: string[] = ((window as unknown as Watch).errors = []);
    window.addEventListener('error', (e) => seen.push(e.message));
    window.addEventListener('unhandledrejection', (e) => seen.push(String(e.reason)));
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`CSP ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
}

const pageErrors = (browser: Browser) => browser.execute(() => (window as unknown as Watch).errors);

describe('demo page in webkit', { skip, timeout: 120000 }, () => {
  let server: Awaited<ReturnType<typeof startDemoServer>>;
  let kamailio: KamailioServer;
  let driver: WebKitDriver;
  let browser: Browser;

  before(async () => {
    [server, kamailio, driver] = await Promise.all([
      startDemoServer({ port: 0 }),
      startKamailio(),
      startWebKitDriver(),
    ]);
    // WebKitGTK's own capability is not in webdriverio's types: a variable escapes the literal check.
    const capabilities = {
      browserName: 'MiniBrowser',
      'wdio:enforceWebDriverClassic': true,
      'webkitgtk:browserOptions': webkitBrowserOptions,
    };
    browser = await remote({ hostname: driver.host, port: driver.port, logLevel: 'error', capabilities });
  });
  after(async () => {
    await browser?.deleteSession();
    await Promise.all([server?.stop(), kamailio?.stop(), driver?.stop()]);
  });

  it('builds a phone from URL parameters under a strict CSP, ignoring a password parameter', async () => {
    await open(browser, `${server.url}?user=alice&domain=example.com&display-name=Alice&password=leaked`);
    await browser.waitUntil(() =>
      browser.execute(() => Boolean(document.querySelector('sip-phone')?.shadowRoot?.querySelector('[part="status"]'))),
    );
    const phone = await browser.execute(() => {
      const el = document.querySelector('sip-phone')!;
      return {
        aor: el.shadowRoot!.querySelector('[part="aor"]')!.textContent,
        status: el.shadowRoot!.querySelector('[part="status"]')!.textContent,
        markup: el.outerHTML,
        password: (document.querySelector('input[name="password"]') as HTMLInputElement).value,
        warning: !document.getElementById('password-warning')!.hidden,
        address: location.search,
      };
    });
    assert.equal(phone.aor, 'sip:alice@example.com');
    assert.equal(phone.status, 'Not configured: set server');
    assert.ok(!phone.markup.includes('leaked'), 'the password parameter must not reach the phone');
    assert.equal(phone.password, '', 'nor the password field');
    assert.ok(phone.warning, 'the page says it ignored the password');
    assert.ok(!phone.address.includes('leaked'), 'and removed it from the address bar');
    assert.deepEqual(await pageErrors(browser), []);
  });

  it('registers two phones with passwords typed into their forms, and carries a MESSAGE between them', async () => {
    const query = new URLSearchParams({
      server: kamailio.wsUrl,
      domain: kamailio.domain,
      user: 'alice',
      'display-name': 'Alice',
      user2: 'bob',
      'display-name2': 'Bob',
    });
    await open(browser, `${server.url}?${query}&register`);
    await browser.waitUntil(() => browser.execute(() => document.querySelectorAll('sip-phone').length === 2));
    for (const [index, user] of [
      [1, 'alice'],
      [2, 'bob'],
    ] as const) {
      const column = `#phones > section:nth-child(${index})`;
      await browser.$(`${column} details.config summary`).click();
      await browser.$(`${column} input[name="password"]`).setValue(kamailio.users[user].password);
      await browser.$(`${column} .config-form button[type="submit"]`).click();
    }
    await browser.waitUntil(
      () => browser.execute(() => [...document.querySelectorAll('sip-phone')].every((phone) => phone.registered)),
      {
        timeout: 15000,
        timeoutMsg: 'both phones registered',
      },
    );
    assert.ok(!(await browser.getUrl()).includes(kamailio.users.alice.password), 'no password in the address');

    const received = await browser.execute(async () => {
      const [alice, bob] = ['phone-1', 'phone-2'].map((id) => document.getElementById(id) as SipPhone);
      const message = new Promise<string>((resolve) =>
        bob!.addEventListener('sip-message', ({ detail }) => resolve(detail.body), { once: true }),
      );
      await alice!.sendMessage('bob', 'Grüße aus WebKit 👋');
      return message;
    });
    assert.equal(received, 'Grüße aus WebKit 👋');
    assert.deepEqual(await pageErrors(browser), []);
  });

  it('runs the elements inside the React app: both phones register with typed passwords, events in React state', async () => {
    const query = new URLSearchParams({
      server: kamailio.wsUrl,
      domain: kamailio.domain,
      user: 'alice',
      'display-name': 'Alice',
      user2: 'bob',
      password: 'leaked',
    });
    await open(browser, `${server.url}react/?${query}&register`);
    await browser.waitUntil(() => browser.execute(() => document.querySelectorAll('sip-phone').length === 2));
    assert.ok(!(await browser.getUrl()).includes('leaked'), 'the password left the address bar');
    for (const [index, user] of [
      [1, 'alice'],
      [2, 'bob'],
    ] as const) {
      const column = `#phones > section:nth-child(${index})`;
      await browser.$(`${column} input[name="password"]`).setValue(kamailio.users[user].password);
      await browser.$(`${column} form button[type="submit"]`).click();
    }
    await browser.waitUntil(
      () =>
        browser.execute(() =>
          [...document.querySelectorAll('h2')].every((heading) => heading.textContent!.endsWith('(registered)')),
        ),
      {
        timeout: 15000,
        timeoutMsg: 'both React headings say registered',
      },
    );
    assert.deepEqual(await pageErrors(browser), []);
  });
});
