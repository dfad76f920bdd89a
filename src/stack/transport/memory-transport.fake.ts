/**
 * A TEST transport: two Transports wired back to back in memory, for unit tests of the
 * transaction and UA layers (STYLE.md habit 2; cf. pjsip's loop transport). It is not exported
 * from the package's main list. Besides the Transport seam, each end offers controls: drop
 * matching messages, delay delivery, fail the next send, read what was sent; the pair can cut
 * the link and restore it, which reconnects both ends on a new flow, as a real reconnect would.
 *
 * Delivery is always asynchronous, scheduled on the injected clock (0 ms unless delayed): with a
 * FakeClock, nothing arrives until the test advances it, and messages sent in one order arrive
 * in that order.
 */
import { realClock } from '../core/clock';
import type { Clock, TimerHandle } from '../core/clock';
import { TransportError } from '../core/errors';
import { cryptoRandom } from '../core/random';
import type { Random } from '../core/random';
import { randomInvalidHost } from './invalid-host';
import type { Transport, TransportProtocol } from './transport';
import { TransportBase } from './transport-base';

export interface MemoryTransportOptions {
  /** Schedules deliveries; pass a FakeClock in tests (default: the real clock). */
  readonly clock?: Clock;
  readonly random?: Random;
  /** What `protocol` reports (default 'WSS'). */
  readonly protocol?: TransportProtocol;
}

export interface MemoryTransportPair {
  readonly a: MemoryTransport;
  readonly b: MemoryTransport;
  /** Whether the link is up (not severed). */
  readonly linked: boolean;
  /**
   * The network fails: both ends go `disconnected` with a 'connection-closed' error, messages in
   * flight are lost, and connect() fails until restore().
   */
  sever(reason?: string): void;
  /** The network is back: if either end wants a connection, both reconnect on a new flow. */
  restore(): void;
}

/** Creates two connected-on-demand ends: `a.connect()` (or `b.connect()`) connects both. */
export function createMemoryTransportPair(options: MemoryTransportOptions = {}): MemoryTransportPair {
  return MemoryTransport.createPair(options);
}

interface Link {
  up: boolean;
  /** Bumped whenever the connection ends, so messages in flight on the old one are lost. */
  generation: number;
}

export class MemoryTransport extends TransportBase implements Transport {
  readonly protocol: TransportProtocol;
  readonly reliable = true;
  readonly viaHost: string;
  /** Every message this end's send() accepted, in order, delivered or dropped. */
  readonly sent: string[] = [];
  /** The messages a drop() rule swallowed. */
  readonly dropped: string[] = [];

  readonly #clock: Clock;
  readonly #random: Random;
  readonly #link: Link;
  #peer!: MemoryTransport;
  #flowId: string | undefined;
  #wanted = false;
  #delayMs = 0;
  #failNext: string | undefined;
  #flowTimerSeconds: number | undefined;
  readonly #dropRules = new Set<(text: string) => boolean>();
  readonly #inFlight = new Set<TimerHandle>();

