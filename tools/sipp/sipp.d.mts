export declare const SIPP_BINARY: string;
export declare const SIPP_SCENARIOS: string;

export interface SippOutcome {
  /** 0 when every step of the scenario happened. */
  readonly code: number | null;
  readonly signal: string | null;
  readonly stderr: string;
  /** The tail of SIPp's message trace and error log, for failure messages. */
  readonly messages: string;
  readonly errors: string;
}

export interface SippRun {
  readonly port: number;
  readonly done: Promise<SippOutcome>;
  stop(): Promise<void>;
}

export declare function runSipp(options: { scenario: string; target: string; variables?: Record<string, string | number>; timeoutMs?: number }): Promise<SippRun>;
