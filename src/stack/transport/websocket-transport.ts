/**
 * SIP over WebSocket (RFC 7118), client side: one connection to one server URL, kept up with
 * exponential-backoff reconnects, watched with RFC 5626 CRLF keep-alives. The WebSocket class,
 * the clock, randomness and logging are injected, so the same code runs in browsers, in Node
 * (with the `ws` package) and under a fake clock in unit tests.
 */
import { realClock } from '../core/clock';
import type { Clock, TimerHandle } from '../core/clock';
import { TransportError } from '../core/errors';
import { noopLogger } from '../core/logger';
import type { Logger } from '../core/logger';
import { cryptoRandom } from '../core/random';
import type { Random } from '../core/random';
import { frameText } from './frame-text';
import { invalidUrlError, parseWebSocketUrl } from './websocket-url';
import { randomInvalidHost } from './invalid-host';
import { CRLF_PING, CRLF_PONG, DEFAULT_KEEP_ALIVE, KeepAlive } from './keep-alive';
import type { KeepAliveOptions } from './keep-alive';
import { Reconnector } from './reconnect-policy';
import type { ReconnectOptions } from './reconnect-policy';
import type { Transport, TransportProtocol, TransportState } from './transport';
import { TransportBase } from './transport-base';
import { closeError, describe, errorEventMessage, SIP_SUBPROTOCOL, subprotocolRefused } from './websocket-errors';
import { WS_OPEN } from './websocket-like';
import type { WebSocketCloseEventLike, WebSocketConstructor, WebSocketLike } from './websocket-like';

export { SIP_SUBPROTOCOL } from './websocket-errors';
export { DEFAULT_RECONNECT } from './reconnect-policy';
export type { ReconnectOptions } from './reconnect-policy';
export { DEFAULT_KEEP_ALIVE } from './keep-alive';

export interface WebSocketTransportOptions {
  /** ws:// or wss:// URL of the SIP WebSocket server. */
  readonly url: string;
  /** The WebSocket implementation: `globalThis.WebSocket` in browsers, `ws`'s class in Node. */
  readonly webSocket: WebSocketConstructor;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly logger?: Logger;
  /** Backoff for automatic reconnects; `false` never reconnects by itself. */
  readonly reconnect?: Partial<ReconnectOptions> | false;
  /** RFC 5626 CRLF keep-alive; `false` sends none. */
  readonly keepAlive?: Partial<KeepAliveOptions> | false;
  /** An opening handshake not done after this long counts as failed. */
  readonly connectTimeoutMs?: number;
  /** disconnect() stops waiting for the closing handshake after this long. */
  readonly closeTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_CLOSE_TIMEOUT_MS = 2_000;

interface Waiter {
  resolve(): void;
  reject(error: TransportError): void;
}

const ignore = (): void => {};

export class WebSocketTransport extends TransportBase implements Transport {
  readonly url: string;
  readonly protocol: TransportProtocol;
  /** RFC 7118 §5: WebSocket runs over TCP, a reliable transport in RFC 3261 §17 terms. */
  readonly reliable = true;
  readonly viaHost: string;

  readonly #WebSocket: WebSocketConstructor;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #logger: Logger;
  readonly #reconnect: Reconnector | undefined;
  readonly #keepAlive: KeepAlive | undefined;
  readonly #connectTimeoutMs: number;
  readonly #closeTimeoutMs: number;

  #flowId: string | undefined;
  #socket: WebSocketLike | undefined;
  /** The error event's message for the current socket (`ws` gives one; browsers do not). */
  #socketError: string | undefined;
  /** The application wants a connection: connect() was called, disconnect() was not since. */
  #wanted = false;
  /** Connection attempts since the last successful one (shown as "attempt n"). */
  #attempts = 0;
  #closingReason = '';
  readonly #waiters: Waiter[] = [];
  #connectTimer: TimerHandle | undefined;
  #closeTimer: TimerHandle | undefined;

  /** Throws a TransportError ('invalid-url') when the URL is not ws:// or wss://. */
  constructor(options: WebSocketTransportOptions) {
    const scheme = parseWebSocketUrl(options.url);
    if (!scheme) throw invalidUrlError(options.url);
    const logger = options.logger ?? noopLogger;
    super((error, event) => logger.error(`a transport ${event} listener threw`, error));
    this.url = options.url;
    this.protocol = scheme === 'wss' ? 'WSS' : 'WS';
    this.#WebSocket = options.webSocket;
    this.#clock = options.clock ?? realClock;
    this.#random = options.random ?? cryptoRandom;
    this.#logger = logger;
    this.viaHost = randomInvalidHost(this.#random);
    if (options.reconnect !== false)
      this.#reconnect = new Reconnector(options.reconnect ?? {}, this.#clock, this.#random);

    if (options.keepAlive !== false) {
      this.#keepAlive = new KeepAlive(
        { ...DEFAULT_KEEP_ALIVE, ...options.keepAlive },
        {
          clock: this.#clock,
          random: this.#random,
          sendPing: () => this.#sendFrame(CRLF_PING),
          onDead: (reason) => this.#abandon(new TransportError('keep-alive-timeout', reason)),
        },
      );
    }
    this.#connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  }

  get flowId(): string | undefined {
    return this.#flowId;
  }

  connect(): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    const connected = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#wanted = true;
    // 'connecting': the attempt under way settles the promise; 'closing': reopens once closed.
    if (this.state === 'disconnected') {
      this.#cancelReconnect();
      this.#open(`connecting to ${this.url}`);
    }
    return connected;
  }

