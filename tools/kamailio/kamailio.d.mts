/** Path of the project's Kamailio configuration (deploy/kamailio/kamailio.cfg). */
export declare const KAMAILIO_CONFIG: string;
/** The kamailio binary (KAMAILIO_PATH, else Debian's /usr/sbin/kamailio). */
export declare const KAMAILIO_BINARY: string;
/** The SIP domain and digest realm. */
export declare const KAMAILIO_DOMAIN: 'sip-elements.test';

export type KamailioUserName = 'alice' | 'bob' | 'carol' | 'dave';
export interface KamailioUser {
  /** User part of the AOR and digest user name. */
  user: string;
  password: string;
}
/** The fixed user table of kamailio.cfg. */
export declare const KAMAILIO_USERS: Readonly<Record<KamailioUserName, Readonly<KamailioUser>>>;

export interface KamailioOptions {
  /** The loopback address to listen on (default 127.0.0.1; the cluster's second node: 127.0.0.2). */
  host?: string;
  /** Fixed ports instead of free ones picked at random (all three together). */
  ports?: { ws: number; wss: number; udp: number };
  /** Digest algorithm Kamailio challenges with. Default MD5. */
  authAlgorithm?: 'MD5' | 'SHA-256';
  /** Debug-level logging in the log file (every request and reply). */
  debug?: boolean;
  /** Extra `-A` defines, e.g. `'WITH_SOMETHING'` or `'NAME=value'`. */
  defines?: string[];
  /** The presence server too (WITH_PRESENCE, with pua's db_text tables in the run dir). */
  presence?: boolean;
  /**
   * Kamailio's shared memory in MB (`-m`; its default is 64): each WebSocket connection takes its read buffer from it.
   */
  sharedMemoryMb?: number;
  /** Another configuration file (absolute path). */
  config?: string;
  /** Use this certificate and key for WSS instead of a fresh self-signed one. */
  tls?: { certFile: string; keyFile: string };
  /** Parent of the run directory. Default: <repo>/.tmp/kamailio. */
  runDir?: string;
  /**
   * Keep the run directory (log, certificate) when Node exits; it is removed then otherwise, except
   * after a failed start. Also KAMAILIO_KEEP_RUNDIR=1.
   */
  keepRunDir?: boolean;
  /** Bound on the wait for WS and WSS to accept a handshake. Default 10000 ms. */
  startTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. Default 3000 ms. */
  stopGraceMs?: number;
}

export interface KamailioServer {
  /** 127.0.0.1 unless another loopback address was asked for. */
  readonly host: string;
  /** ws://127.0.0.1:<port>: the `server` of a phone. Unchanged by restart(). */
  readonly wsUrl: string;
  /** wss://127.0.0.1:<port>, with a self-signed certificate (not trusted by browsers). */
  readonly wssUrl: string;
  readonly wsPort: number;
  readonly wssPort: number;
  /** UDP port on 127.0.0.1 for signalling peers such as sipp. */
  readonly udpPort: number;
  readonly domain: typeof KAMAILIO_DOMAIN;
  readonly users: typeof KAMAILIO_USERS;
  /** Where the log, pid file and certificate live. */
  readonly runDir: string;
  readonly logFile: string;
  readonly certFile: string;
  /** Whether Kamailio is running now (false after stop(), true again after start()). */
  readonly running: boolean;
  /** PID of Kamailio's main process (its process group too), undefined while stopped. */
  readonly pid: number | undefined;
  /** Starts a stopped server again on the same ports; nothing if it is running. */
  start(): Promise<void>;
  /** Stops and starts on the same ports: every connection closes, every registration is lost. */
  restart(): Promise<void>;
  /** Stops: SIGTERM, then SIGKILL of the process group after stopGraceMs. start() may follow. */
  stop(): Promise<void>;
  /** The last lines of Kamailio's log, for failure messages. */
  logTail(lines?: number): string;
}

/** Starts Kamailio on free loopback ports; resolves once WS and WSS accept a handshake. */
export declare function startKamailio(options?: KamailioOptions): Promise<KamailioServer>;

export interface KamailioCluster {
  /** The two nodes (each a KamailioServer: stop() and start() one to take it down and back). */
  readonly nodes: readonly [KamailioServer, KamailioServer];
  /** Stops both nodes. */
  stop(): Promise<void>;
}

/**
 * Starts the two-node cluster of kamailio.cfg (WITH_CLUSTER: registrations shared by DMQ, each
 * node reaching the other's flows through Path) on free loopback ports.
 */
export declare function startKamailioCluster(
  options?: Omit<KamailioOptions, 'ports' | 'presence'>,
): Promise<KamailioCluster>;