  private constructor(options: MemoryTransportOptions, link: Link) {
    super();
    this.#clock = options.clock ?? realClock;
    this.#random = options.random ?? cryptoRandom;
    this.protocol = options.protocol ?? 'WSS';
    this.viaHost = randomInvalidHost(this.#random);
    this.#link = link;
  }

  static createPair(options: MemoryTransportOptions = {}): MemoryTransportPair {
    const link: Link = { up: true, generation: 0 };
    const a = new MemoryTransport(options, link);
    const b = new MemoryTransport(options, link);
    a.#peer = b;
    b.#peer = a;
    return {
      a,
      b,
      get linked() {
        return link.up;
      },
      sever(reason = 'connection lost') {
        link.up = false;
        a.#breakLink(new TransportError('connection-closed', reason), new TransportError('connection-closed', reason));
      },
      restore() {
        link.up = true;
        if ((a.#wanted || b.#wanted) && a.state === 'disconnected') a.#establish('network restored');
      },
    };
  }

  get flowId(): string | undefined {
    return this.#flowId;
  }

  /** The Flow-Timer the UA last passed to setFlowTimer(), in seconds. */
  get flowTimerSeconds(): number | undefined {
    return this.#flowTimerSeconds;
  }

  connect(): Promise<void> {
    this.#wanted = true;
    if (this.state === 'connected') return Promise.resolve();
    if (this.state !== 'disconnected') return Promise.reject(new Error(`connect() while ${this.state}`));
    if (!this.#link.up) return Promise.reject(this.#refuse('connecting'));
    this.#establish('connecting');
    return Promise.resolve();
  }

  disconnect(reason = 'disconnected by the application'): Promise<void> {
    this.#wanted = false;
    if (this.state !== 'connected') return Promise.resolve();
    this.#link.generation++;
    this.#cancelInFlight();
    this.#peer.#cancelInFlight();
    this.#flowId = this.#peer.#flowId = undefined;
    this.transition('closing', { reason });
    this.transition('disconnected', { reason });
    const error = new TransportError('connection-closed', 'the other end closed the connection');
    this.#peer.transition('disconnected', { reason: error.message, error });
    return Promise.resolve();
  }

  reconnectNow(reason = 'reconnect requested'): void {
    this.#wanted = true;
    if (!this.#link.up) {
      if (this.state === 'disconnected') this.#refuse(reason);
      return;
    }
    if (this.state === 'connected') this.#breakLink(undefined, undefined, reason);
    if (this.state === 'disconnected') this.#establish(reason);
  }

  networkChanged(): void {
    if (this.#wanted && this.state === 'disconnected') this.reconnectNow('network changed');
  }

  setFlowTimer(seconds: number): void {
    this.#flowTimerSeconds = seconds;
  }

  send(text: string): void {
    if (this.state !== 'connected') {
      throw new TransportError('not-connected', `cannot send: the transport is ${this.state}`);
    }
    if (this.#failNext !== undefined) {
      const message = this.#failNext;
      this.#failNext = undefined;
      throw new TransportError('send-failed', message);
    }
    this.sent.push(text);
    for (const rule of this.#dropRules) {
      if (!rule(text)) continue;
      this.dropped.push(text);
      return;
    }
    const generation = this.#link.generation;
    const peer = this.#peer;
    const handle = this.#clock.setTimeout(() => {
      this.#inFlight.delete(handle);
      if (this.#link.generation === generation && peer.state === 'connected') peer.deliver(text);
    }, this.#delayMs);
    this.#inFlight.add(handle);
  }

  // ---- test controls ----

  /** Silently loses every message this end sends that matches; returns the rule's remover. */
  drop(predicate: (text: string) => boolean): () => void {
    this.#dropRules.add(predicate);
    return () => this.#dropRules.delete(predicate);
  }

  /** Delivers this end's later messages `ms` after they are sent (on the injected clock). */
  delay(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`delay must be ≥ 0, got ${ms}`);
    this.#delayMs = ms;
  }

  /** Makes this end's next send() throw a TransportError ('send-failed'). */
  failNextSend(message = 'simulated send failure'): void {
    this.#failNext = message;
  }

  // ---- the link, driven from either end ----

  /** Both ends: disconnected → connecting → connected, on one new flow id. */
  #establish(reason: string): void {
    const flowId = this.#random.token(16);
    for (const end of [this as MemoryTransport, this.#peer]) end.transition('connecting', { reason, attempt: 1 });
    for (const end of [this as MemoryTransport, this.#peer]) {
      end.#flowId = flowId;
      end.transition('connected', { reason: 'connected (memory link)', flowId });
    }
  }

  /** Both ends lose the connection (severed link, or a reconnect of this end). */
  #breakLink(mine: TransportError | undefined, theirs: TransportError | undefined, reason?: string): void {
    this.#link.generation++;
    this.#cancelInFlight();
    this.#peer.#cancelInFlight();
    for (const [end, error] of [
      [this as MemoryTransport, mine],
      [this.#peer, theirs],
    ] as const) {
      if (end.state === 'disconnected') continue;
      end.#flowId = undefined;
      end.transition('disconnected', {
        reason: error?.message ?? reason ?? 'connection dropped',
        ...(error && { error }),
      });
    }
  }

  #refuse(reason: string): TransportError {
    const error = new TransportError('connection-failed', 'connection refused (memory link severed)');
    this.transition('connecting', { reason, attempt: 1 });
    this.transition('disconnected', { reason: error.message, error });
    return error;
  }

  #cancelInFlight(): void {
    for (const handle of this.#inFlight) this.#clock.clearTimeout(handle);
    this.#inFlight.clear();
  }
}
