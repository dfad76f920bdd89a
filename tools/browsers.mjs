// Where Debian's browsers live and how they must be started for WebRTC tests on these machines:
// fake camera and microphone, no permission prompts, loopback ICE (../shared/TESTING.md explains
// each). Shared by the web-test-runner config and the end-to-end tests that drive whole pages.
import * as puppeteer from 'puppeteer-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/lib/firefox-esr/firefox-esr';

export const chromiumArgs = [
  '--no-sandbox',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-gpu',
];

export const firefoxPrefs = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'permissions.default.microphone': 1,
  'permissions.default.camera': 1,
  'media.peerconnection.ice.loopback': true,
  'media.autoplay.default': 0,
  'media.autoplay.block-webaudio': false,
};

/** puppeteer launch options per browser name. */
export const launchOptions = {
  chromium: { executablePath: CHROMIUM, headless: true, args: chromiumArgs },
  firefox: { browser: 'firefox', executablePath: FIREFOX, headless: true, extraPrefsFirefox: firefoxPrefs },
};

/** The browsers to test in: BROWSERS=chromium,firefox (the default) narrows the run. */
export function wantedBrowsers() {
  const wanted = (process.env.BROWSERS ?? 'chromium,firefox').split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of wanted) {
    const options = launchOptions[name];
    if (!options) throw new Error(`Unknown browser "${name}" in BROWSERS (use chromium, firefox)`);
    if (!existsSync(options.executablePath)) {
      throw new Error(`${name} not found at ${options.executablePath}: run \`npm run system-deps\``);
    }
  }
  return wanted;
}

/** Launches one of the browsers with puppeteer-core (never a downloaded browser). */
export function launchBrowser(name) {
  return puppeteer.launch(launchOptions[name]);
}
