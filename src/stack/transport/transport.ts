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
  /**
   * On `connecting`, and on `disconnected` with a reconnect scheduled: the attempt number since the last stable
   * connection (1 = first).
   */
  readonly attempt?: number;
}

/**
 * A received message and the flow it came on: 1 for a single connection; with several flows
 * (RFC 5626 §4.2, `FlowSet`) the flow's number, which is also its REGISTER's reg-id.
 */
export type MessageListener = (text: string, flow: number) => void;
export type StateChangeListener = (state: TransportState, info: TransportStateInfo) => void;
/** One flow's state change (every change of a single connection is flow 1's). */
export type FlowChangeListener = (flow: number, state: TransportState, info: TransportStateInfo) => void;

/**
 * What the user agent sends and receives through, and watches: the narrow half of the seam.
 * Everything below the user agent (transactions, registration, calls) sees only this.
 */
export interface MessageChannel {
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
   * since a browser knows neither its address nor its port. Stable for the transport's life, and
   * the same on every flow (one Contact, one instance, RFC 5626 §4.2).
   */
  readonly viaHost: string;
  /** `connected` while at least one flow is. */
  readonly state: TransportState;
  /**
   * The id of the connection new requests go out on, new on every (re)connection, undefined when
   * none is up. A new flow means the registrar's binding points at a dead connection: the UA
   * re-registers (RFC 5626 §4.2.1) and moves its dialogs to it.
   */
  readonly flowId: string | undefined;
  /** How many flows there are (1 for a single connection); flows are numbered 1..flowCount. */
  readonly flowCount: number;
  /** The flow a request without one goes out on: connected, else undefined. */
  readonly liveFlow: number | undefined;
  /** One flow's state. */
  flowState(flow: number): TransportState;
  /**
   * Sends one whole SIP message as one frame (RFC 7118 §4.2), on `flow` (a response goes back on
   * the flow its request came on, RFC 3261 §18.2.2; a REGISTER on the flow it registers), else on
   * a live flow. Throws a TransportError when that flow is not connected or its socket rejects it
   * (the transaction layer maps that to 503).
   */
  send(text: string, flow?: number): void;
  /** Every received SIP message, one per call, as text; keep-alive CRLFs are never passed up. */
  onMessage(listener: MessageListener): () => void;
  onStateChange(listener: StateChangeListener): () => void;
  onFlowChange(listener: FlowChangeListener): () => void;
}

/** Connection control: only the user agent's start, stop and network hooks use it. */
export interface ConnectionControl {
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
   * RFC 5626 §4.4.1: the registrar's Flow-Timer header (seconds) sets the keep-alive interval of
   * the flow it registered (default 1); the UA passes it on after a successful REGISTER.
   */
  setFlowTimer(seconds: number, flow?: number): void;
}

export interface Transport extends MessageChannel, ConnectionControl {}
