/** WebKitWebDriver (WEBKIT_DRIVER_PATH, else Debian's /usr/bin/WebKitWebDriver). */
export declare const WEBKIT_DRIVER: string;
export declare const XVFB_RUN: string;

export interface WebKitDriver {
  /** Always 127.0.0.1. */
  readonly host: string;
  readonly port: number;
  /** Holds the driver's log and the X authority file; removed when Node exits. */
  readonly runDir: string;
  /** Ends the driver, its Xvfb and every MiniBrowser it started; resolves once all are gone. */
  stop(): Promise<void>;
  logTail(lines?: number): string;
}

/** Throws, naming the Debian packages, when WebKitWebDriver or xvfb-run is missing. */
export declare function checkWebKitInstalled(): void;
/** Starts WebKitWebDriver under xvfb-run on a free loopback port; resolves once it answers /status. */
export declare function startWebKitDriver(options?: {
  /** A fixed port instead of a free one picked at random (then a taken port is an error, not a retry). */
  port?: number;
  /** Bound on the wait for the driver to answer /status. Default 20000 ms. */
  startTimeoutMs?: number;
}): Promise<WebKitDriver>;
