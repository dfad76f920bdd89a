import type { SipRequest, SipResponse } from '../message/message';
import type { ServerTransactionUser } from './server-transaction-user';
import { Transaction, type Moves, type TransactionContext } from './transaction';

/** RFC 3261 §17.2.2 (Figure 8). */
export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

const MOVES: Moves<NonInviteServerState> = {
  trying: ['proceeding', 'completed'],
  proceeding: ['completed'],
  completed: [],
};

export class NonInviteServerTransaction extends Transaction<NonInviteServerState, ServerTransactionUser> {
  readonly kind = 'non-INVITE server transaction';
  /** The last response sent, for retransmitted requests (§17.2.2). */
  #last: string | undefined;

  constructor(id: string, request: SipRequest, context: TransactionContext) {
    super(id, request, context, 'trying', MOVES, {});
  }

  respond(response: SipResponse): void {
    if (!this.in('trying', 'proceeding')) return; // §17.2.2: later responses are discarded.
    const text = (this.#last = response.toString());
    if (!this.send(text)) return;
    if (response.status < 200) {
      if (this.in('trying')) this.transition('proceeding');
      return;
    }
    // §17.2.2: the final response moves to Completed; Timer J absorbs request retransmissions.
    this.transition('completed');
    this.terminateAfter('J', this.context.timers.J);
  }

  /** §17.2.2: a retransmitted request gets the last response again (nothing in Trying). */
  receiveRequest(_request: SipRequest): void {
    if (this.in('proceeding', 'completed') && this.#last) this.send(this.#last, true);
  }
}
