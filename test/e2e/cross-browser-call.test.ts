// Issue 10: a phone in Chromium calls a phone in Firefox (and back) through a real Kamailio, with
// media proven both ways by getStats and hold/unhold in both directions: the renegotiation paths
// where the peers' trackers are full of Firefox bugs (two m=audio after hold, port 0 on a re-offer).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser, PUPPETEER_BROWSERS, wantedBrowsers } from '../../tools/browsers.mjs';
import { startDemoServer } from '../../tools/demo-server/demo-server.mjs';
import { startKamailio, type KamailioServer } from '../../tools/kamailio/kamailio.mjs';
import { until } from '../../tools/test-support/until';

type Counter = { packets: number; bytes: number; frames: number };

const inbound = (page: Page, kind: 'audio' | 'video' = 'audio') =>
  page.evaluate((k) => window.harness.inbound(k), kind) as Promise<Counter>;
const state = (page: Page) => page.evaluate(() => window.harness.state());

/** Media of `kind` is arriving at `page`: its inbound packet count grows between two looks. */
async function flowing(page: Page, what: string, kind: 'audio' | 'video' = 'audio'): Promise<void> {
  let last = (await inbound(page, kind)).packets;
  await until(what, async () => {
    const now = (await inbound(page, kind)).packets;
    const grew = now > last && last > 0;
    last = now;
    return grew;
  });
}

/** Nothing arrives at `page` once in-flight packets have drained: the count stops moving for 1.5 s. */
async function silent(page: Page, what: string): Promise<void> {
  let last = (await inbound(page)).packets;
  await until(`${what} (draining)`, async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = (await inbound(page)).packets;
    const still = now === last;
    last = now;
    return still;
  });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.equal((await inbound(page)).packets, last, what);
}

const browsers = wantedBrowsers(PUPPETEER_BROWSERS);

describe(
  'a call between Chromium and Firefox through Kamailio',
  { skip: browsers.length < 2 ? 'needs both browsers (BROWSERS narrows the run)' : false },
  () => {
    let kamailio: KamailioServer;
    let web: Awaited<ReturnType<typeof startDemoServer>>;
    const open: Browser[] = [];
    let chromium: Page;
    let firefox: Page;

    before(async () => {
      kamailio = await startKamailio();
      web = await startDemoServer({ port: 0 });
      const harnessUrl = web.url.replace(/\/demo\/$/, '/test/e2e/harness/phone.html');
      for (const [name, user] of [
        ['chromium', 'alice'],
        ['firefox', 'bob'],
      ] as const) {
        const browser = await launchBrowser(name);
        open.push(browser);
        const page = await browser.newPage();
        page.on('pageerror', (error) => console.error(`${name} page error:`, error));
        await page.goto(harnessUrl);
        await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
        const status = await page.evaluate((config) => window.harness.start(config), {
          server: kamailio.wsUrl,
          aor: `sip:${user}@${kamailio.domain}`,
          password: kamailio.users[user].password,
        });
        assert.equal(status, 200, `${user} in ${name} registered`);
        if (name === 'chromium') chromium = page;
        else firefox = page;
      }
    });

    after(async () => {
      for (const page of [chromium, firefox]) await page?.evaluate(() => window.harness.stop()).catch(() => undefined);
      await Promise.allSettled(open.map((browser) => browser.close()));
      await web?.stop();
      await kamailio?.stop();
    });

    for (const [callerName, calleeName] of [
      ['chromium', 'firefox'],
      ['firefox', 'chromium'],
    ] as const) {
      it(`${callerName} calls ${calleeName}: media both ways, each side holds and resumes, hang up`, async () => {
        const pages = { chromium, firefox };
        const caller = pages[callerName];
        const callee = pages[calleeName];
        const calleeUser = calleeName === 'chromium' ? 'alice' : 'bob';
        await caller.evaluate((target) => window.harness.call(target), calleeUser);
        await until('the call to ring', async () => (await state(callee)) === 'incoming');
        await callee.evaluate(() => window.harness.answer());
        await until('connected at the caller', async () => (await state(caller)) === 'connected');
        await flowing(caller, `audio at the caller (${callerName})`);
        await flowing(callee, `audio at the callee (${calleeName})`);

        for (const [holder, held] of [
          [caller, callee],
          [callee, caller],
        ]) {
          await holder.evaluate(() => window.harness.hold());
          assert.equal(await state(holder), 'held');
          await until('the held side to show held', async () => (await state(held)) === 'held');
          // RFC 6337: the holder goes sendonly, the held side recvonly: nothing reaches the holder.
          await silent(holder, 'no media reaches the phone that holds');
          await holder.evaluate(() => window.harness.unhold());
          await until(
            'both sides connected again',
            async () => (await state(held)) === 'connected' && (await state(holder)) === 'connected',
          );
          await flowing(holder, 'media back at the phone that held');
          await flowing(held, 'media still at the phone that was held');
        }

        await caller.evaluate(() => window.harness.hangup());
        await until('the callee to see the end', async () => (await state(callee)) === 'ended');
      });
    }
  },
);
