// The demo page, served the way `npm start` serves it, in each real browser under the strict
// Content-Security-Policy: phones built from URL parameters (never a password from the URL), and two
// phones side by side that register at a real Kamailio with passwords typed into the form and call
// each other with media proven by getStats(); and, against the dev server behind `npm start`, the
// lamps each phone shows for the other (the server answers their SUBSCRIBEs).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser, PUPPETEER_BROWSERS, wantedBrowsers } from '../../tools/browsers.mjs';
import { startDemoServer } from '../../tools/demo-server/demo-server.mjs';
import { startKamailio, type KamailioServer } from '../../tools/kamailio/kamailio.mjs';
import { noopLogger } from '../../src/stack/core/logger';
import { startDevSipServer, type DevSipServer } from '../../tools/dev-server/dev-sip-server';
import type { SipPhone } from '../../src/index';
import { until } from '../../tools/test-support/until';

type Watched = Page & { errors: string[] };

/** A page that records uncaught errors and CSP violations from its first script on. */
async function watchedPage(browser: Browser): Promise<Watched> {
  const page = (await browser.newPage()) as Watched;
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(String(error)));
  await page.evaluateOnNewDocument(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return page;
}

const cspViolations = (page: Page) =>
  page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

/** Inbound audio bytes of phone `id`'s newest connected call. */
const audioBytes = (page: Page, id: string) =>
  page.evaluate(async (phoneId) => {
    const call = (document.getElementById(phoneId) as SipPhone).calls.filter((c) => c.state === 'connected').at(-1);
    if (!call) return 0;
    let bytes = 0;
    (await call.getStats()).forEach((report) => {
      if (report.type === 'inbound-rtp' && report.kind === 'audio') bytes += report.bytesReceived ?? 0;
    });
    return bytes;
  }, id);

async function audioFlowing(page: Page, id: string, what: string): Promise<void> {
  let last = await audioBytes(page, id);
  await until(what, async () => {
    const now = await audioBytes(page, id);
    const grew = now > last && last > 0;
    last = now;
    return grew;
  });
}

const callState = (page: Page, id: string) =>
  page.evaluate((phoneId) => (document.getElementById(phoneId) as SipPhone).calls[0]?.state ?? 'none', id);

/** Clicks a part in the shadow root of `host` (a CSS selector in the light DOM). */
const clickPart = (page: Page, host: string, partName: string) =>
  page.evaluate(
    (selector, name) => {
      const element = document.querySelector(selector)!;
      const button = element.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="${name}"]`);
      if (!button) throw new Error(`no ${name} in ${selector}`);
      button.click();
    },
    host,
    partName,
  );

/** The states and remote addresses of phone `id`'s calls, oldest first. */
const callsOf = (page: Page, id: string) =>
  page.evaluate(
    (phoneId) =>
      (document.getElementById(phoneId) as SipPhone).calls.map((call) => `${call.state} ${call.remote?.uri ?? ''}`),
    id,
  );

/** Opens the demo with alice and bob side by side, passwords typed into each form, both registered. */
async function twoRegisteredPhones(page: Page, demoUrl: string, kamailio: KamailioServer): Promise<void> {
  const query = new URLSearchParams({
    server: kamailio.wsUrl,
    domain: kamailio.domain,
    user: 'alice',
    'display-name': 'Alice',
    user2: 'bob',
    'display-name2': 'Bob',
  });
  await page.goto(`${demoUrl}?${query}&register`);
  await page.waitForFunction(() => document.querySelectorAll('sip-phone').length === 2);
  for (const [index, user] of [
    [1, 'alice'],
    [2, 'bob'],
  ] as const) {
    const column = `#phones > section:nth-child(${index})`;
    await page.click(`${column} details.config summary`);
    await page.type(`${column} input[name="password"]`, kamailio.users[user].password);
    await page.click(`${column} .config-form button[type="submit"]`);
  }
  await page.waitForFunction(() => [...document.querySelectorAll('sip-phone')].every((phone) => phone.registered), {
    timeout: 15000,
  });
}

