import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { mediaCapabilities, type CallsUnavailableError } from '../../media/capabilities';
import type { CallHandle } from '../shared/call-handle';
import { emit } from '../shared/events';

/** The id of the note that says why, which the disabled call buttons point at (aria-describedby). */
const NOTE_ID = 'calls-unavailable';

/**
 * Whether the phone can make calls on this page, and what it does when it cannot (a page that is
 * not secure, a browser without WebRTC): it says why once, in one `sip-error` on its first update
 * (when the page's listeners are in place) and in a note beside the disabled call buttons; it
 * refuses a call attempt with that reason; and it declines an incoming call with 488 Not Acceptable
 * Here at once rather than letting it ring for an answer that could only fail. Registration and
 * MESSAGE need only the WebSocket, so they go on as usual.
 */
export class CallAvailability implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #told = false;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    (this.#host = host).addController(this);
  }

  /** Why calls cannot work here, or undefined when they can. */
  get reason(): CallsUnavailableError | undefined {
    return mediaCapabilities().callsUnavailable;
  }

  hostUpdate(): void {
    const reason = this.reason;
    if (!reason || this.#told) return;
    this.#told = true;
    emit(this.#host, 'sip-error', { error: reason });
  }

  /** A call attempt: throws (and reports) the reason when calls cannot work here. */
  check(): void {
    const reason = this.reason;
    if (!reason) return;
    const error = reason.about('Cannot place the call');
    emit(this.#host, 'sip-error', { error });
    throw error;
  }

  /** An incoming call: declined with 488 (and reported) when calls cannot work here; true if so. */
  declined(call: CallHandle): boolean {
    const reason = this.reason;
    if (!reason) return false;
    call.decline?.(488);
    // The caller's address is remote text: it reaches the page only as the message's text.
    emit(this.#host, 'sip-error', {
      error: reason.about(`Declined the call from ${call.remote.uri} with 488 Not Acceptable Here`),
    });
    return true;
  }

  /** aria-describedby for the call buttons while they are disabled for want of calls. */
  get describedBy(): string | typeof nothing {
    return this.reason ? NOTE_ID : nothing;
  }

  /** The note beside the call buttons, when calls cannot work here, in the phone's language (`text`). */
  note(text: (reason: CallsUnavailableError) => string) {
    const reason = this.reason;
    return reason ? html`<p id=${NOTE_ID} part="calls-unavailable">${text(reason)}</p>` : nothing;
  }
}
