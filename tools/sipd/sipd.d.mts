/** The domain sipd.py hosts: REGISTERs from other domains get 403. */
export declare const SIPD_DOMAIN: 'sipd.test';

export interface SipdOptions {
  /** A fixed port instead of a free one. */
  port?: number;
  /** sipd.py's -d, every message in the log: the default; false logs only its warnings and errors. */
  debug?: boolean;
  /** Parent of the run directory. Default: <repo>/.tmp/sipd. */
  runDir?: string;
  /** Keep the run directory (the log) when Node exits; also SIPD_KEEP_RUNDIR=1. */
  keepRunDir?: boolean;
  /** Bound on the wait for the first WebSocket handshake. Default 10000 ms. */
  startTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. Default 2000 ms. */
  stopGraceMs?: number;
  /** Environment to read SIPD_PYTHON, PYENV_ROOT and P2P_SIP_DIR from, and to run it with. */
  env?: NodeJS.ProcessEnv;
}

/** How a server ended without being asked to. */
export interface SipdDeath {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
  /** ISO time of the exit. */
  at: string;
}

export interface SipdServer {
  /** Always 127.0.0.1. */
  readonly host: string;
  /** ws://127.0.0.1:<port>, unchanged by restart(). */
  readonly wsUrl: string;
  readonly port: number;
  readonly domain: typeof SIPD_DOMAIN;
  readonly runDir: string;
  readonly logFile: string;
  readonly running: boolean;
  /** Set when the process exited on its own (a TCP reset ends it); cleared by start(). */
  readonly died: SipdDeath | undefined;
  readonly pid: number | undefined;
  /** Starts a stopped (or dead) server on the same port; nothing if it is running. */
  start(): Promise<void>;
  /** Stops and starts on the same port: every registration is lost. */
  restart(): Promise<void>;
  /** SIGTERM, then SIGKILL after stopGraceMs. */
  stop(): Promise<void>;
  /** Throws, with how it died and the log's last lines, if the server died since its last start. */
  checkAlive(): void;
  logTail(lines?: number): string;
}

/** The p2p-sip sources directory in use. */
export declare function findSources(env?: NodeJS.ProcessEnv): string;
/** The Python 2.7 binary in use. */
export declare function findPython(env?: NodeJS.ProcessEnv): string;
/** One line naming what is missing (Python 2.7.18, the sources), or undefined. */
export declare function missingPrerequisite(env?: NodeJS.ProcessEnv): string | undefined;
/** Starts sipd.py with the WS transport on a free loopback port; resolves once it answers a handshake. */
export declare function startSipd(options?: SipdOptions): Promise<SipdServer>;
