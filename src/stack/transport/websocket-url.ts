/**
 * RFC 7118 §3 / RFC 6455 §3: a SIP WebSocket server is reached at a ws:// or wss:// URI. Checked
 * up front so a typo (http://, a missing scheme) fails with a clear message rather than a
 * reconnect loop.
 */
import { TransportError } from '../core/errors';

// Scheme, host (a name or an IPv4 address, or an IPv6 reference in brackets), optional port, rest.
// No userinfo: credentials in a URL end up in logs, status text and browser history.
const WEBSOCKET_URL = /^(wss?):\/\/(?:\[[0-9a-f:.]+\]|[^\s/?#@:[\]]+)(?::(\d{1,5}))?(?:[/?#]\S*)?$/i;
const USERINFO = /^[a-z][\w+.-]*:\/\/[^/?#]*@/i;

/** 'ws' or 'wss' for a well-formed WebSocket URL, undefined otherwise. */
export function parseWebSocketUrl(url: string): 'ws' | 'wss' | undefined {
  const match = WEBSOCKET_URL.exec(url);
  if (!match) return undefined;
  const port = match[2] === undefined ? 1 : Number(match[2]);
  return port >= 1 && port <= 65535 ? (match[1]!.toLowerCase() as 'ws' | 'wss') : undefined;
}

export function invalidUrlError(url: string): TransportError {
  // Never repeated back when it holds credentials: the message goes to logs and the page.
  if (USERINFO.test(url)) {
    return new TransportError(
      'invalid-url',
      'the SIP server URL must be a ws:// or wss:// URL without user:password@ (RFC 7118); the password is set separately',
    );
  }
  return new TransportError(
    'invalid-url',
    `the SIP server URL must be a ws:// or wss:// URL with a port from 1 to 65535 if any (RFC 7118), got ${JSON.stringify(url)}`,
  );
}