  disconnect(reason = 'disconnected by the application'): Promise<void> {
    this.#wanted = false;
    const wasWaiting = this.#cancelReconnect();
    this.#settleWaiters(
      new TransportError('disconnected', `disconnected before the connection was established: ${reason}`),
    );
    switch (this.state) {
      case 'disconnected':
        // Tell listeners that the announced reconnect will not happen.
        if (wasWaiting) this.transition('disconnected', { reason });
        return Promise.resolve();
      case 'closing':
        return this.whenDisconnected();
      case 'connecting':
      case 'connected':
        return this.#close(reason);
    }
  }

  reconnectNow(reason = 'reconnect requested'): void {
    this.#wanted = true;
    this.#resetBackoff();
    this.#cancelReconnect();
    if (this.state === 'closing') return; // reopens once the closing handshake is done
    if (this.state !== 'disconnected') {
      this.#closeQuietly(this.#detach(), 'reconnecting');
      this.transition('disconnected', { reason });
    }
    // A listener may already have reconnected (or disconnected) during that state change.
    if (this.state === 'disconnected' && this.#wanted) this.#open(reason);
  }

  networkChanged(): void {
    if (!this.#wanted) return;
    if (this.state === 'connected') this.#keepAlive?.probe();
    else if (this.state === 'disconnected') this.reconnectNow('network changed');
  }

  setFlowTimer(seconds: number): void {
    if (!(seconds > 0)) throw new RangeError(`Flow-Timer must be > 0 seconds, got ${seconds}`);
    this.#keepAlive?.setInterval(seconds * 1000);
  }

  send(text: string): void {
    const socket = this.#socket;
    if (this.state !== 'connected' || !socket) {
      throw new TransportError('not-connected', `cannot send: the transport is ${this.state}`);
    }
    if (socket.readyState !== WS_OPEN) {
      // Closed under us, and the close event is not delivered yet.
      throw new TransportError('not-connected', 'cannot send: the WebSocket is closing');
    }
    this.#sendFrame(text);
  }

  #sendFrame(text: string): void {
    try {
      // RFC 7118 §4.2: one SIP message per WebSocket message, as a text frame.
      this.#socket!.send(text);
    } catch (error) {
      throw new TransportError('send-failed', `the WebSocket refused the data: ${describe(error)}`, { cause: error });
    }
  }

  #open(reason: string): void {
    this.#attempts++;
    this.transition('connecting', { reason, attempt: this.#attempts });
    // A stateChange listener may have called disconnect() already.
    if (this.state !== 'connecting' || this.#socket) return;
    let socket: WebSocketLike;
    try {
      socket = new this.#WebSocket(this.url, SIP_SUBPROTOCOL);
    } catch (error) {
      this.#failed(
        new TransportError('connection-failed', `could not open a WebSocket to ${this.url}: ${describe(error)}`, {
          cause: error,
        }),
      );
      return;
    }
    this.#socket = socket;
    // Binary frames as ArrayBuffer in browsers and in `ws` alike (RFC 7118 §4.2).
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => this.#opened(socket);
    socket.onmessage = (event) => this.#received(socket, event.data);
    socket.onerror = (event) => {
      if (socket === this.#socket) this.#socketError = errorEventMessage(event);
    };
    socket.onclose = (event) => this.#closed(socket, event);
    this.#connectTimer = this.#clock.setTimeout(() => {
      this.#abandon(
        new TransportError(
          'connection-failed',
          `connecting to ${this.url} timed out after ${this.#connectTimeoutMs} ms`,
        ),
      );
    }, this.#connectTimeoutMs);
  }

  #opened(socket: WebSocketLike): void {
    if (socket !== this.#socket || this.state !== 'connecting') return;
    this.#clock.clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
    // RFC 7118 §4.1: without the `sip` subprotocol the server has not agreed to speak SIP.
    if (socket.protocol !== SIP_SUBPROTOCOL) {
      const chose = socket.protocol ? `it chose "${socket.protocol}"` : 'it chose none';
      this.#abandon(new TransportError('subprotocol-refused', `${subprotocolRefused}: ${chose}`));
      return;
    }
    this.#flowId = this.#random.token(16);
    this.#attempts = 0;
    this.#keepAlive?.start();
    this.#reconnect?.connected();
    this.#logger.info(`SIP WebSocket connected to ${this.url}`);
    this.transition('connected', { reason: `connected to ${this.url}`, flowId: this.#flowId });
    this.#settleWaiters();
  }

  #received(socket: WebSocketLike, data: unknown): void {
    if (socket !== this.#socket) return;
    const text = frameText(data);
    if (text === undefined) {
      this.#logger.warn('dropped a WebSocket frame of unknown data type', data);
      return;
    }
    // RFC 5626 §4.4.1: a single CRLF is the pong to our ping; a double CRLF is a ping to answer.
    // Neither is a SIP message.
    if (text === CRLF_PONG) {
      this.#keepAlive?.pongReceived();
      return;
    }
    if (/^(?:\r\n){2,}$/.test(text)) {
      this.#answerPing(socket);
      return;
    }
    this.deliver(text);
  }

  #answerPing(socket: WebSocketLike): void {
    try {
      socket.send(CRLF_PONG);
    } catch (error) {
      this.#logger.warn('could not answer a keep-alive ping', error);
    }
  }

  #closed(socket: WebSocketLike, event: WebSocketCloseEventLike): void {
    if (socket !== this.#socket) return;
    const opened = this.state === 'connected';
    const socketError = this.#socketError;
    this.#detach();
    if (this.state === 'closing') {
      this.#finishClosing();
      return;
    }
    this.#failed(closeError(this.url, event, opened, socketError));
  }

  /** Drops the current socket without waiting for it (dead flow, timeout, refused subprotocol). */
  #abandon(error: TransportError): void {
    this.#closeQuietly(this.#detach(), error.code);
    this.#failed(error);
  }

  /** An attempt failed or an open flow was lost; the socket is already detached. */
  #failed(error: TransportError): void {
    this.#logger.warn(`SIP WebSocket: ${error.message}`);
    const waiters = this.#takeWaiters();
    if (this.#reconnect) {
      const attempt = this.#attempts + 1;
      const delay = this.#reconnect.schedule(() => this.#open(`reconnecting to ${this.url} (attempt ${attempt})`));
      this.transition('disconnected', { reason: error.message, error, reconnectInMs: delay, attempt });
    } else {
      this.#wanted = false;
      this.transition('disconnected', { reason: error.message, error });
    }
    for (const waiter of waiters) waiter.reject(error);
  }

