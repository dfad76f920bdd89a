import type { SipRequest, SipResponse } from '../message/message';
import { ServerTransactionBase } from './server-transaction';
import type { TransactionContext } from './transaction';

/** RFC 3261 §17.2.2 (Figure 8). */
export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

const MOVES: Record<NonInviteServerState, readonly NonInviteServerState[]> = {
  trying: ['proceeding', 'completed', 'terminated'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
  terminated: [],
};

export class NonInviteServerTransaction extends ServerTransactionBase<NonInviteServerState> {
  readonly kind = 'non-INVITE server transaction';

  constructor(
    id: string,
    readonly request: SipRequest,
    context: TransactionContext,
  ) {
    super(id, context, 'trying', MOVES);
  }

  respond(response: SipResponse): void {
    if (this.state === 'completed' || this.state === 'terminated') return; // §17.2.2: later responses are discarded.
    const text = response.toString();
    this.lastResponseText = text;
    if (this.failOnTransportError(this.trySend(text))) return;
    if (response.status < 200) {
      if (this.state === 'trying') this.transition('proceeding');
      return;
    }
    // §17.2.2: the final response moves to Completed; Timer J absorbs request retransmissions.
    this.transition('completed');
    this.startTimer('J', this.context.timers.j, () => this.transition('terminated'));
  }

  /** §17.2.2: a retransmitted request gets the last response again (nothing in Trying). */
  receiveRequest(_request: SipRequest): void {
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastResponseText) {
      this.trySend(this.lastResponseText);
    }
  }

}
