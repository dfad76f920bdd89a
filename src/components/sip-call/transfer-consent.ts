import type { ReferRequest } from '../../stack/ua/calls/call-types';
import { deviceChoice } from '../shared/call-handle';
import { emit, emitError } from '../shared/events';

/**
 * Who decides when the peer asks a call to call someone else (a REFER, RFC 3515): `ask` the user
 * in the `<sip-call>` (the default), `accept` every transfer, or `decline` them all.
 */
export type TransferPolicy = 'ask' | 'accept' | 'decline';

/** Any other value (a typo in the attribute) asks: the safe reading. */
export const transferPolicyOf = (value: unknown): TransferPolicy =>
  value === 'accept' || value === 'decline' ? value : 'ask';

interface Host extends HTMLElement {
  transferPolicy: TransferPolicy;
  /** The microphone for the call a transfer makes. */
  microphone: string;
  requestUpdate(): void;
}

/**
 * A REFER on a `<sip-call>`'s call, decided by RFC 3515 §2.4.2's "interactive query or configured
 * policy": first the page, through the cancelable `sip-transfer-request` event (preventDefault()
 * declines; `detail.accept()` and `detail.decline()` decide, during the event or later), then the
 * element's `transfer-policy`. `ask` defers the REFER in the stack (which declines it after its
 * timeout or when the call ends) and shows the question in the element until it is decided. The
 * call a transfer makes is audio only (the stack's rule): the user can turn the camera on in it.
 */
export class TransferConsent {
  readonly #host: Host;
  /** The transfer waiting for the user's answer, shown by the element. */
  pending: { target: string; accept(): void; decline(): void } | undefined;

  constructor(host: Host) {
    this.#host = host;
  }

  receive(request: ReferRequest): void {
    const host = this.#host;
    let decided = false;
    const accept = (): void => {
      decided = true;
      try {
        request.accept({ audio: deviceChoice(host.microphone) });
      } catch (error) {
        emitError(host, error, 'Transfer');
      }
    };
    const decline = (): void => {
      decided = true;
      request.reject();
    };
    const { target, referredBy } = request;
    if (!emit(host, 'sip-transfer-request', { target, referredBy, accept, decline }, true)) decline();
    if (decided) return;
    const policy = transferPolicyOf(host.transferPolicy);
    if (policy !== 'ask') return policy === 'accept' ? accept() : decline();
    request.defer();
    const pending = (this.pending = { target, accept, decline });
    host.requestUpdate();
    void request.outcome.then(() => {
      if (this.pending !== pending) return;
      this.pending = undefined;
      host.requestUpdate();
    });
  }

  /** The element shows another call (or none): a question about the old one is no longer shown. */
  clear(): void {
    this.pending = undefined;
  }
}
