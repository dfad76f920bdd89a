// Issues 23 and 20: a <sip-phone> where calls cannot work. An http:// page of a host name other
// than localhost is no secure context, so the browser gives it no navigator.mediaDevices; a browser
// without WebRTC (WebKitGTK, Lockdown Mode) has no RTCPeerConnection, or no getUserMedia. In each,
// the phone must render, say once why calls are unavailable (a CallsUnavailableError sip-error),
// keep registering and messaging through a real Kamailio, offer no working call button, refuse a
// call attempt with that reason, and decline a call from a second phone with 488.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as puppeteer from 'puppeteer-core';
import type { Browser, LaunchOptions, Page } from 'puppeteer-core';
import { launchOptions, PUPPETEER_BROWSERS, wantedBrowsers, type PuppeteerBrowserName } from '../../tools/browsers.mjs';
import { startDemoServer } from '../../tools/demo-server/demo-server.mjs';
import { startKamailio, type KamailioServer } from '../../tools/kamailio/kamailio.mjs';
import type { SipPhone } from '../../src/index';
import { until } from '../../tools/test-support/until';

/** A host name that resolves to 127.0.0.1 in the test browsers only: http:// there is not secure. */
const INSECURE_HOST = 'phone.test';

/** The browser, told to resolve INSECURE_HOST to loopback (Chromium by a rule, Firefox by a pref). */
function launch(name: PuppeteerBrowserName): Promise<Browser> {
  const options: LaunchOptions = { ...launchOptions[name] };
  if (name === 'chromium')
    options.args = [...(options.args ?? []), `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`];
  else options.extraPrefsFirefox = { ...options.extraPrefsFirefox, 'network.dns.localDomains': INSECURE_HOST };
  return puppeteer.launch(options);
}

