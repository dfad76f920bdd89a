import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallHandle } from '../shared/call-handle';
import { emit, type CallState } from '../shared/events';

interface Host extends ReactiveControllerHost, HTMLElement {
  state: CallState;
}

/**
 * Binds a `<sip-call>` to its stack call while the element is in the page (STYLE habit 12): the
 * call's events become sip-* DOM events, a connected call is timed, and removing the element (not
 * merely moving it) hangs the call up, which releases its microphone and camera.
 */
export class CallController implements ReactiveController {
  #call: CallHandle | undefined;
  #off: Array<() => void> = [];
  #ticker: ReturnType<typeof setInterval> | undefined;
  /** When the call was first connected (ms since epoch), for the duration. */
  connectedAt: number | undefined;
  /** Refreshed every second while connected. */
  now = Date.now();
  /** How the call ended, once it has. */
  ended: { cause: string; status: number | undefined; reason: string | undefined } | undefined;

  constructor(private readonly host: Host) {
    host.addController(this);
  }

  get call(): CallHandle | undefined {
    return this.#call;
  }

  /** Follows `call` from now on (the element's `call` property changed). */
  bind(call: CallHandle | undefined): void {
    if (call === this.#call) return;
    this.#unsubscribe();
    this.#call = call;
    this.connectedAt = undefined;
    this.ended = undefined;
    if (call && this.host.isConnected) this.#subscribe(call);
  }

  hostConnected(): void {
    if (this.#call && this.#off.length === 0) this.#subscribe(this.#call);
  }

  hostDisconnected(): void {
    this.#unsubscribe();
    const call = this.#call;
    // Removed and inserted again in the same task (a move): the call goes on.
    queueMicrotask(() => {
      if (this.host.isConnected || !call || call !== this.#call || call.state === 'ended') return;
      call.hangup().catch(() => undefined);
    });
  }

  #subscribe(call: CallHandle): void {
    const host = this.host;
    this.#entered(call.state);
    emit(host, 'sip-call-state', { state: call.state, previous: undefined });
    this.#off.push(
      call.events.on('state', (state, previous) => {
        this.#entered(state);
        emit(host, 'sip-call-state', { state, previous });
      }),
      call.events.on('ended', ({ cause, status, reason }) => {
        this.ended = { cause, status, reason };
        host.requestUpdate();
        emit(host, 'sip-call-ended', { cause, status, reason });
      }),
      call.events.on('dtmf', ({ digit, via }) => emit(host, 'sip-dtmf', { digit, via })),
      call.events.on('remote-track', () => host.requestUpdate()),
      call.events.on('remote-hold', () => host.requestUpdate()),
      call.events.on('transfer-progress', ({ status, reason }) => emit(host, 'sip-transfer-progress', { status, reason })),
      // The stack wants the decision during the event: the page has it through a cancelable event.
      call.events.on('refer', (request) => {
        const allowed = emit(host, 'sip-transfer-request', { target: request.target, referredBy: request.referredBy }, { cancelable: true });
        if (allowed) request.accept();
        else request.reject();
      }),
      call.events.on('error', (error) => emit(host, 'sip-error', { error })),
    );
  }

  #entered(state: CallState): void {
    this.host.state = state;
    if ((state === 'connected' || state === 'held') && this.connectedAt === undefined) this.connectedAt = this.now = Date.now();
    if ((state === 'connected' || state === 'held') && !this.#ticker) {
      this.#ticker = setInterval(() => {
        this.now = Date.now();
        this.host.requestUpdate();
      }, 1000);
    }
    if (state === 'ended') this.#stopTicker();
    this.host.requestUpdate();
  }

  #stopTicker(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  #unsubscribe(): void {
    for (const off of this.#off.splice(0)) off();
    this.#stopTicker();
  }
}
