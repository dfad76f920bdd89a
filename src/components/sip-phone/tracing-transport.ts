import type { MessageListener, StateChangeListener, Transport, TransportProtocol, TransportState } from '../../stack/transport/transport';

/**
 * A Transport that shows the trace panel every message it carries: it wraps the real transport
 * at the component layer, so the stack needs no trace hook. Everything else is passed through.
 */
export class TracingTransport implements Transport {
  readonly #inner: Transport;
  readonly #record: (direction: 'sent' | 'received', text: string) => void;
  readonly #offReceived: () => void;

  constructor(inner: Transport, record: (direction: 'sent' | 'received', text: string) => void) {
    this.#inner = inner;
    this.#record = record;
    this.#offReceived = inner.onMessage((text) => record('received', text));
  }

  get protocol(): TransportProtocol {
    return this.#inner.protocol;
  }
  get reliable(): boolean {
    return this.#inner.reliable;
  }
  get viaHost(): string {
    return this.#inner.viaHost;
  }
  get state(): TransportState {
    return this.#inner.state;
  }
  get flowId(): string | undefined {
    return this.#inner.flowId;
  }

  connect(): Promise<void> {
    return this.#inner.connect();
  }
  async disconnect(reason?: string): Promise<void> {
    await this.#inner.disconnect(reason);
    this.#offReceived();
  }
  reconnectNow(reason?: string): void {
    this.#inner.reconnectNow(reason);
  }
  networkChanged(): void {
    this.#inner.networkChanged();
  }
  setFlowTimer(seconds: number): void {
    this.#inner.setFlowTimer(seconds);
  }
  send(text: string): void {
    this.#inner.send(text);
    this.#record('sent', text);
  }
  onMessage(listener: MessageListener): () => void {
    return this.#inner.onMessage(listener);
  }
  onStateChange(listener: StateChangeListener): () => void {
    return this.#inner.onStateChange(listener);
  }
}
