/**
 * The stack's typed errors: what an application may catch and handle (STYLE.md habit 5). Bugs stay
 * plain `Error`s. Malformed SIP is reported with `SipParseError`, which lives beside the parser in
 * src/stack/message.
 *
 * RFC 3261 §8.1.3.1: a transport failure is treated as a 503 (Service Unavailable) response and a
 * transaction timeout as a 408 (Request Timeout); `status` carries that mapping.
 */

/** Base class: `error instanceof SipStackError` catches every error the stack means to report. */
export class SipStackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SipStackError';
  }
}

/** Why a transport operation failed. */
export type TransportErrorCode =
  /** The server URL is not ws:// or wss:// (RFC 7118 §3). */
  | 'invalid-url'
  /** send() while the transport is not connected. */
  | 'not-connected'
  /** The WebSocket could not be opened (refused, unreachable, timed out, TLS, HTTP error). */
  | 'connection-failed'
  /** The server did not select the `sip` WebSocket subprotocol (RFC 7118 §4.1). */
  | 'subprotocol-refused'
  /** An open connection was closed by the server or the network. */
  | 'connection-closed'
  /** No CRLF pong came back for a keep-alive ping: the flow is dead (RFC 5626 §4.4.1). */
  | 'keep-alive-timeout'
  /** The underlying socket rejected the data. */
  | 'send-failed'
  /** The application called disconnect() before the connection was established. */
  | 'disconnected';

/** A transport failure; the transaction layer treats it as a 503 (RFC 3261 §8.1.3.1). */
export class TransportError extends SipStackError {
  readonly code: TransportErrorCode;
  readonly status = 503;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
    this.code = code;
  }
}

/** An operation that the object's current state does not allow (answer() on an ended call). */
export class StateError extends SipStackError {
  /** The state the object was in when the operation was refused. */
  readonly state: string;

  constructor(state: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateError';
    this.state = state;
  }
}

/** A timer ran out (RFC 3261 Timer B, F, H...); treated as a 408 (RFC 3261 §8.1.3.1). */
export class TimeoutError extends SipStackError {
  /** Which timer fired, e.g. 'B' or 'F' for RFC 3261 §17 timers. */
  readonly timer: string;
  readonly status = 408;

  constructor(timer: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TimeoutError';
    this.timer = timer;
  }
}
