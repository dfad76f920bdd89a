// web-test-runner launcher for WebKitGTK's MiniBrowser: @web/test-runner-webdriver's launcher,
// talking to a WebKitWebDriver this project starts (webkit-driver.mjs) when the runner initializes
// its browsers and stops with them. WebDriver classic, not BiDi: WebKitWebDriver 2.50 speaks only
// classic, and webdriverio 9 would otherwise ask for a BiDi session.
import { WebdriverLauncher } from '@web/test-runner-webdriver';
import { startWebKitDriver } from './webkit-driver.mjs';

/** The name in the runner's progress lines and the summary of `npm test`. */
export const WEBKIT_NAME = 'WebKit';

class WebKitLauncher extends WebdriverLauncher {
  constructor(browserOptions) {
    super({
      logLevel: 'error',
      // A MiniBrowser session starts in about a second; retrying a failed start hides nothing.
      connectionRetryCount: 1,
      capabilities: {
        browserName: 'MiniBrowser',
        'wdio:enforceWebDriverClassic': true,
        'webkitgtk:browserOptions': browserOptions,
      },
    });
    // Plugins read browser names before initialize() (the Kamailio plugin starts one per browser).
    this.name = WEBKIT_NAME;
  }

  async initialize(config, testFiles) {
    await super.initialize(config, testFiles);
    this.name = WEBKIT_NAME;
    this.driverProcess = await startWebKitDriver();
    Object.assign(this.options, { hostname: this.driverProcess.host, port: this.driverProcess.port });
  }

  // The WebKit part's own time, from its first test page to its last, for the summary of `npm test`
  // (with concurrentBrowsers, the runner's total covers all browsers at once).
  async startSession(id, url) {
    this.firstPageAt ??= Date.now();
    this.pages = (this.pages ?? 0) + 1;
    return super.startSession(id, url);
  }

  async stopSession(id) {
    try {
      return await super.stopSession(id);
    } finally {
      this.lastPageAt = Date.now();
    }
  }

  async stop() {
    if (this.firstPageAt !== undefined && this.lastPageAt !== undefined) {
      console.log(
        `${WEBKIT_NAME}: ${this.pages} test files in ${((this.lastPageAt - this.firstPageAt) / 1000).toFixed(1)} s`,
      );
    }
    try {
      await super.stop();
    } finally {
      await this.driverProcess?.stop();
      this.driverProcess = undefined;
    }
  }
}

/** @param browserOptions WebKitGTK's `webkitgtk:browserOptions` capability: { binary, args }. */
export function webkitLauncher(browserOptions) {
  return new WebKitLauncher(browserOptions);
}