  #close(reason: string): Promise<void> {
    const socket = this.#socket;
    if (!socket) {
      // disconnect() from a 'connecting' listener, before the socket exists.
      this.transition('disconnected', { reason });
      return Promise.resolve();
    }
    this.#closingReason = reason;
    this.#flowId = undefined;
    this.#keepAlive?.stop();
    this.#clock.clearTimeout(this.#connectTimer);
    this.#reconnect?.lost();
    const closed = this.whenDisconnected();
    this.transition('closing', { reason });
    this.#closeTimer = this.#clock.setTimeout(() => {
      // The closing handshake never finished (a dead network): stop waiting for it.
      this.#detach();
      this.#finishClosing();
    }, this.#closeTimeoutMs);
    try {
      socket.close(1000, 'disconnect');
    } catch (error) {
      this.#logger.warn('WebSocket close() threw', error);
      this.#detach();
      this.#finishClosing();
    }
    return closed;
  }

  #finishClosing(): void {
    if (this.state !== 'closing') return;
    this.transition('disconnected', { reason: this.#closingReason });
    // connect() or reconnectNow() was called while closing (read again: a listener of the change
    // above may have moved on already).
    if (this.#wanted && (this.state as TransportState) === 'disconnected') this.#open(`connecting to ${this.url}`);
  }

  /** Unhooks the current socket and stops everything tied to its flow; returns the socket. */
  #detach(): WebSocketLike | undefined {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#socketError = undefined;
    this.#flowId = undefined;
    this.#keepAlive?.stop();
    for (const timer of [this.#connectTimer, this.#closeTimer]) this.#clock.clearTimeout(timer);
    this.#connectTimer = this.#closeTimer = undefined;
    this.#reconnect?.lost();
    if (socket) {
      socket.onopen = null;
      socket.onmessage = null;
      socket.onclose = null;
      // Not null: `ws` emits 'error' when a connecting socket is closed, and an EventEmitter
      // 'error' without a listener would crash a Node process.
      socket.onerror = ignore;
    }
    return socket;
  }

  #closeQuietly(socket: WebSocketLike | undefined, reason: string): void {
    try {
      socket?.close(1000, reason);
    } catch (error) {
      this.#logger.debug('WebSocket close() threw', error);
    }
  }

  #cancelReconnect(): boolean {
    return this.#reconnect?.cancel() ?? false;
  }

  #resetBackoff(): void {
    this.#reconnect?.reset();
    this.#attempts = 0;
  }

  #takeWaiters(): Waiter[] {
    return this.#waiters.splice(0);
  }

  /** Resolves the pending connect() promises, or rejects them with `error`. */
  #settleWaiters(error?: TransportError): void {
    for (const waiter of this.#takeWaiters()) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }
}
