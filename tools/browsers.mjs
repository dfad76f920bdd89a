// Where Debian's browsers live and how they must be started for WebRTC tests on these machines:
// fake camera and microphone, no permission prompts, loopback ICE (../shared/TESTING.md explains
// each). Shared by the web-test-runner config and the end-to-end tests that drive whole pages.
import * as puppeteer from 'puppeteer-core';
import { existsSync, readdirSync } from 'node:fs';
import { WEBKIT_DRIVER, XVFB_RUN } from './webkit/webkit-driver.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/lib/firefox-esr/firefox-esr';
// WebKitGTK's MiniBrowser sits under the multiarch directory (x86_64-linux-gnu on amd64).
export const MINIBROWSER = process.env.MINIBROWSER_PATH ?? findMiniBrowser();

function findMiniBrowser() {
  const found = readdirSync('/usr/lib')
    .map((dir) => `/usr/lib/${dir}/webkit2gtk-4.1/MiniBrowser`)
    .find((path) => existsSync(path));
  return found ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
}

export const chromiumArgs = [
  '--no-sandbox',
  // Also answers getDisplayMedia's picker with a fake screen (the screen-sharing tests need no other flag).
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
  // Headless Firefox finds no sound device here, so an AudioContext never starts (resume() never
  // settles) and WebAudio reads silence: cubeb's mock backend gives it devices to run on.
  'media.cubeb.force_mock_context': true,
};

// Debian builds WebKitGTK without WebRTC; these give getUserMedia its mock camera and microphone.
export const miniBrowserArgs = [
  '--automation',
  '--enable-media-stream=true',
  '--enable-mock-capture-devices=true',
  '--autoplay-policy=allow',
];

/** WebKitGTK's `webkitgtk:browserOptions` WebDriver capability. */
export const webkitBrowserOptions = { binary: MINIBROWSER, args: miniBrowserArgs };

/** puppeteer launch options per browser name. */
export const launchOptions = {
  chromium: { executablePath: CHROMIUM, headless: true, args: chromiumArgs },
  firefox: { browser: 'firefox', executablePath: FIREFOX, headless: true, extraPrefsFirefox: firefoxPrefs },
};

/** What each browser needs on disk. */
const binaries = {
  chromium: [CHROMIUM],
  firefox: [FIREFOX],
  webkit: [MINIBROWSER, WEBKIT_DRIVER, XVFB_RUN],
};

export const BROWSER_NAMES = Object.keys(binaries);
/** The browsers launchBrowser() drives (WebKit has no puppeteer; web-test-runner drives it over WebDriver). */
export const PUPPETEER_BROWSERS = ['chromium', 'firefox'];

/**
 * The browsers to test in, among `supported`: BROWSERS=chromium,firefox,webkit (the default)
 * narrows the run.
 */
export function wantedBrowsers(supported = BROWSER_NAMES) {
  const wanted = (process.env.BROWSERS ?? BROWSER_NAMES.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of wanted) {
    if (!binaries[name]) throw new Error(`Unknown browser "${name}" in BROWSERS (use ${BROWSER_NAMES.join(', ')})`);
    for (const path of binaries[name]) {
      if (!existsSync(path)) throw new Error(`${name}: ${path} not found: run \`npm run system-deps\``);
    }
  }
  return wanted.filter((name) => supported.includes(name));
}

/** Launches one of the browsers with puppeteer-core (never a downloaded browser). */
export function launchBrowser(name) {
  return puppeteer.launch(launchOptions[name]);
}
