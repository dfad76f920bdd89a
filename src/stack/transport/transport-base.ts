/**
 * What every single-connection Transport shares: its listeners, its state and the legal moves
 * between states (transport-state.ts). The WebSocket transport and the test doubles extend it,
 * so each says only how it connects and sends. A single connection is flow 1 (RFC 5626 §4.2:
 * `FlowSet` numbers several).
 */
import { Emitter } from '../core/emitter';
import type {
  FlowChangeListener,
  MessageListener,
  StateChangeListener,
  TransportState,
  TransportStateInfo,
} from './transport';
import { assertTransition } from './transport-state';

type Events = { message: [text: string, flow: number]; stateChange: [state: TransportState, info: TransportStateInfo] };

export abstract class TransportBase {
  readonly flowCount = 1;
  readonly #events: Emitter<Events>;
  #state: TransportState = 'disconnected';

  /** `onListenerError`: where a throwing listener is reported (default: rethrown after all ran). */
  protected constructor(onListenerError?: (error: unknown, event: string) => void) {
    this.#events = new Emitter<Events>(onListenerError && ((error, event) => onListenerError(error, String(event))));
  }

  get state(): TransportState {
    return this.#state;
  }

  get liveFlow(): number | undefined {
    return this.#state === 'connected' ? 1 : undefined;
  }

  flowState(): TransportState {
    return this.#state;
  }

  onMessage(listener: MessageListener): () => void {
    return this.#events.on('message', listener);
  }

  onStateChange(listener: StateChangeListener): () => void {
    return this.#events.on('stateChange', listener);
  }

  onFlowChange(listener: FlowChangeListener): () => void {
    return this.#events.on('stateChange', (state, info) => listener(1, state, info));
  }

  /** Passes one received SIP message up. */
  protected deliver(text: string): void {
    this.#events.emit('message', text, 1);
  }

  /** Moves to `state` (throwing on an illegal move: a bug) and tells the listeners. */
  protected transition(state: TransportState, info: Omit<TransportStateInfo, 'previous'>): void {
    const previous = this.#state;
    assertTransition(previous, state);
    this.#state = state;
    this.#events.emit('stateChange', state, { previous, ...info });
  }

  /** Resolves at the next move to `disconnected`. */
  protected whenDisconnected(): Promise<void> {
    return new Promise((resolve) => {
      const off = this.onStateChange((state) => {
        if (state !== 'disconnected') return;
        off();
        resolve();
      });
    });
  }
}
