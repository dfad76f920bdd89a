import { TimeoutError } from '../core/errors';
import type { SipRequest, SipResponse } from '../message/message';
import { ackForNonSuccess } from './requests';
import type { ClientTransactionUser } from './client-transaction-user';
import { ClientTransactionBase } from './client-transaction';
import type { TransactionContext } from './transaction';

/** RFC 3261 §17.1.1 (Figure 5), with the Accepted state of RFC 6026 §7.2. */
export type InviteClientState = 'calling' | 'proceeding' | 'accepted' | 'completed' | 'terminated';

const MOVES: Record<InviteClientState, readonly InviteClientState[]> = {
  calling: ['proceeding', 'accepted', 'completed', 'terminated'],
  proceeding: ['accepted', 'completed', 'terminated'],
  accepted: ['terminated'],
  completed: ['terminated'],
  terminated: [],
};

export class InviteClientTransaction extends ClientTransactionBase<InviteClientState> {
  readonly kind = 'INVITE client transaction';
  private ackText: string | undefined;

  constructor(id: string, request: SipRequest, context: TransactionContext, user: ClientTransactionUser) {
    super(id, request, context, 'calling', MOVES, user);
  }

  /** §17.1.1.2: send the INVITE, start Timer A (unreliable only) and Timer B. */
  start(): void {
    const text = this.request.toString();
    if (this.failOnTransportError(this.trySend(text))) return;
    const a = this.context.timers.a;
    if (a !== undefined) this.retransmitAfter(text, a);
    this.startTimer('B', this.context.timers.b, () => {
      // §17.1.1.2: Timer B fires in Calling: inform the TU of the timeout.
      if (this.state !== 'calling') return;
      this.transition('terminated');
      this.user.onFailure(new TimeoutError('B', `no response to INVITE within ${this.context.timers.b} ms`));
    });
  }

  private retransmitAfter(text: string, interval: number): void {
    this.startTimer('A', interval, () => {
      if (this.state !== 'calling') return;
      if (this.failOnTransportError(this.trySend(text))) return;
      this.retransmitAfter(text, this.context.timers.backoff(interval, false));
    });
  }

  receiveResponse(response: SipResponse): void {
    const status = response.status;
    switch (this.state) {
      case 'calling':
      case 'proceeding':
        if (status < 200) {
          // §17.1.1.2: a provisional response stops retransmissions (Timer A) and passes up.
          if (this.state === 'calling') this.transition('proceeding');
          this.user.onResponse(response);
        } else if (status < 300) {
          // RFC 6026 §8.4: a 2xx moves to Accepted and starts Timer M; the TU sends the ACK.
          this.transition('accepted');
          this.startTimer('M', this.context.timers.b, () => this.transition('terminated'));
          this.user.onResponse(response);
        } else {
          // §17.1.1.2: a final non-2xx is ACKed by the transaction, passed up, and Timer D runs.
          this.transition('completed');
          this.ackText = ackForNonSuccess(this.request, response).toString();
          this.trySend(this.ackText);
          this.startTimer('D', this.context.timers.d, () => this.transition('terminated'));
          this.user.onResponse(response);
        }
        return;
      case 'accepted':
        // RFC 6026 §8.4: 2xx retransmissions pass up so the TU can send its ACK again.
        if (status >= 200 && status < 300) this.user.onResponse(response);
        return;
      case 'completed':
        // §17.1.1.2: a retransmitted final response is answered with the ACK again, not passed up.
        if (status >= 300 && this.ackText) this.trySend(this.ackText);
        return;
      case 'terminated':
        return;
    }
  }

}
