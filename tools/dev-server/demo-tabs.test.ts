// The end-to-end proof, in each real browser: the dev SIP server and the demo web server
// started the way `npm start` starts them (startDevEnvironment), the two printed phone URLs opened
// in two tabs, and with no password typed anywhere the phones register, alice calls bob, bob
// answers, audio flows both ways (getStats), a MESSAGE goes each way through the chat forms, and
// the call ends on both sides.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import type { SipPhone } from '../../src/index';
import { noopLogger } from '../../src/stack/core/logger';
import { launchBrowser, PUPPETEER_BROWSERS, wantedBrowsers } from '../browsers.mjs';
import { startDevEnvironment } from './dev-environment';
import type { DevEnvironment } from './dev-environment';
import { until } from '../test-support/until';

type Tab = Page & { errors: string[] };

/**
 * A tab in its own browser context (a hidden tab of a shared context is throttled), recording errors and CSP
 * violations.
 */
async function openTab(browser: Browser, url: string): Promise<Tab> {
  const context = await browser.createBrowserContext();
  const page = (await context.newPage()) as Tab;
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(String(error)));
  await page.evaluateOnNewDocument(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('phone-1') !== null);
  return page;
}

const PHONE = 'phone-1';
const registered = (tab: Page) => tab.evaluate((id) => (document.getElementById(id) as SipPhone).registered, PHONE);
const callState = (tab: Page) =>
  tab.evaluate((id) => (document.getElementById(id) as SipPhone).calls[0]?.state ?? 'none', PHONE);

/** Inbound audio bytes of the tab's first call. */
const audioBytes = (tab: Page) =>
  tab.evaluate(async (id) => {
    const call = (document.getElementById(id) as SipPhone).calls[0];
    if (!call) return 0;
    let bytes = 0;
    (await call.getStats()).forEach((report) => {
      if (report.type === 'inbound-rtp' && report.kind === 'audio') bytes += report.bytesReceived ?? 0;
    });
    return bytes;
  }, PHONE);

async function audioFlowing(tab: Page, what: string): Promise<void> {
  let last = await audioBytes(tab);
  await until(what, async () => {
    const now = await audioBytes(tab);
    const grew = now > last && last > 0;
    last = now;
    return grew;
  });
}

/** Clicks a button part in the shadow root of the element `host` selects. */
const clickPart = (tab: Page, host: string, part: string) =>
  tab.evaluate(
    (selector, name) => {
      const button = document
        .querySelector(selector)
        ?.shadowRoot?.querySelector<HTMLButtonElement>(`[part~="${name}"]`);
      if (!button) throw new Error(`no ${name} in ${selector}`);
      button.click();
    },
    host,
    part,
  );

/** Sends a chat line with the tab's chat form (phone.sendMessage underneath). */
async function chat(tab: Page, to: string, text: string): Promise<void> {
  await tab.evaluate(
    (target, body) => {
      const form = document.querySelector<HTMLFormElement>('.chat-form')!;
      (form.elements.namedItem('to') as HTMLInputElement).value = target;
      (form.elements.namedItem('text') as HTMLInputElement).value = body;
      form.requestSubmit();
    },
    to,
    text,
  );
}

const chatLog = (tab: Page) => tab.$$eval('.chat-log li', (items) => items.map((item) => item.textContent ?? ''));

for (const name of wantedBrowsers(PUPPETEER_BROWSERS)) {
  describe(`npm start's two demo tabs in ${name}`, () => {
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

    it('register without a password, call with audio both ways, exchange MESSAGEs and hang up', async () => {
      const [alice, bob] = await Promise.all([
        openTab(browser, environment.phones.alice),
        openTab(browser, environment.phones.bob),
      ]);
      await until('both tabs registered', async () => (await registered(alice)) && (await registered(bob)));
      assert.equal(environment.sip.bindings('alice').length, 1);
      assert.equal(environment.sip.bindings('bob').length, 1);

      // alice dials bob from her dial field; bob answers from his incoming call's button.
      await alice.evaluate((id) => {
        const input = document.getElementById(id)!.shadowRoot!.querySelector<HTMLInputElement>('[part~="target"]')!;
        input.value = 'bob';
        input.dispatchEvent(new InputEvent('input'));
      }, PHONE);
      await alice.evaluate((id) => (document.getElementById(id) as SipPhone).updateComplete, PHONE);
      await clickPart(alice, `#${PHONE}`, 'call-button');
      await until("the call to ring in bob's tab", async () => (await callState(bob)) === 'incoming');
      await bob.evaluate((id) => (document.getElementById(id) as SipPhone).calls[0]!.updateComplete, PHONE);
      await clickPart(bob, `#${PHONE} sip-call`, 'answer-button');
      await until(
        'both tabs connected',
        async () => (await callState(alice)) === 'connected' && (await callState(bob)) === 'connected',
      );
      await audioFlowing(alice, 'audio from bob to alice');
      await audioFlowing(bob, 'audio from alice to bob');

      await chat(alice, 'bob', 'hello bob, over the dev server');
      await until("alice's MESSAGE in bob's chat", async () =>
        (await chatLog(bob)).some((line) => line.includes('hello bob, over the dev server')),
      );
      await chat(bob, 'alice', 'hello alice');
      await until("bob's MESSAGE in alice's chat", async () =>
        (await chatLog(alice)).some((line) => line.includes('hello alice')),
      );
      assert.ok(
        (await chatLog(alice)).some((line) => line.startsWith('To bob:')),
        "alice's MESSAGE was answered 2xx",
      );

      await alice.evaluate((id) => (document.getElementById(id) as SipPhone).calls[0]!.updateComplete, PHONE);
      await clickPart(alice, `#${PHONE} sip-call`, 'hangup-button');
      await until(
        'the call to end in both tabs',
        async () => (await callState(alice)) !== 'connected' && (await callState(bob)) !== 'connected',
      );
      for (const tab of [alice, bob]) {
        assert.deepEqual(
          await tab.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
          [],
          'no CSP violation',
        );
        assert.deepEqual(tab.errors, []);
      }
    });
  });
}
