/**
 * RFC 7118 §3 / RFC 6455 §3: a SIP WebSocket server is reached at a ws:// or wss:// URI. Checked
 * up front so a typo (http://, a missing scheme) fails with a clear message rather than a
 * reconnect loop.
 */
import { TransportError } from '../core/errors';

const WEBSOCKET_URL = /^(wss?):\/\/[^\s/?#]+(?:[/?#]\S*)?$/i;

/** 'ws' or 'wss' for a well-formed WebSocket URL, undefined otherwise. */
export function parseWebSocketUrl(url: string): 'ws' | 'wss' | undefined {
  const match = WEBSOCKET_URL.exec(url);
  return match ? (match[1]!.toLowerCase() as 'ws' | 'wss') : undefined;
}

export function invalidUrlError(url: string): TransportError {
  return new TransportError(
    'invalid-url',
    `the SIP server URL must be a ws:// or wss:// URL (RFC 7118), got ${JSON.stringify(url)}`,
  );
}
