/**
 * Which web pages may open the SIP WebSocket. A browser lets any page open a WebSocket to any
 * server and says which page did in `Origin` (RFC 6455 §4.1, §10.2); without this check, a page on
 * any site the developer visits could register as any open-mode user, or drive a logged-in phone's
 * account from the developer's machine. Clients that are not browsers send no Origin and are let in:
 * they can write any Origin anyway, so the check protects the browser's user, not the server.
 */

/** RFC 6454 §6.1: scheme://host[:port], lower case, the default port left out (as URL.origin writes it). */
function serializedOrigin(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** A URL hostname without IPv6 brackets or a trailing dot, lower case. */
const bareHost = (host: string) =>
  host
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

export interface OriginPolicy {
  /** Exact origins allowed (`https://phone.example.com`); when given, the only ones. */
  readonly allowed?: readonly string[];
  /** The host the server is reached at: pages served from it (any port) are its own. */
  readonly serverHost: string;
}

/**
 * Whether a handshake's Origin header may open a SIP connection: none (not a browser), an origin
 * in `allowed` when that list is given, else a loopback page or one on the server's own host.
 * `null` (sandboxed frames, file: pages) and anything unparsable are refused.
 */
export function originAllowed(origin: string | undefined, policy: OriginPolicy): boolean {
  if (origin === undefined) return true;
  const serialized = serializedOrigin(origin);
  if (serialized === undefined) return false;
  if (policy.allowed) return policy.allowed.some((entry) => serializedOrigin(entry) === serialized);
  const host = bareHost(new URL(serialized).hostname);
  return isLoopback(host) || host === bareHost(policy.serverHost);
}

/** Reads `SIP_ALLOWED_ORIGINS` / `--origins`: origins separated by commas or spaces. @throws Error on a bad one. */
export function parseAllowedOrigins(text: string): string[] {
  const origins = text.split(/[\s,]+/).filter((entry) => entry !== '');
  for (const origin of origins) {
    if (serializedOrigin(origin) !== origin.replace(/\/$/, ''))
      throw new Error(`not an http(s) origin (scheme://host[:port]): ${JSON.stringify(origin)}`);
  }
  return origins;
}
