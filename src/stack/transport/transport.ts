/**
 * The Transport seam (STYLE.md habit 2): all the transaction and UA layers know of the network.
 * They send whole SIP messages as text, receive whole messages as text, and watch the connection
 * state. The WebSocket transport (RFC 7118) is the default; an in-memory pair serves unit tests.
 */
import type { TransportError } from '../core/errors';

/**
 * `disconnected` → `connecting` → `connected` → `closing` → `disconnected`. A failed attempt or a
 * lost connection goes straight back to `disconnected` (with `reconnectInMs` when a reconnect is
 * scheduled).
 */
export type TransportState = 'disconnected' | 'connecting' | 'connected' | 'closing';

/** The Via transport token of the flow (RFC 7118 §5.2.1): `SIP/2.0/WS` or `SIP/2.0/WSS`. */
export type TransportProtocol = 'WS' | 'WSS';

/** What a state change says about why it happened. */
export interface TransportStateInfo {
  /** The state before this change. */
  readonly previous: TransportState;
  /** Readable cause, e.g. "connection refused", "keep-alive pong missing". */
  readonly reason: string;
  /** On a failure: the typed error (also used to reject a pending connect()). */
  readonly error?: TransportError;
  /** On `connected`: the new flow's id (same as `transport.flowId`). */
  readonly flowId?: string;
  /** On `disconnected`: when the transport will try again; absent when it will not. */
  readonly reconnectInMs?: number;
  /** On `connecting`, and on `disconnected` with a reconnect scheduled: the attempt number since the last stable connection (1 = first). */
  readonly attempt?: number;
}

export type MessageListener = (text: string) => void;
export type StateChangeListener = (state: TransportState, info: TransportStateInfo) => void;

export interface Transport {
  /** Via transport token for requests sent on this transport. */
  readonly protocol: TransportProtocol;
  /**
   * Whether the transport itself guarantees delivery: true for WebSocket (over TCP). RFC 3261
   * §17.1.1.2 / §17.1.2.2: on a reliable transport Timer A and Timer E are not started and
   * Timers D, I, J, K are zero.
   */
  readonly reliable: boolean;
  /**
   * Host for the Via sent-by and the Contact URI: a random `*.invalid` name (RFC 7118 App. B.1),
   * since a browser knows neither its address nor its port. Stable for the transport's life.
   */
  readonly viaHost: string;
  readonly state: TransportState;
  /**
   * The current connection's id, new on every (re)connection, undefined when not connected. A
   * new flow means the registrar's binding points at a dead connection: the UA re-registers
   * (RFC 5626 §4.2.1).
   */
  readonly flowId: string | undefined;

  /**
   * Starts connecting (and keeps the connection up, reconnecting when it drops, until
   * disconnect()). Resolves once connected; rejects with the TransportError of the first failed
   * attempt, or when disconnect() is called first. Background reconnects go on after a rejection.
   */
  connect(): Promise<void>;
  /** Closes the connection and stops reconnecting; resolves once `disconnected`. */
  disconnect(reason?: string): Promise<void>;
  /**
   * Drops the current connection if any and connects at once, skipping the backoff wait. For the
   * page's online event or a user's "retry now".
   */
  reconnectNow(reason?: string): void;
  /**
   * The host's network changed (the page's online event, an interface switch): a connected flow
   * is probed with a keep-alive ping at once, and a transport waiting to reconnect tries now.
   */
  networkChanged(): void;
  /**
   * RFC 5626 §4.4.1: the registrar's Flow-Timer header (seconds) sets the keep-alive interval;
   * the UA passes it on after a successful REGISTER.
   */
  setFlowTimer(seconds: number): void;
  /**
   * Sends one whole SIP message as one frame (RFC 7118 §4.2). Throws a TransportError when not
   * connected or when the socket rejects it (the transaction layer maps that to 503).
   */
  send(text: string): void;
  /** Every received SIP message, one per call, as text; keep-alive CRLFs are never passed up. */
  onMessage(listener: MessageListener): () => void;
  onStateChange(listener: StateChangeListener): () => void;
}
