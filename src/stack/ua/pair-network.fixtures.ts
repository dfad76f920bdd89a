// Test support for the two-UA fuzz test (user-agent.pair-fuzz.test.ts): the network between our
// user agents, every delivery chosen by the test. Each phone has one connection to a switchboard
// (a stateless relay plus a tiny registrar); a connection is two FIFO queues, up (phone to
// switchboard) and down (switchboard to phone). A reliable transport never reorders within one
// connection (RFC 7118 over TCP), so each queue keeps its order, but the test picks which queue
// moves next, so the two directions, and different phones, race as they do on a real network.
//
// Why not the in-memory transport pair: it delivers on the clock, so a test cannot hold one
// direction while the other moves, and a per-end delay can reorder one connection. Why not the dev
// server's proxy: its flows are WebSockets; a stateless relay routing by Request-URI and top Via
// (as threePhones() in calls/calls.fixtures.ts does) is all two correct ends need between them.
import type { Clock, TimerHandle } from '../core/clock';
import { TransportError } from '../core/errors';
import type { Random } from '../core/random';
import { isRequest, SipUri, type SipRequest } from '../message/message';
import { parseMessage } from '../message/parser';
import { responseTo } from '../transaction/requests';
import { randomInvalidHost } from '../transport/invalid-host';
import type { Transport } from '../transport/transport';
import { TransportBase } from '../transport/transport-base';

/** A message waiting in a queue, and when it was sent (a message late past 32 s is as good as lost). */
export interface Queued {
  readonly text: string;
  readonly at: number;
}

/** Why a message never arrived: its connection dropped while it was in flight. */
export type LossListener = (text: string) => void;

/**
 * One phone's end of its connection: the Transport seam, with the two queues the test drains.
 * A dropped connection loses both queues and comes back after the delay the test chose, on a new
 * flow (RFC 5626 §4.4: the UA registers again and refreshes its dialogs' targets).
 */
export class QueuedTransport extends TransportBase implements Transport {
  readonly protocol = 'WSS' as const;
  readonly reliable = true;
  readonly viaHost: string;
  readonly sent: string[] = [];
  readonly up: Queued[] = [];
  readonly down: Queued[] = [];
  readonly #clock: Clock;
  #flowId: string | undefined;
  #flows = 0;
  #wanted = false;
  #reconnect: TimerHandle | undefined;

  constructor(
    readonly name: string,
    clock: Clock,
    random: Random,
    readonly lost: LossListener,
    /** Takes what a phone sent before a graceful close: a closing socket still flushes it. */
    readonly flush: (from: QueuedTransport) => void,
  ) {
    super();
    this.#clock = clock;
    this.viaHost = randomInvalidHost(random);
  }

  get flowId(): string | undefined {
    return this.#flowId;
  }

  connect(): Promise<void> {
    this.#wanted = true;
    if (this.state === 'disconnected') this.#establish('connecting');
    return Promise.resolve();
  }

  /** A graceful close: what was sent still reaches the switchboard (TCP delivers it before FIN). */
  disconnect(reason = 'disconnected by the application'): Promise<void> {
    this.#wanted = false;
    this.#clock.clearTimeout(this.#reconnect);
    if (this.state !== 'connected') return Promise.resolve();
    this.flush(this);
    this.#lose(this.down);
    this.#flowId = undefined;
    this.transition('closing', { reason });
    this.transition('disconnected', { reason });
    return Promise.resolve();
  }

  reconnectNow(reason = 'reconnect requested'): void {
    this.#wanted = true;
    if (this.state === 'connected') this.#break(reason);
    this.#clock.clearTimeout(this.#reconnect);
    this.#establish(reason);
  }

