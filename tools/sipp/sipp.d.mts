export declare const SIPP_BINARY: string;
/** Directory of the scenarios. */
export declare const SCENARIOS: string;

export interface SippResult {
  /** SIPp's exit code: 0 when the call went through the scenario as written; -1 when stopped. */
  code: number;
  signal?: string;
  error?: string;
  /** Every message sent and received (-trace_msg). */
  messages: string;
  /** Messages the scenario did not expect (-trace_err). */
  errors: string;
  log: string;
}

export interface SippRun {
  /** SIPp's process id (its process group's too). */
  pid: number | undefined;
  /** SIPp's own UDP port. */
  port: number;
  runDir: string;
  done: Promise<SippResult>;
  stop(): Promise<void>;
}

/** Starts one call of `scenario` through `proxy` to the user `service`. */
export declare function startSipp(options: {
  scenario: string;
  proxy: { host: string; port: number };
  service: string;
  keys?: Record<string, string>;
  timeoutMs?: number;
}): Promise<SippRun>;
