/**
 * RFC 5626 §4.2 and §5: several flows, one user agent. Each flow is a connection of its own
 * (usually one WebSocket to each of several edge proxies) with its own keep-alive (§4.4.1) and
 * reconnect backoff; the user agent registers over each with the same `+sip.instance` and the
 * flow's number as `reg-id` (§4.2.1), so the registrar holds a binding per flow and can reach the
 * phone while any one of them is up (§5.2). This class presents the flows as one Transport:
 *
 * - a message received on flow n is passed up with n; a send names its flow (a response goes back
 *   on its request's flow, a REGISTER on the flow it registers) or takes the live flow;
 * - the live flow is the one new requests go out on: it stays while it is connected, and when it
 *   dies the lowest-numbered connected flow takes over (`flowId` then changes, and the user agent
 *   moves its dialogs to it as after a reconnect);
 * - the whole is `connected` while at least one flow is, and each flow's changes are told apart
 *   (onFlowChange) so that each flow's registration follows its own connection.
 */
import { Emitter } from '../core/emitter';
import { TransportError } from '../core/errors';
import type { Random } from '../core/random';
import { randomInvalidHost } from './invalid-host';
import type {
  FlowChangeListener,
  MessageListener,
  StateChangeListener,
  Transport,
  TransportProtocol,
  TransportState,
  TransportStateInfo,
} from './transport';

type Events = {
  message: [text: string, flow: number];
  stateChange: [state: TransportState, info: TransportStateInfo];
  flowChange: [flow: number, state: TransportState, info: TransportStateInfo];
};

/** The legal steps (transport-state.ts) from one whole state to another. */
function steps(from: TransportState, to: TransportState): TransportState[] {
  if (from === to) return [];
  if (to === 'disconnected') return ['disconnected'];
  if (to === 'closing') return from === 'disconnected' ? [] : ['closing'];
  const start: TransportState[] = from === 'connected' || from === 'closing' ? ['disconnected'] : [];
  if (from !== 'connecting') start.push('connecting');
  return to === 'connected' ? [...start, 'connected'] : start;
}

export class FlowSet implements Transport {
  readonly protocol: TransportProtocol;
  readonly reliable: boolean;
  /** One Contact and Via host for every flow: they are one instance (RFC 5626 §4.1). */
  readonly viaHost: string;
  readonly #flows: readonly Transport[];
  readonly #events = new Emitter<Events>();
  #state: TransportState = 'disconnected';
  /** The live flow's number, while it is connected. */
  #live: number | undefined;

  constructor(flows: readonly Transport[], random: Random) {
    const first = flows[0];
    if (!first) throw new RangeError('a FlowSet needs at least one flow');
    this.#flows = flows;
    this.protocol = first.protocol;
    this.reliable = flows.every((flow) => flow.reliable);
    this.viaHost = randomInvalidHost(random);
    flows.forEach((flow, index) => {
      flow.onMessage((text) => this.#events.emit('message', text, index + 1));
      flow.onStateChange((state, info) => this.#flowChanged(index + 1, state, info));
    });
  }

  get state(): TransportState {
    return this.#state;
  }

  get flowCount(): number {
    return this.#flows.length;
  }

  /** The number of the flow new requests go out on, undefined when none is connected. */
  get liveFlow(): number | undefined {
    return this.#live;
  }

  get flowId(): string | undefined {
    return this.#live === undefined ? undefined : this.#flow(this.#live)?.flowId;
  }

  flowState(flow: number): TransportState {
    return this.#flow(flow)?.state ?? 'disconnected';
  }

  onMessage(listener: MessageListener): () => void {
    return this.#events.on('message', listener);
  }

  onStateChange(listener: StateChangeListener): () => void {
    return this.#events.on('stateChange', listener);
  }

  onFlowChange(listener: FlowChangeListener): () => void {
    return this.#events.on('flowChange', listener);
  }

  send(text: string, flow = this.#live): void {
    const member = flow === undefined ? undefined : this.#flow(flow);
    if (!member) throw new TransportError('not-connected', 'cannot send: no flow is connected');
    member.send(text);
  }

  /** Connects every flow; resolves when the first is up, rejects when all failed. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      let failed = 0;
      for (const flow of this.#flows) {
        flow.connect().then(resolve, (error: unknown) => {
          if (++failed === this.#flows.length) reject(error);
        });
      }
    });
  }

  async disconnect(reason?: string): Promise<void> {
    await Promise.all(this.#flows.map((flow) => flow.disconnect(reason)));
  }

  reconnectNow(reason?: string): void {
    for (const flow of this.#flows) flow.reconnectNow(reason);
  }

  networkChanged(): void {
    for (const flow of this.#flows) flow.networkChanged();
  }

  setFlowTimer(seconds: number, flow = 1): void {
    this.#flow(flow)?.setFlowTimer(seconds);
  }

  #flow(flow: number): Transport | undefined {
    return this.#flows[flow - 1];
  }

  #flowChanged(flow: number, state: TransportState, info: TransportStateInfo): void {
    // The live flow stays while it is up (calls move only when they must); else the first up.
    if (this.#live === undefined || this.flowState(this.#live) !== 'connected') {
      const up = this.#flows.findIndex((member) => member.state === 'connected');
      this.#live = up < 0 ? undefined : up + 1;
    }
    this.#events.emit('flowChange', flow, state, info);
    const states = this.#flows.map((member) => member.state);
    const whole = (['connected', 'connecting', 'closing'] as const).find((s) => states.includes(s)) ?? 'disconnected';
    for (const next of steps(this.#state, whole)) {
      const previous = this.#state;
      this.#state = next;
      this.#events.emit('stateChange', next, {
        ...info,
        previous,
        flowId: next === 'connected' ? this.flowId : undefined,
      });
    }
  }
}
