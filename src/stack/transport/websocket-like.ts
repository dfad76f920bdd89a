/**
 * The part of the WebSocket API the transport uses, so the implementation can be injected: the
 * browser's `WebSocket`, or the `ws` package's class in Node tools and tests. Both satisfy it.
 */

// Event handler slots are typed bivariantly (method syntax), as the DOM's and ws's handlers take
// their own richer event types; the transport reads the few fields below and checks them.
type Handler<Event> = { handle(event: Event): void }['handle'];

export interface WebSocketCloseEventLike {
  readonly code: number;
  readonly reason: string;
  readonly wasClean?: boolean;
}

export interface WebSocketMessageEventLike {
  /** string for text frames; ArrayBuffer (binaryType 'arraybuffer') or a byte view for binary. */
  readonly data: unknown;
}

export interface WebSocketLike {
  /** The subprotocol the server selected; '' when none (RFC 6455 §4.1). */
  readonly protocol: string;
  readonly readyState: number;
  binaryType: string;
  onopen: Handler<unknown> | null;
  onclose: Handler<WebSocketCloseEventLike> | null;
  /** Browsers give no detail; `ws` gives an ErrorEvent with `message`. */
  onerror: Handler<unknown> | null;
  onmessage: Handler<WebSocketMessageEventLike> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** WebSocket readyState values (WHATWG WebSockets). */
export const WS_OPEN = 1;
