import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallHandle } from '../shared/call-handle';
import { emit, type CallState, type SipEventDetails } from '../shared/events';
import { TransferConsent, type TransferPolicy } from './transfer-consent';
import type { SipCall } from './sip-call.component';

interface Host extends ReactiveControllerHost, HTMLElement {
  state: CallState;
  transferPolicy: TransferPolicy;
  microphone: string;
  requestUpdate(): void;
}

/** Connected or held: the call has media and a duration. */
export const isLive = (state: CallState): boolean => state === 'connected' || state === 'held';

/**
 * Binds a `<sip-call>` to its stack call while the element is in the page (STYLE habit 12): the
 * call's events become sip-* DOM events, a connected call is timed, and removing the element (not
 * merely moving it) hangs the call up, which releases its microphone and camera.
 */
export class CallController implements ReactiveController {
  readonly #host: Host;
  #call: CallHandle | undefined;
  #off: Array<() => void> = [];
  #ticker: ReturnType<typeof setInterval> | undefined;
  /** When the call was first connected (ms since epoch), for the duration. */
  connectedAt: number | undefined;
  /** Refreshed every second while connected. */
  now = Date.now();
  /** How the call ended, once it has. */
  ended: SipEventDetails['sip-call-ended'] | undefined;
  /** The peer's transfer requests (REFER) and the one waiting for the user. */
  readonly consent: TransferConsent;

  constructor(host: Host) {
    (this.#host = host).addController(this);
    this.consent = new TransferConsent(host);
  }

  /** Follows `call` from now on (the element's `call` property changed). */
  bind(call: CallHandle | undefined): void {
    if (call === this.#call) return;
    this.#unsubscribe();
    this.#call = call;
    this.connectedAt = this.ended = undefined;
    this.consent.clear();
    if (this.#host.isConnected) this.hostConnected();
  }

  hostConnected(): void {
    const call = this.#call;
    if (call && !this.#off.length) this.#subscribe(call);
  }

  hostDisconnected(): void {
    this.#unsubscribe();
    const call = this.#call;
    // Removed and inserted again in the same task (a move): the call goes on.
    queueMicrotask(() => {
      if (!this.#host.isConnected && call && call === this.#call && call.state !== 'ended')
        call.hangup().catch(() => undefined);
    });
  }

  #subscribe(call: CallHandle): void {
    const host = this.#host;
    const update = (): void => host.requestUpdate();
    const entered = (state: CallState, previous?: CallState): void => {
      host.state = state;
      if (isLive(state)) {
        this.connectedAt ??= this.now = Date.now();
        this.#ticker ??= setInterval(() => {
          this.now = Date.now();
          update();
        }, 1000);
      }
      if (state === 'ended') this.#stopTicker();
      update();
      emit(host, 'sip-call-state', { state, previous });
    };
    entered(call.state);
    this.#off = [
      call.events.on('state', entered),
      call.events.on('ended', ({ cause, status, reason }) => {
        this.ended = { cause, status, reason };
        update();
        emit(host, 'sip-call-ended', this.ended);
      }),
      call.events.on('dtmf', ({ digit, via }) => emit(host, 'sip-dtmf', { digit, via })),
      call.events.on('remote-track', update),
      call.events.on('remote-hold', update),
      call.events.on('remote-identity', ({ uri, displayName }) => {
        update();
        emit(host, 'sip-remote-identity', { uri, displayName });
      }),
      call.events.on('transfer-progress', ({ status, reason }) =>
        emit(host, 'sip-transfer-progress', { status, reason }),
      ),
      call.events.on('refer', (request) => this.consent.receive(request)),
      call.events.on('error', (error) => emit(host, 'sip-error', { error })),
      // Bubbles and is composed: the phone around the call hears it too, `call` saying which.
      call.events.on('message', ({ body, contentType }) =>
        emit(host, 'sip-message', {
          from: call.remote.uri,
          displayName: call.remote.displayName ?? '',
          contentType,
          body,
          call: host as unknown as SipCall,
        }),
      ),
    ];
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