const CASES = [
  {
    what: 'an http:// page of a host name other than localhost',
    host: INSECURE_HOST,
    without: '',
    code: 'insecure-context',
    says: /secure page \(https, or localhost/,
  },
  {
    what: 'a browser without RTCPeerConnection',
    host: '127.0.0.1',
    without: 'RTCPeerConnection',
    code: 'no-webrtc',
    says: /WebRTC.*RTCPeerConnection/,
  },
  {
    what: 'a browser without getUserMedia',
    host: '127.0.0.1',
    without: 'getUserMedia',
    code: 'no-webrtc',
    says: /WebRTC.*getUserMedia/,
  },
] as const;

const sipErrors = (page: Page) => page.evaluate(() => window.recorded.sipErrors);

/** What the phone shows: its status, the call buttons' state, the reason given beside them, whether a device menu. */
const shown = (page: Page) =>
  page.evaluate(() => {
    // No named functions in here: the test's TypeScript loader would wrap them in a helper the page lacks.
    const root = document.getElementById('phone')!.shadowRoot!;
    const [call, videoCall] = ['call-button', 'video-call-button'].map((name) => {
      const button = root.querySelector<HTMLButtonElement>(`[part~="${name}"]`);
      return {
        state: !button ? 'absent' : button.disabled ? 'disabled' : 'enabled',
        described: button?.getAttribute('aria-describedby') ?? '',
      };
    });
    const reason = root.querySelector('[part~="calls-unavailable"]');
    return {
      status: root.querySelector('[part~="status"]')?.textContent ?? '',
      call: call!,
      videoCall: videoCall!,
      reason: reason?.textContent?.trim() ?? '',
      reasonId: reason?.id ?? '',
      devices: !!root.querySelector('[part~="devices"]'),
    };
  });

for (const name of wantedBrowsers(PUPPETEER_BROWSERS)) {
  describe(`<sip-phone> where calls cannot work, in ${name}`, () => {
    let kamailio: KamailioServer;
    let web: Awaited<ReturnType<typeof startDemoServer>>;
    let browser: Browser;
    /** Bob: the stack phone of the harness, on a secure page, who messages and calls alice. */
    let bob: Page;

    before(async () => {
      [kamailio, web, browser] = await Promise.all([
        startKamailio(),
        startDemoServer({ port: 0, hostNames: [INSECURE_HOST] }),
        launch(name),
      ]);
      bob = await browser.newPage();
      await bob.goto(web.url.replace(/\/demo\/$/, '/test/e2e/harness/phone.html'));
      await bob.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
      const status = await bob.evaluate((config) => window.harness.start(config), {
        server: kamailio.wsUrl,
        aor: `sip:bob@${kamailio.domain}`,
        password: kamailio.users.bob.password,
      });
      assert.equal(status, 200, 'bob registered');
    });

    after(async () => {
      await bob?.evaluate(() => window.harness.stop()).catch(() => undefined);
      await browser?.close();
      await Promise.all([web?.stop(), kamailio?.stop()]);
    });

    for (const { what, host, without, code, says } of CASES) {
      it(`on ${what}: renders, registers and messages, says why once, refuses calls (488 to a caller)`, async () => {
        const page = await browser.newPage();
        const uncaught: string[] = [];
        page.on('pageerror', (error) => uncaught.push(String(error)));
        const url = new URL(web.url.replace(/\/demo\/$/, '/test/e2e/harness/elements.html'));
        url.hostname = host;
        if (without) url.searchParams.set('without', without);
        await page.goto(url.href);
        assert.equal(
          await page.evaluate(() => isSecureContext),
          host === '127.0.0.1',
          `the page is ${host === '127.0.0.1' ? '' : 'not '}a secure context`,
        );

        // Renders, and says why calls are unavailable, before any configuration.
        await page.waitForFunction(
          () => document.getElementById('phone')?.shadowRoot?.querySelector('[part~="status"]'),
          { timeout: 10000 },
        );
        const [first, ...more] = await sipErrors(page);
        assert.equal(more.length, 0, `one sip-error on load, got ${JSON.stringify([first, ...more])}`);
        assert.equal(first?.name, 'CallsUnavailableError');
        assert.equal(first?.code, code);
        assert.match(first!.message, says);

        // Registration and MESSAGE need only the WebSocket.
        await page.evaluate(
          (server, domain, password) => {
            const phone = document.getElementById('phone') as SipPhone;
            Object.assign(phone, { server, domain, user: 'alice', password, autoRegister: true });
            const inbox: string[] = ((window as unknown as { inbox: string[] }).inbox = []);
            phone.addEventListener('sip-message', ({ detail }) => inbox.push(detail.body));
          },
          kamailio.wsUrl,
          kamailio.domain,
          kamailio.users.alice.password,
        );
        await page.waitForFunction(() => (document.getElementById('phone') as SipPhone).registered, { timeout: 15000 });
        const sent = await page.evaluate(() =>
          (document.getElementById('phone') as SipPhone).sendMessage('bob', 'hello bob'),
        );
        assert.equal(sent.status, 200);
        await until('bob to get the message', async () =>
          (await bob.evaluate(() => window.harness.messages)).includes('hello bob'),
        );
        assert.equal(await bob.evaluate(() => window.harness.message('alice', 'hello alice')), 200);
        await until('alice to get the message', async () =>
          (await page.evaluate(() => (window as unknown as { inbox: string[] }).inbox)).includes('hello alice'),
        );

        // No working call button; the reason is shown beside them and describes them.
        const ui = await shown(page);
        assert.equal(ui.status, 'Registered');
        assert.match(ui.reason, says);
        assert.equal(ui.devices, host === '127.0.0.1', 'a device menu only where devices can be listed');
        for (const button of [ui.call, ui.videoCall]) {
          assert.notEqual(button.state, 'enabled', 'no enabled call button');
          if (button.state === 'disabled')
            assert.equal(button.described, ui.reasonId, 'a disabled call button is described by the reason');
        }

        // A call attempt is refused with the same reason: no call, no SIP, one sip-error.
        const attempt = await page.evaluate(async () => {
          const phone = document.getElementById('phone') as SipPhone;
          try {
            const call = await phone.call('bob');
            await new Promise((resolve) => setTimeout(resolve, 2000));
            return {
              placed: `${call.state} ${JSON.stringify((call as unknown as { call: { ended?: unknown } }).call.ended)}`,
            };
          } catch (error) {
            return {
              name: (error as Error).name,
              code: (error as { code?: string }).code,
              message: (error as Error).message,
            };
          }
        });
        assert.ok(
          !('placed' in attempt),
          `the call was placed and ended as ${'placed' in attempt ? attempt.placed : ''}`,
        );
        assert.equal(attempt.name, 'CallsUnavailableError');
        assert.equal(attempt.code, code);
        const afterAttempt = await sipErrors(page);
        assert.equal(afterAttempt.length, 2, 'the attempt is one more sip-error');
        assert.match(afterAttempt[1]!.message, says);
        assert.equal(await page.evaluate(() => (document.getElementById('phone') as SipPhone).calls.length), 0);

        // Bob calls alice: declined with 488 Not Acceptable Here at once, never ringing.
        await bob.evaluate((target) => {
          window.harness.log.length = 0;
          window.harness.call(target);
        }, 'alice');
        await until(
          'bob to see the call end',
          async () => (await bob.evaluate(() => window.harness.state())) === 'ended',
        );
        const ended = await bob.evaluate(() => window.harness.ended());
        assert.deepEqual({ cause: ended?.cause, status: ended?.status }, { cause: 'rejected', status: 488 });
        assert.deepEqual(
          await bob.evaluate(() => window.harness.log),
          ['state ended', 'ended rejected 488'],
          'from calling straight to ended: never ringing',
        );
        const afterIncoming = await sipErrors(page);
        assert.equal(afterIncoming.length, 3, 'the declined call is one more sip-error');
        assert.equal(afterIncoming[2]!.code, code);
        assert.match(afterIncoming[2]!.message, /sip:bob@.* 488/);
        assert.match(afterIncoming[2]!.message, says);
        assert.equal(await page.evaluate(() => (document.getElementById('phone') as SipPhone).calls.length), 0);

        assert.deepEqual(
          [...uncaught, ...(await page.evaluate(() => window.recorded.pageErrors))],
          [],
          'no uncaught error or unhandled rejection',
        );
        await page.close();
      });
    }
  });
}