for (const name of wantedBrowsers(PUPPETEER_BROWSERS)) {
  describe(`demo page in ${name}`, () => {
    let server: Awaited<ReturnType<typeof startDemoServer>>;
    let browser: Browser;
    let kamailio: KamailioServer;
    let devServer: DevSipServer;

    before(async () => {
      [server, browser, kamailio, devServer] = await Promise.all([
        startDemoServer({ port: 0 }),
        launchBrowser(name),
        startKamailio(),
        startDevSipServer({ port: 0, logger: noopLogger }),
      ]);
    });
    after(async () => {
      await browser?.close();
      await Promise.all([server?.stop(), kamailio?.stop(), devServer?.stop()]);
    });

    it('shows each phone lamps for the other, served by the dev server: busy during a call between them, idle after', async () => {
      const page = await watchedPage(browser);
      const query = new URLSearchParams({
        server: devServer.url,
        domain: devServer.domain,
        user: 'alice',
        'display-name': 'Alice',
        user2: 'bob',
        'display-name2': 'Bob',
      });
      await page.goto(`${server.url}?${query}&register`);
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('sip-phone')].length === 2 &&
          [...document.querySelectorAll('sip-phone')].every((phone) => phone.registered),
        { timeout: 15000 },
      );
      /** The lamps in phone `index`'s column: what they watch, their label and state. */
      const lamps = (index: number) =>
        page.$$eval(`#phones > section:nth-child(${index}) .lamps:not([hidden]) sip-presence`, (list) =>
          list.map(
            (lamp) =>
              `${lamp.getAttribute('event')} ${lamp.getAttribute('target')} ${lamp.getAttribute('label')} ${lamp.getAttribute('state')}`,
          ),
        );
      const both = async () => [...(await lamps(1)), ...(await lamps(2))];
      const expect = async (what: string, wanted: string[]) => {
        await until(what, async () => JSON.stringify(await both()) === JSON.stringify(wanted));
      };
      await expect('idle and available lamps', [
        'dialog bob Bob idle',
        'presence bob Bob available',
        'dialog alice Alice idle',
        'presence alice Alice available',
      ]);

      await page.evaluate(() => (document.getElementById('phone-1') as SipPhone).call('bob'));
      await until('the call to ring at bob', async () => (await callState(page, 'phone-2')) === 'incoming');
      await expect('bob ringing at alice, alice busy (calling) at bob', [
        'dialog bob Bob ringing',
        'presence bob Bob available',
        'dialog alice Alice busy',
        'presence alice Alice available',
      ]);
      await page.evaluate(() => (document.getElementById('phone-2') as SipPhone).calls[0]!.answer());
      await expect('both busy', [
        'dialog bob Bob busy',
        'presence bob Bob available',
        'dialog alice Alice busy',
        'presence alice Alice available',
      ]);
      await page.evaluate(() => (document.getElementById('phone-2') as SipPhone).calls[0]!.hangup());
      await expect('both idle after the call', [
        'dialog bob Bob idle',
        'presence bob Bob available',
        'dialog alice Alice idle',
        'presence alice Alice available',
      ]);

      // One phone fewer: its user goes offline on the other's lamp, and the remaining phone shows no lamps.
      await page.click('#two-phones');
      await until('no lamps without a second phone', async () => (await lamps(1)).length === 0);
      await until('bob unregistered as his phone left the page', () => devServer.bindings('bob').length === 0);
      assert.deepEqual(await cspViolations(page), [], 'no Content-Security-Policy violation');
      assert.deepEqual(page.errors, []);
      await page.close();
    });

    it('builds a phone from URL parameters under a strict CSP, ignoring a password parameter', async () => {
      const page = await watchedPage(browser);
      await page.goto(`${server.url}?user=alice&domain=example.com&display-name=Alice&password=leaked`);
      await page.waitForFunction(() =>
        document.querySelector('sip-phone')?.shadowRoot?.querySelector('[part="status"]'),
      );

      const phone = await page.evaluate(() => {
        const el = document.querySelector('sip-phone')!;
        return {
          user: el.getAttribute('user'),
          domain: el.getAttribute('domain'),
          displayName: el.getAttribute('display-name'),
          aor: el.shadowRoot!.querySelector('[part="aor"]')!.textContent,
          status: el.shadowRoot!.querySelector('[part="status"]')!.textContent,
          markup: el.outerHTML,
          password: (document.querySelector('input[name="password"]') as HTMLInputElement).value,
          warning: !document.getElementById('password-warning')!.hidden,
          address: location.search,
        };
      });
      assert.equal(phone.user, 'alice');
      assert.equal(phone.domain, 'example.com');
      assert.equal(phone.displayName, 'Alice');
      assert.equal(phone.aor, 'sip:alice@example.com');
      assert.equal(phone.status, 'Not configured: set server');
      assert.ok(!phone.markup.includes('leaked'), 'the password parameter must not reach the phone');
      assert.equal(phone.password, '', 'nor the password field');
      assert.ok(phone.warning, 'the page says it ignored the password');
      assert.ok(!phone.address.includes('leaked'), 'and removed it from the address bar');
      assert.deepEqual(await cspViolations(page), [], 'no Content-Security-Policy violation');
      assert.deepEqual(page.errors, []);
      await page.close();
    });

    it('fills two phones from the URL, registers both with typed passwords and completes a call with media', async () => {
      const page = await watchedPage(browser);
      await twoRegisteredPhones(page, server.url, kamailio);
      assert.equal(await page.$eval('#two-phones', (box) => (box as HTMLInputElement).checked), true);
      const users = await page.$$eval('sip-phone', (phones) =>
        phones.map((phone) => [phone.id, phone.getAttribute('user'), phone.getAttribute('server')]),
      );
      assert.deepEqual(users, [
        ['phone-1', 'alice', kamailio.wsUrl],
        ['phone-2', 'bob', kamailio.wsUrl],
      ]);
      assert.ok(
        !(await page.evaluate(() => location.href)).includes(kamailio.users.alice.password),
        'no password in the address',
      );

      // Alice dials bob from her dial field; bob answers from his incoming call's button.
      await page.evaluate(() => {
        const input = document
          .getElementById('phone-1')!
          .shadowRoot!.querySelector<HTMLInputElement>('[part~="target"]')!;
        input.value = 'bob';
        input.dispatchEvent(new InputEvent('input'));
      });
      await page.evaluate(() => (document.getElementById('phone-1') as SipPhone).updateComplete);
      await clickPart(page, '#phone-1', 'call-button');
      await until('the call to ring at bob', async () => (await callState(page, 'phone-2')) === 'incoming');
      await page.evaluate(() => (document.getElementById('phone-2') as SipPhone).calls[0]!.updateComplete);
      await clickPart(page, '#phone-2 sip-call', 'answer-button');
      await until(
        'both sides connected',
        async () =>
          (await callState(page, 'phone-1')) === 'connected' && (await callState(page, 'phone-2')) === 'connected',
      );
      await audioFlowing(page, 'phone-1', 'audio from bob to alice');
      await audioFlowing(page, 'phone-2', 'audio from alice to bob');

      await page.evaluate(() => (document.getElementById('phone-1') as SipPhone).calls[0]!.updateComplete);
      await clickPart(page, '#phone-1 sip-call', 'hangup-button');
      await until(
        'the call to end on both sides',
        async () =>
          (await callState(page, 'phone-1')) !== 'connected' && (await callState(page, 'phone-2')) !== 'connected',
      );
      assert.deepEqual(await cspViolations(page), [], 'no Content-Security-Policy violation');
      assert.deepEqual(page.errors, []);
      await page.close();
    });

    it('hands bob over to carol from the attended-transfer control: bob accepts, calls carol with Replaces, alice leaves, bob and carol talk', async () => {
      const page = await watchedPage(browser);
      await twoRegisteredPhones(page, server.url, kamailio);
      // Carol is a third <sip-phone> the test adds to the page (the demo shows two), answering at once.
      await page.evaluate(
        (wsUrl, domain, password) => {
          const carol = document.createElement('sip-phone');
          carol.id = 'carol';
          for (const [attribute, value] of [
            ['server', wsUrl],
            ['domain', domain],
            ['user', 'carol'],
            ['display-name', 'Carol'],
            ['register', ''],
          ])
            carol.setAttribute(attribute!, value!);
          carol.password = password;
          carol.addEventListener('sip-incoming', ({ detail }) => void detail.call.answer());
          document.body.append(carol);
          const ended: string[] = ((window as unknown as { ended: string[] }).ended = []);
          for (const id of ['phone-1', 'phone-2', 'carol'])
            document
              .getElementById(id)!
              .addEventListener('sip-call-ended', ({ detail }) => ended.push(`${id} ${detail.cause}`));
        },
        kamailio.wsUrl,
        kamailio.domain,
        kamailio.users.carol.password,
      );
      await page.waitForFunction(() => (document.getElementById('carol') as SipPhone).registered, { timeout: 15000 });
      const form = '#phones > section:nth-child(1) .attended-form';
      assert.equal(
        await page.$eval(form, (element) => (element as HTMLFormElement).hidden),
        true,
        'no control without two calls',
      );

      // Alice talks to bob, then calls carol (the consultation).
      await page.evaluate(() => (document.getElementById('phone-1') as SipPhone).call('bob'));
      await until('the call to ring at bob', async () => (await callState(page, 'phone-2')) === 'incoming');
      await page.evaluate(() => (document.getElementById('phone-2') as SipPhone).calls[0]!.answer());
      await until('alice and bob connected', async () => (await callState(page, 'phone-1')) === 'connected');
      await page.evaluate(() => (document.getElementById('phone-1') as SipPhone).call('carol'));
      await until(
        'alice with two calls up',
        async () => (await callsOf(page, 'phone-1')).filter((call) => /^(connected|held) /.test(call)).length === 2,
      );

      // The control offers both directions; the user hands bob over to carol.
      await page.waitForFunction((selector) => !(document.querySelector(selector) as HTMLFormElement).hidden, {}, form);
      const options = await page.$$eval(`${form} option`, (list) =>
        list.map((option) => [(option as HTMLOptionElement).value, option.textContent!]),
      );
      assert.equal(options.length, 2);
      const bobToCarol = options.find(([, text]) => text.startsWith('bob@'));
      assert.ok(
        bobToCarol && bobToCarol[1].includes('carol'),
        `an option hands bob to carol: ${JSON.stringify(options)}`,
      );
      await page.select(`${form} select`, bobToCarol[0]!);
      await page.click(`${form} button[type="submit"]`);
      // Bob's phone asks him first (transfer-policy="ask", the default): he accepts in his call.
      await until('bob to be asked', () =>
        page.evaluate(
          () =>
            !!(document.getElementById('phone-2') as SipPhone).calls[0]!.shadowRoot!.querySelector(
              '[part~="accept-transfer-button"]',
            ),
        ),
      );
      await clickPart(page, '#phone-2 sip-call', 'accept-transfer-button');

      await until(
        'bob and carol connected to each other',
        async () =>
          (await callsOf(page, 'phone-2')).some((call) => call.startsWith('connected ') && call.includes('carol')) &&
          (await callsOf(page, 'carol')).some((call) => call.startsWith('connected ') && call.includes('bob')),
      );
      await until("alice's two calls to end", async () =>
        (await callsOf(page, 'phone-1')).every((call) => call.startsWith('ended ')),
      );
      // Alice's call to bob ends at alice when she sends the BYE, at bob when it arrives.
      const endedCalls = () => page.evaluate(() => (window as unknown as { ended: string[] }).ended);
      await until(
        "four call ends (both of alice's, bob's old one, carol's replaced one)",
        async () => (await endedCalls()).length >= 4,
      );
      const ended = await endedCalls();
      assert.deepEqual([...ended].sort(), [
        'carol replaced',
        'phone-1 remote-hangup',
        'phone-1 transferred',
        'phone-2 remote-hangup',
      ]);
      assert.equal(
        await page.$eval('#phones > section:nth-child(1) .attended-status', (element) => element.textContent),
        'Transfer done',
      );
      assert.equal(
        await page.$eval(form, (element) => (element as HTMLFormElement).hidden),
        true,
        'no control once the calls are gone',
      );
      await audioFlowing(page, 'phone-2', 'audio from carol to bob');
      await audioFlowing(page, 'carol', 'audio from bob to carol');
      assert.deepEqual(await cspViolations(page), [], 'no Content-Security-Policy violation');
      assert.deepEqual(page.errors, []);
      await page.close();
    });

    it('runs the elements inside a React app under the same CSP, events in React state, a call with media', async () => {
      const page = await watchedPage(browser);
      const query = new URLSearchParams({
        server: kamailio.wsUrl,
        domain: kamailio.domain,
        user: 'alice',
        'display-name': 'Alice',
        user2: 'bob',
        password: 'leaked',
      });
      await page.goto(`${server.url}react/?${query}&register`);
      await page.waitForFunction(() => document.querySelectorAll('sip-phone').length === 2);
      assert.ok(!(await page.evaluate(() => location.search)).includes('leaked'), 'the password left the address bar');
      for (const [index, user] of [
        [1, 'alice'],
        [2, 'bob'],
      ] as const) {
        const column = `#phones > section:nth-child(${index})`;
        await page.type(`${column} input[name="password"]`, kamailio.users[user].password);
        await page.click(`${column} form button[type="submit"]`);
      }
      await page.waitForFunction(
        () => [...document.querySelectorAll('h2')].every((heading) => heading.textContent!.endsWith('(registered)')),
        { timeout: 15000 },
      );

      await page.evaluate(() => (document.getElementById('react-phone-1') as SipPhone).call('bob'));
      await page.waitForFunction(() =>
        document
          .querySelector('#phones > section:nth-child(2) .events')!
          .textContent!.includes('Incoming call from Alice'),
      );
      await page.evaluate(() => (document.getElementById('react-phone-2') as SipPhone).calls[0]!.answer());
      await until(
        'both sides connected',
        async () =>
          (await callState(page, 'react-phone-1')) === 'connected' &&
          (await callState(page, 'react-phone-2')) === 'connected',
      );
      await audioFlowing(page, 'react-phone-1', 'audio from bob to alice');
      await audioFlowing(page, 'react-phone-2', 'audio from alice to bob');
      await page.evaluate(() => (document.getElementById('react-phone-2') as SipPhone).calls[0]!.hangup());
      await page.waitForFunction(() =>
        document
          .querySelector('#phones > section:nth-child(1) .events')!
          .textContent!.includes('Call ended: remote-hangup'),
      );
      assert.deepEqual(await cspViolations(page), [], 'no Content-Security-Policy violation');
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  });
}
