/**
 * What the dev SIP server can be told, and the defaults that make `npm start` work with nothing
 * configured: loopback only, open registration, the domain the Kamailio tests use too.
 */
import type { Clock } from '../../src/stack/core/clock';
import type { Logger } from '../../src/stack/core/logger';
import type { DigestAlgorithmChoice } from './digest-verifier';
import type { UserDirectory } from './users-file';

export const DEFAULT_DOMAIN = 'sip-elements.test';
export const DEFAULT_SIP_HOST = '127.0.0.1';
export const DEFAULT_SIP_PORT = 8089;

export interface DevSipServerOptions {
  /** Address to listen on (default 127.0.0.1: a dev server has no business on other interfaces). */
  readonly host?: string;
  /** Port to listen on (default 8089); 0 picks a free port, as tests do. */
  readonly port?: number;
  /** The host written into Via and Record-Route; defaults to `host` (127.0.0.1 for a wildcard). */
  readonly advertisedHost?: string;
  /** The SIP domain the phones register in (default `sip-elements.test`). */
  readonly domain?: string;
  /**
   * Digest users: a users file path, or its content. Without it, registration is open to any
   * user name and nothing is challenged (dev mode).
   */
  readonly users?: string | UserDirectory;
  /**
   * Digest challenges offered, most preferred first (default SHA-256, MD5, RFC 8760 §2.4; JsSIP
   * and SIP.js need MD5 last: they keep only the last challenge line). `['MD5']` for MD5 alone.
   */
  readonly digestAlgorithms?: readonly DigestAlgorithmChoice[];
  /** RFC 3261 §10.3 step 7: the expiry bounds of a binding, in seconds (defaults 10, 3600, 3600). */
  readonly minExpires?: number;
  readonly maxExpires?: number;
  readonly defaultExpires?: number;
  /** Largest SIP message accepted (default 128 KiB); bigger requests get 513. */
  readonly maxMessageBytes?: number;
  /** Largest WebSocket frame read at all (default 1 MiB); the socket is closed (1009) beyond. */
  readonly maxFrameBytes?: number;
  /** How long a digest nonce stays fresh, in seconds (default 300); older ones are `stale`. */
  readonly nonceLifetime?: number;
  /**
   * Web page origins allowed to open the WebSocket (`https://phone.example.com`), the only ones
   * when given. Default: pages on loopback or on this server's own host; clients that send no
   * Origin (not browsers) are always let in.
   */
  readonly allowedOrigins?: readonly string[];
  readonly clock?: Clock;
  readonly logger?: Logger;
}