  networkChanged(): void {
    if (!this.#wanted || this.state !== 'disconnected') return;
    this.#clock.clearTimeout(this.#reconnect);
    this.#establish('network changed');
  }

  setFlowTimer(): void {}

  send(text: string): void {
    if (this.state !== 'connected') {
      // Refused, as a closed socket would: the sender knows, but its peer never hears of it.
      this.lost(text);
      throw new TransportError('not-connected', `cannot send: the transport is ${this.state}`);
    }
    this.sent.push(text);
    this.up.push({ text, at: this.#clock.now() });
  }

  // ---- test controls ----

  /** Hands the oldest message the switchboard sent to the user agent. */
  deliverDown(): void {
    const next = this.down.shift();
    if (next && this.state === 'connected') this.deliver(next.text);
  }

  /** The connection breaks (both queues lost); the transport reconnects after `reconnectMs`. */
  drop(reconnectMs: number): void {
    if (this.state !== 'connected') return;
    this.#break('fuzz: connection dropped');
    this.#reconnect = this.#clock.setTimeout(() => this.#establish('reconnect'), reconnectMs);
  }

  #break(reason: string): void {
    this.#lose(this.up);
    this.#lose(this.down);
    this.#flowId = undefined;
    const error = new TransportError('connection-closed', reason);
    this.transition('disconnected', { reason, error });
  }

  #lose(queue: Queued[]): void {
    for (const { text } of queue.splice(0)) this.lost(text);
  }

  #establish(reason: string): void {
    if (this.state !== 'disconnected') return;
    this.transition('connecting', { reason, attempt: 1 });
    const flowId = (this.#flowId = `${this.name}-flow-${++this.#flows}`);
    this.transition('connected', { reason: 'connected (queued link)', flowId });
  }
}

/** A registrar's binding: the Contact and the flow it arrived on (RFC 5626 §6: requests go there). */
export interface Binding {
  readonly flowId: string | undefined;
  readonly expiresAt: number;
}

/**
 * The middle of the network: requests go to the phone whose Contact host the Request-URI names,
 * else to the phone of its user (known here whether registered or not, so calls work without
 * registration), responses to the phone of their top Via (§18.2.2). A request for a phone that is
 * not connected is answered 480, for a user nobody is 404 (§21.4.18, §21.4.5); ACK is never
 * answered. A response whose request came on a flow that has since dropped is lost, as with a
 * real proxy; having no Timer C (§16.8), this relay never CANCELs a call its caller gave up on. REGISTER is answered by
 * the registrar (§10.3) and kept as a binding per user.
 */
export class Switchboard {
  readonly phones: QueuedTransport[] = [];
  readonly bindings = new Map<string, Binding>();
  /** The flow each request came on, by top Via branch: its responses go back there (§16.7 step 9). */
  readonly #origins = new Map<string, string | undefined>();
  #tags = 0;

  constructor(
    readonly domain: string,
    readonly clock: Clock,
  ) {}

  add(phone: QueuedTransport): void {
    this.phones.push(phone);
  }

  /** Takes the oldest message a phone sent and passes it on (or answers it). */
  forward(from: QueuedTransport): void {
    const next = from.up.shift();
    if (!next) return;
    let message;
    try {
      message = parseMessage(next.text);
    } catch {
      return; // The fuzz test's own check reports what its user agents sent that does not parse.
    }
    if (!isRequest(message)) {
      const to = this.phones.find((phone) => phone.viaHost === message.via[0]?.host);
      // A proxy holds no route back once the request's flow is gone (RFC 5626 §5.3): lost.
      if (to?.state === 'connected' && this.#origins.get(message.via[0]?.branch ?? '') === to.flowId)
        to.down.push(next);
      else to?.lost(next.text);
      return;
    }
    if (message.method !== 'ACK') this.#origins.set(message.via[0]?.branch ?? '', from.flowId);
    if (message.method === 'REGISTER') return this.#register(from, message);
    const uri = message.uri;
    const to =
      uri instanceof SipUri
        ? (this.phones.find((phone) => phone.viaHost === uri.host) ??
          this.phones.find((phone) => phone.name === uri.user))
        : undefined;
    if (to?.state === 'connected') return void to.down.push(next);
    // The target is between connections: it never sees this request (nor an ACK) at all.
    to?.lost(next.text);
    if (message.method !== 'ACK') this.#answer(from, message, to ? 480 : 404);
  }

  #answer(
    to: QueuedTransport,
    request: SipRequest,
    status: number,
    headers: ReadonlyArray<readonly [string, string]> = [],
  ): void {
    const response = responseTo(request, status, undefined, `sb${++this.#tags}`);
    for (const [name, value] of headers) response.setHeader(name, value);
    if (to.state === 'connected') to.down.push({ text: response.toString(), at: this.clock.now() });
  }

  #register(from: QueuedTransport, request: SipRequest): void {
    const user = request.to.uri instanceof SipUri ? (request.to.uri.user ?? '') : '';
    const contact = request.header('Contact');
    const expires = Number(request.header('Expires') ?? 3600);
    if (!contact || expires === 0) {
      this.bindings.delete(user);
      return this.#answer(from, request, 200);
    }
    this.bindings.set(user, { flowId: from.flowId, expiresAt: this.clock.now() + expires * 1000 });
    this.#answer(from, request, 200, [['Contact', `${contact};expires=${expires}`]]);
  }
}
