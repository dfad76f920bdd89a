/**
 * Everything `npm start` runs, as one function a test can call too: the dev SIP server, the demo
 * web server, and the URLs of two demo phones (alice and bob) that register at once and can call
 * each other. Settings come from options or, through `devEnvironmentOptionsFromEnv`, from the
 * environment: PORT (web), SIP_PORT, HOST, SIP_DOMAIN, SIP_USERS_FILE, SIP_DIGEST_ALGORITHMS, SIP_LOG,
 * SIP_ALLOWED_ORIGINS.
 */
import type { Logger } from '../../src/stack/core/logger';
import { startDemoServer } from '../demo-server/demo-server.mjs';
import { consoleLogger, isLogLevel } from './console-logger';
import { parseDigestAlgorithms } from './digest-verifier';
import type { DigestAlgorithmChoice } from './digest-verifier';
import { startDevSipServer } from './dev-sip-server';
import type { DevSipServer } from './dev-sip-server';
import { DEFAULT_DOMAIN, DEFAULT_SIP_HOST, DEFAULT_SIP_PORT } from './options';
import { parseAllowedOrigins } from './origin-check';

export const DEFAULT_WEB_PORT = 8000;

export interface DevEnvironmentOptions {
  /** Loopback by default, for both servers. */
  readonly host?: string;
  /** Port 0 picks free ports (tests). */
  readonly webPort?: number;
  readonly sipPort?: number;
  readonly domain?: string;
  /** A users file path: digest authentication on (the phones then need passwords). */
  readonly usersFile?: string;
  /** Digest challenges, most preferred first (default SHA-256, MD5). */
  readonly digestAlgorithms?: readonly DigestAlgorithmChoice[];
  /** The only web page origins that may open the SIP WebSocket (default: loopback and HOST pages). */
  readonly allowedOrigins?: readonly string[];
  readonly logger?: Logger;
}

export interface DevEnvironment {
  readonly sip: DevSipServer;
  /** The demo page, e.g. `http://127.0.0.1:8000/demo/`. */
  readonly demoUrl: string;
  /** Two demo phones ready to call each other. */
  readonly phones: { readonly alice: string; readonly bob: string };
  /** The demo URL of a phone for any user of the dev domain. */
  phoneUrl(user: string, displayName?: string): string;
  stop(): Promise<void>;
}

/**
 * Query values keep `:` and `/` readable (both are allowed in a query, RFC 3986 §3.4), so the
 * printed URLs can be read and edited by hand.
 */
function queryValue(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%2F/gi, '/');
}

function capitalized(user: string): string {
  return user.charAt(0).toUpperCase() + user.slice(1);
}

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new Error(`${name} must be a port number, got ${JSON.stringify(value)}`);
  return parsed;
}

/** Options from the environment; throws a readable Error on a bad value. */
export function devEnvironmentOptionsFromEnv(env: NodeJS.ProcessEnv): DevEnvironmentOptions {
  const level = env.SIP_LOG;
  if (level !== undefined && !isLogLevel(level))
    throw new Error(`SIP_LOG must be debug, info, warn, error or silent, got ${JSON.stringify(level)}`);
  return {
    host: env.HOST || DEFAULT_SIP_HOST,
    webPort: port(env.PORT, DEFAULT_WEB_PORT, 'PORT'),
    sipPort: port(env.SIP_PORT, DEFAULT_SIP_PORT, 'SIP_PORT'),
    domain: env.SIP_DOMAIN || DEFAULT_DOMAIN,
    ...(env.SIP_USERS_FILE ? { usersFile: env.SIP_USERS_FILE } : {}),
    ...(env.SIP_DIGEST_ALGORITHMS ? { digestAlgorithms: parseDigestAlgorithms(env.SIP_DIGEST_ALGORITHMS) } : {}),
    ...(env.SIP_ALLOWED_ORIGINS ? { allowedOrigins: parseAllowedOrigins(env.SIP_ALLOWED_ORIGINS) } : {}),
    logger: consoleLogger(level ?? 'info'),
  };
}

export async function startDevEnvironment(options: DevEnvironmentOptions = {}): Promise<DevEnvironment> {
  const host = options.host ?? DEFAULT_SIP_HOST;
  const sip = await startDevSipServer({
    host,
    port: options.sipPort ?? DEFAULT_SIP_PORT,
    domain: options.domain ?? DEFAULT_DOMAIN,
    ...(options.usersFile ? { users: options.usersFile } : {}),
    ...(options.digestAlgorithms ? { digestAlgorithms: options.digestAlgorithms } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  let web: Awaited<ReturnType<typeof startDemoServer>>;
  try {
    web = await startDemoServer({ port: options.webPort ?? DEFAULT_WEB_PORT, hostname: host });
  } catch (error) {
    await sip.stop();
    throw error;
  }
  // The demo reads these parameters (never a password: ARCHITECTURE.md); `register` registers on load.
  const phoneUrl = (user: string, displayName = capitalized(user)) =>
    `${web.url}?server=${queryValue(sip.url)}&user=${queryValue(user)}&domain=${queryValue(sip.domain)}` +
    `&display-name=${queryValue(displayName)}&register`;
  return {
    sip,
    demoUrl: web.url,
    phones: { alice: phoneUrl('alice'), bob: phoneUrl('bob') },
    phoneUrl,
    async stop() {
      await Promise.allSettled([web.stop(), sip.stop()]);
    },
  };
}
