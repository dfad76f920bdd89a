// Browser tests in Debian's Chromium, Firefox ESR and WebKitGTK, with fake camera and microphone
// and, where there is WebRTC, loopback ICE (tools/browsers.mjs holds the flags and preferences).
// Nothing here downloads a browser: puppeteer-core drives Chromium and Firefox, WebDriver drives
// WebKitGTK's MiniBrowser (tools/webkit/). BROWSERS=chromium narrows a local run.
import { chromeLauncher } from '@web/test-runner-chrome';
import * as puppeteer from 'puppeteer-core';
import { launchOptions, wantedBrowsers, webkitBrowserOptions } from './tools/browsers.mjs';
import { devPlugins, nodeResolve, peerClientPlugins } from './tools/dev-plugins.mjs';
import { coturnPlugin } from './tools/coturn/wtr-plugin.mjs';
import { kamailioPlugin } from './tools/kamailio/wtr-plugin.mjs';
import { testCertificate, trustTestCertificate } from './tools/test-certificate.mjs';
import { sipdPlugin } from './tools/sipd/wtr-plugin.mjs';
import { mediaRelayPlugin } from './tools/media-relay/wtr-plugin.mjs';
import { sippPlugin } from './tools/sipp/wtr-plugin.mjs';
import { webkitLauncher } from './tools/webkit/wtr-launcher.mjs';

// A hidden tab never runs requestAnimationFrame, so each test file gets its own browser context.
const ownContext = ({ browser }) => browser.createBrowserContext().then((context) => context.newPage());

// Kamailio's WSS and coturn's TURNS present one throwaway certificate, which Chromium accepts by
// its key alone, Firefox by a session capability (tools/test-certificate.mjs says why).
const certificate = testCertificate();

const launchers = {
  chromium: () =>
    chromeLauncher({
      launchOptions: trustTestCertificate('chromium', launchOptions.chromium, certificate),
      createPage: ownContext,
    }),
  // Given puppeteer-core itself, the launcher speaks WebDriver BiDi to Firefox.
  firefox: () =>
    chromeLauncher({
      puppeteer,
      launchOptions: trustTestCertificate('firefox', launchOptions.firefox, certificate),
      createPage: ownContext,
    }),
  webkit: () => webkitLauncher(webkitBrowserOptions),
};

export default {
  files: ['src/**/*.test.ts', 'test/browser/**/*.test.ts', '!src/stack/**', '!src/sip.test.ts'],
  nodeResolve,
  // kamailioPlugin, sipdPlugin: browser tests reach a real Kamailio, and the 39peers sipd.py, through
  // executeServerCommand('kamailio' | 'sipd', ...); coturnPlugin: the TURN relay, executeServerCommand('coturn');
  // mediaRelayPlugin: a plain SIP phone (baresip) behind Kamailio + rtpengine ('plain-phone');
  // sippPlugin: SIPp scenarios replaying PBX behaviour through Kamailio + rtpengine ('sipp').
  plugins: [
    ...devPlugins(),
    ...peerClientPlugins(),
    kamailioPlugin({ tls: certificate }),
    coturnPlugin({ tls: certificate }),
    sipdPlugin(),
    mediaRelayPlugin(),
    sippPlugin(),
  ],
  browsers: wantedBrowsers().map((name) => launchers[name]()),
  // Lit's development build announces itself in every file; nothing else is filtered.
  filterBrowserLogs: ({ args }) => !String(args[0] ?? '').startsWith('Lit is in dev mode'),
  concurrency: 1,
  // Two browsers at a time on these 2-core machines: the media tests of Chromium and Firefox are
  // timing-bound. WebKit, listed last, starts when one of them is done (its part is short: most of
  // its media tests are skipped for want of WebRTC).
  concurrentBrowsers: 2,
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  testsFinishTimeout: 180000,
  testFramework: { config: { timeout: 20000 } },
};
