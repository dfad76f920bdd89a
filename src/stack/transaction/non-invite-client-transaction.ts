import type { SipRequest, SipResponse } from '../message/message';
import type { ClientTransactionUser } from './client-transaction-user';
import { Transaction, type Moves, type TransactionContext } from './transaction';

/** RFC 3261 §17.1.2 (Figure 6). */
export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

const MOVES: Moves<NonInviteClientState> = {
  trying: ['proceeding', 'completed'],
  proceeding: ['completed'],
  completed: [],
};

export class NonInviteClientTransaction extends Transaction<NonInviteClientState, ClientTransactionUser> {
  readonly kind = 'non-INVITE client transaction';

  constructor(id: string, request: SipRequest, context: TransactionContext, user: ClientTransactionUser) {
    super(id, request, context, 'trying', MOVES, user);
  }

  /** §17.1.2.2: send the request, start Timer E (unreliable only) and Timer F. */
  start(): void {
    const text = this.request.toString();
    const { E, F, T2 } = this.context.timers;
    const pending = () => this.in('trying', 'proceeding');
    if (!this.send(text)) return;
    // §17.1.2.2: in Trying E doubles up to T2; in Proceeding it is T2.
    this.retransmit('E', E, text, pending, (interval) => (this.in('trying') ? Math.min(2 * interval, T2) : T2));
    // §17.1.2.2: Timer F in Trying or Proceeding: the TU is told of the timeout.
    this.startTimer(
      'F',
      F,
      () => pending() && this.timeout('F', `no final response to ${this.request.method} within ${F} ms`),
    );
  }

  receiveResponse(response: SipResponse): void {
    if (!this.in('trying', 'proceeding')) return; // §17.1.2.2: Completed absorbs retransmissions.
    if (response.status < 200) {
      // §17.1.2.2: Timer F keeps running in Proceeding; Timer E goes on at T2.
      if (this.in('trying')) this.transition('proceeding', ['E', 'F']);
    } else {
      this.transition('completed');
      this.terminateAfter('K', this.context.timers.K);
    }
    this.user.onResponse(response);
  }
}
