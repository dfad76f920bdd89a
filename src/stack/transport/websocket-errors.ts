/** Readable, typed errors for a SIP WebSocket that failed to open or closed under us (RFC 7118). */
import { TransportError } from '../core/errors';
import type { WebSocketCloseEventLike } from './websocket-like';

/** RFC 7118 §4.1: the WebSocket subprotocol a SIP client asks for and the server must select. */
export const SIP_SUBPROTOCOL = 'sip';

export const subprotocolRefused = `the server did not accept the WebSocket subprotocol "${SIP_SUBPROTOCOL}" (RFC 7118 §4.1)`;

/** A readable, typed error for a socket that closed without us asking. */
export function closeError(
  url: string,
  event: WebSocketCloseEventLike,
  opened: boolean,
  socketError: string | undefined,
): TransportError {
  const code = typeof event.code === 'number' ? event.code : 1006;
  if (opened) {
    const why = event.reason ? `: ${event.reason}` : code === 1006 ? ' (connection lost, no close frame)' : '';
    return new TransportError('connection-closed', `server closed with code ${code}${why}`);
  }
  // `ws` reports a missing or wrong subprotocol as an error; browsers only fail the connection.
  if (socketError && /subprotocol/i.test(socketError)) {
    return new TransportError('subprotocol-refused', `${subprotocolRefused}: ${socketError}`);
  }
  if (socketError && /ECONNREFUSED/.test(socketError)) {
    return new TransportError('connection-failed', `connection refused by ${url}`);
  }
  const detail = socketError ? `: ${socketError}` : '';
  return new TransportError('connection-failed', `could not connect to ${url}${detail} (code ${code})`);
}

export function errorEventMessage(event: unknown): string | undefined {
  const message = (event as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
