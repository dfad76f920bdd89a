/** The turnserver binary (COTURN_PATH, else Debian's /usr/bin/turnserver). */
export declare const COTURN_BINARY: string;
/** The long-term credential realm. */
export declare const COTURN_REALM: 'sip-elements.test';

export type CoturnUrlName = 'stun' | 'turnUdp' | 'turnTcp' | 'turns';

export interface CoturnOptions {
  /** Use this certificate and key for TURNS instead of a fresh self-signed one. */
  tls?: { certFile: string; keyFile: string };
  /** Log every allocation and connection (also COTURN_VERBOSE=1). */
  verbose?: boolean;
  /** Parent of the run directory. Default: <repo>/.tmp/coturn. */
  runDir?: string;
}

export interface CoturnServer {
  /** Always 127.0.0.1. */
  readonly host: string;
  /** STUN and TURN over UDP and TCP. */
  readonly port: number;
  /** TURN over TLS (TURNS). */
  readonly tlsPort: number;
  readonly realm: typeof COTURN_REALM;
  /** The static long-term user (a fresh credential per start). */
  readonly username: string;
  readonly credential: string;
  /** stun:, turn:?transport=udp, turn:?transport=tcp and turns: URLs of this server. */
  readonly urls: Readonly<Record<CoturnUrlName, string>>;
  /** One RTCIceServer with the named URLs and the credentials. */
  iceServer(...names: CoturnUrlName[]): { urls: string[]; username: string; credential: string };
  readonly runDir: string;
  readonly logFile: string;
  /** The TURNS certificate (self-signed unless options.tls gave one). */
  readonly certFile: string;
  readonly running: boolean;
  readonly pid: number | undefined;
  logTail(lines?: number): string;
  /** SIGTERM, then SIGKILL after 3 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

/** Starts coturn on free loopback ports; resolves once UDP answers STUN and TCP and TLS accept. */
export declare function startCoturn(options?: CoturnOptions): Promise<CoturnServer>;

/** Resolves true when a STUN Binding over UDP to 127.0.0.1:port is answered, else why not. */
export declare function stunBinding(port: number, timeoutMs?: number): Promise<true | string>;
