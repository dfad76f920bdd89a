import type { SipRequest, SipResponse } from '../message/message';
import { ackForNonSuccess } from './requests';
import type { ClientTransactionUser } from './client-transaction-user';
import { Transaction, type Moves, type TransactionContext } from './transaction';

/** RFC 3261 §17.1.1 (Figure 5), with the Accepted state of RFC 6026 §7.2. */
export type InviteClientState = 'calling' | 'proceeding' | 'accepted' | 'completed' | 'terminated';

const MOVES: Moves<InviteClientState> = {
  calling: ['proceeding', 'accepted', 'completed'],
  proceeding: ['accepted', 'completed'],
  accepted: [],
  completed: [],
};

export class InviteClientTransaction extends Transaction<InviteClientState, ClientTransactionUser> {
  readonly kind = 'INVITE client transaction';
  #ack: string | undefined;

  constructor(id: string, request: SipRequest, context: TransactionContext, user: ClientTransactionUser) {
    super(id, request, context, 'calling', MOVES, user);
  }

  /** §17.1.1.2: send the INVITE, start Timer A (unreliable only) and Timer B. */
  start(): void {
    const text = this.request.toString();
    const { A, B } = this.context.timers;
    if (!this.send(text)) return;
    this.retransmit(
      'A',
      A,
      text,
      () => this.in('calling'),
      (interval) => 2 * interval,
    );
    // §17.1.1.2: Timer B fires in Calling: inform the TU of the timeout.
    this.startTimer('B', B, () => this.in('calling') && this.timeout('B', `no response to INVITE within ${B} ms`));
  }

  receiveResponse(response: SipResponse): void {
    const status = response.status;
    if (this.in('calling', 'proceeding')) {
      if (status < 200) {
        // §17.1.1.2: a provisional response stops retransmissions (Timer A) and passes up.
        if (this.in('calling')) this.transition('proceeding');
      } else if (status < 300) {
        // RFC 6026 §8.4: a 2xx moves to Accepted and starts Timer M; the TU sends the ACK.
        this.transition('accepted');
        this.terminateAfter('M', this.context.timers.B);
      } else {
        // §17.1.1.2: a final non-2xx is ACKed by the transaction, passed up, and Timer D runs.
        this.transition('completed');
        this.#ack = ackForNonSuccess(this.request, response).toString();
        this.send(this.#ack, true);
        this.terminateAfter('D', this.context.timers.D);
      }
      this.user.onResponse(response);
    } else if (this.in('accepted')) {
      // RFC 6026 §8.4: 2xx retransmissions pass up so the TU can send its ACK again.
      if (status >= 200 && status < 300) this.user.onResponse(response);
    } else if (this.in('completed') && status >= 300 && this.#ack) {
      // §17.1.1.2: a retransmitted final response is answered with the ACK again, not passed up.
      this.send(this.#ack, true);
    }
  }
}
