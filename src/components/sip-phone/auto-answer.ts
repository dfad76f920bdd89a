import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { UserAgent } from '../../stack/ua/user-agent';
import type { CallHandle } from '../shared/call-handle';
import { emitError, type SipEventDetails } from '../shared/events';
import type { SipCall } from '../sip-call/sip-call.component';

interface Host extends ReactiveControllerHost, HTMLElement {
  readonly userAgent: UserAgent | undefined;
  autoAnswer: boolean;
}

/**
 * The phone's `auto-answer` (intercom, paging): off by default, because a call answered without
 * the user opens the microphone to whoever can reach the phone (SECURITY.md). When on, a call that
 * asks for it (Answer-Mode: Auto, Call-Info answer-after, Alert-Info alert-autoanswer; the stack
 * reads them and says whether its policy allows: no other call up, a delay of at most 30 s) is
 * answered by its `<sip-call>` after the delay it asks, with the phone's microphone, unless it
 * stopped ringing meanwhile. The user agent is told too, so that a caller that requires it (RFC
 * 5373 `require`) gets 403 while it is off.
 */
export class AutoAnswerer implements ReactiveController {
  readonly #host: Host;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(host: Host) {
    (this.#host = host).addController(this);
  }

  hostUpdated(): void {
    const ua = this.#host.userAgent;
    if (ua) ua.autoAnswer = this.#host.autoAnswer;
  }

  hostDisconnected(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** What `sip-incoming` says of a call's auto-answer request. */
  detail(call: CallHandle): SipEventDetails['sip-incoming']['autoAnswer'] {
    const wanted = call.autoAnswer;
    return wanted && { delay: wanted.delay, willAnswer: wanted.allowed && this.#host.autoAnswer };
  }

  /** Answers the call of `element` after `delay` seconds if it is still ringing then. */
  schedule(element: SipCall, delay: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (element.call?.state === 'incoming')
        element.answer({ auto: true }).catch((error: unknown) => emitError(this.#host, error, 'Auto-answer failed'));
    }, delay * 1000);
    this.#timers.add(timer);
  }
}
