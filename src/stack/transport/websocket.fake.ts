/**
 * A scriptable stand-in for the WebSocket class, for unit tests of the WebSocket transport under
 * a fake clock. Nothing happens by itself: the test plays the server (accept, refuse, message,
 * serverClose, finishClose), so every event arrives exactly when the test says.
 */
import type {
  WebSocketCloseEventLike,
  WebSocketConstructor,
  WebSocketLike,
  WebSocketMessageEventLike,
} from './websocket-like';

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

export class FakeWebSocket implements WebSocketLike {
  readonly url: string;
  readonly protocols: readonly string[];
  protocol = '';
  readyState = CONNECTING;
  binaryType = 'blob';
  /** Frames the client sent, in order. */
  readonly sent: string[] = [];
  /** The client's close() calls. */
  readonly closeCalls: { code?: number; reason?: string }[] = [];
  /** Makes the next send() throw, as a broken socket would. */
  failSends = false;
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: WebSocketCloseEventLike) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: WebSocketMessageEventLike) => void) | null = null;

  constructor(url: string, protocols?: string | string[]) {
    this.url = url;
    this.protocols = protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : [...protocols];
  }

  send(data: string): void {
    if (this.readyState === CONNECTING) throw new Error('InvalidStateError: still connecting');
    if (this.failSends) throw new Error('socket is broken');
    // Browsers silently discard data sent on a closing or closed socket.
    if (this.readyState === OPEN) this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closeCalls.push({ code, reason });
    if (this.readyState < CLOSING) this.readyState = CLOSING;
  }

  // ---- the server's side, driven by the test ----

  /** Completes the opening handshake, selecting `protocol` ('' = no subprotocol). */
  accept(protocol = 'sip'): void {
    this.protocol = protocol;
    this.readyState = OPEN;
    this.onopen?.({ type: 'open' });
  }

  /** Fails the opening handshake: an error event (with `ws`'s message, if given), then close. */
  refuse(message?: string, code = 1006): void {
    this.readyState = CLOSED;
    this.onerror?.(message === undefined ? { type: 'error' } : { type: 'error', message });
    this.onclose?.({ code, reason: '', wasClean: false });
  }

  /** Delivers one frame from the server. */
  message(data: unknown): void {
    this.onmessage?.({ data });
  }

  /** The server (or the network) closes the connection. */
  serverClose(code = 1000, reason = ''): void {
    this.readyState = CLOSED;
    this.onclose?.({ code, reason, wasClean: code !== 1006 });
  }

  /** Completes a closing handshake the client started with close(). */
  finishClose(): void {
    const last = this.closeCalls.at(-1);
    this.readyState = CLOSED;
    this.onclose?.({ code: last?.code ?? 1005, reason: last?.reason ?? '', wasClean: true });
  }
}

/** Hands out a WebSocket class to inject and records every socket it made. */
export class FakeWebSocketServer {
  readonly sockets: FakeWebSocket[] = [];
  readonly WebSocket: WebSocketConstructor;

  constructor() {
    const sockets = this.sockets;
    this.WebSocket = class extends FakeWebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    };
  }

  /** The socket made last. */
  get last(): FakeWebSocket {
    const socket = this.sockets.at(-1);
    if (!socket) throw new Error('no WebSocket was opened');
    return socket;
  }
}
