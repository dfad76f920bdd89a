import { TimeoutError } from '../core/errors';
import type { SipRequest, SipResponse } from '../message/message';
import { trying } from './requests';
import { ServerTransactionBase } from './server-transaction';
import type { TransactionContext } from './transaction';

/** RFC 3261 §17.2.1 (Figure 7), with the Accepted state of RFC 6026 §7.1. */
export type InviteServerState = 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated';

const MOVES: Record<InviteServerState, readonly InviteServerState[]> = {
  proceeding: ['accepted', 'completed', 'terminated'],
  accepted: ['terminated'],
  completed: ['confirmed', 'terminated'],
  confirmed: ['terminated'],
  terminated: [],
};

export class InviteServerTransaction extends ServerTransactionBase<InviteServerState> {
  readonly kind = 'INVITE server transaction';

  constructor(
    id: string,
    readonly request: SipRequest,
    context: TransactionContext,
  ) {
    super(id, context, 'proceeding', MOVES);
  }

  /**
   * §17.2.1: the server transaction MUST send a 100 (Trying) unless the TU answers within 200 ms.
   * Sending it at once is always correct and stops the client's INVITE retransmissions early.
   */
  start(): void {
    this.respond(trying(this.request));
  }

  /** The TU's response; a 2xx may be sent again by the TU while in Accepted (§13.3.1.4). */
  respond(response: SipResponse): void {
    const status = response.status;
    const text = response.toString();
    switch (this.state) {
      case 'proceeding':
        this.lastResponseText = text;
        if (this.failOnTransportError(this.trySend(text))) return;
        if (status < 200) return;
        if (status < 300) {
          // RFC 6026 §7.1: a 2xx moves to Accepted; Timer L absorbs INVITE retransmissions.
          this.transition('accepted');
          this.startTimer('L', this.context.timers.h, () => this.transition('terminated'));
          return;
        }
        // §17.2.1: a non-2xx final moves to Completed: Timer G retransmits (unreliable), Timer H waits for the ACK.
        this.transition('completed');
        if (this.context.timers.g !== undefined) this.retransmitAfter(this.context.timers.g);
        this.startTimer('H', this.context.timers.h, () => {
          this.transition('terminated');
          this.user.onFailure?.(new TimeoutError('H', `no ACK for the ${status} response within ${this.context.timers.h} ms`));
        });
        return;
      case 'accepted':
        if (status >= 200 && status < 300) this.failOnTransportError(this.trySend(text));
        return;
      default:
        return; // A response after the final one has nowhere to go (§17.2.1).
    }
  }

  private retransmitAfter(interval: number): void {
    this.startTimer('G', interval, () => {
      if (this.state !== 'completed' || !this.lastResponseText) return;
      if (this.failOnTransportError(this.trySend(this.lastResponseText))) return;
      this.retransmitAfter(this.context.timers.backoff(interval, true));
    });
  }

  /** A request matched to this transaction: a retransmitted INVITE or an ACK (§17.2.3). */
  receiveRequest(request: SipRequest): void {
    if (request.method === 'ACK') {
      if (this.state === 'completed') {
        // §17.2.1: the ACK for a non-2xx ends retransmissions; Timer I absorbs further ACKs.
        this.transition('confirmed');
        this.startTimer('I', this.context.timers.i, () => this.transition('terminated'));
      } else if (this.state === 'accepted') {
        this.user.onAck?.(request);
      }
      return;
    }
    // §17.2.1: a retransmitted INVITE gets the last response again in Proceeding and Completed.
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastResponseText) {
      this.failOnTransportError(this.trySend(this.lastResponseText));
    }
  }
}
