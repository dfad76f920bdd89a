import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { asCall, type CallHandle } from '../shared/call-handle';

/** What `<sip-video>` can show: a `<sip-call>` element (anything with a `call`) or a stack call. */
export type VideoSource = { call?: CallHandle } | CallHandle;

interface Host extends ReactiveControllerHost, HTMLElement {
  call: VideoSource | undefined;
  for: string;
}

/**
 * Which call a `<sip-video>` shows, kept current while it is in the page (STYLE habit 12): the
 * `call` property, or the current call of the `<sip-phone>` named by `for`. It listens to the
 * sip-call-* events that reach the document (they bubble and are composed) to follow the phone,
 * and to the call itself for its tracks.
 */
export class VideoBinding implements ReactiveController {
  readonly #host: Host;
  #call: CallHandle | undefined;
  #off: Array<() => void> = [];

  constructor(host: Host) {
    (this.#host = host).addController(this);
  }

  /** The call shown now. */
  get call(): CallHandle | undefined {
    return this.#call;
  }

  hostConnected(): void {
    this.#listening(true);
  }

  hostDisconnected(): void {
    this.#listening(false);
    this.#bind(undefined);
  }

  #listening(on: boolean): void {
    for (const type of ['sip-call-state', 'sip-call-ended'])
      document[on ? 'addEventListener' : 'removeEventListener'](type, this.#changed);
  }

  /** Works out the call to show (from willUpdate). */
  resolve(): void {
    this.#bind(this.#host.isConnected ? this.#source() : undefined);
  }

  #source(): CallHandle | undefined {
    const source = this.#host.call;
    // A page may set `call` to anything: what is neither a call nor has one shows no call.
    if (source) return asCall(source) ?? asCall((source as { call?: unknown }).call);
    if (!this.#host.for) return undefined;
    const root = this.#host.getRootNode() as Document | ShadowRoot;
    const phone = root.getElementById?.(this.#host.for) as { currentCall?: { call?: CallHandle } } | null;
    return phone?.currentCall?.call;
  }

  #bind(call: CallHandle | undefined): void {
    if (call === this.#call) return;
    for (const off of this.#off.splice(0)) off();
    this.#call = call;
    if (!call) return;
    this.#off.push(call.events.on('remote-track', this.#changed), call.events.on('state', this.#changed));
  }

  #changed = (): void => this.#host.requestUpdate();
}
