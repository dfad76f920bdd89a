import type { Browser, LaunchOptions } from 'puppeteer-core';
export declare const CHROMIUM: string;
export declare const FIREFOX: string;
export declare const chromiumArgs: string[];
export declare const firefoxPrefs: Record<string, boolean | number | string>;
export declare const launchOptions: Record<'chromium' | 'firefox', LaunchOptions>;
export type BrowserName = 'chromium' | 'firefox';
export declare function wantedBrowsers(): BrowserName[];
export declare function launchBrowser(name: BrowserName): Promise<Browser>;
