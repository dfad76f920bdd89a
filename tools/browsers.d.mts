import type { Browser, LaunchOptions } from 'puppeteer-core';
export declare const CHROMIUM: string;
export declare const FIREFOX: string;
export declare const chromiumArgs: string[];
export declare const firefoxPrefs: Record<string, boolean | number | string>;
export declare const MINIBROWSER: string;
export declare const miniBrowserArgs: string[];
export declare const webkitBrowserOptions: { binary: string; args: string[] };
export type PuppeteerBrowserName = 'chromium' | 'firefox';
export type BrowserName = PuppeteerBrowserName | 'webkit';
export declare const launchOptions: Record<PuppeteerBrowserName, LaunchOptions>;
export declare const BROWSER_NAMES: BrowserName[];
export declare const PUPPETEER_BROWSERS: PuppeteerBrowserName[];
/** The browsers BROWSERS asks for (all by default), among `supported`; throws when one is not installed. */
export declare function wantedBrowsers<T extends BrowserName = BrowserName>(supported?: readonly T[]): T[];
export declare function launchBrowser(name: PuppeteerBrowserName): Promise<Browser>;
