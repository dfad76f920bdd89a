import { TransportError } from '../core/errors';
import type { SipRequest, SipResponse } from '../message/message';
import type { ServerTransactionUser } from './server-transaction-user';
import { Transaction, type TransactionContext } from './transaction';

/** RFC 3261 §17.2.2 (Figure 8). */
export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

const MOVES: Record<NonInviteServerState, readonly NonInviteServerState[]> = {
  trying: ['proceeding', 'completed', 'terminated'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
  terminated: [],
};

export class NonInviteServerTransaction extends Transaction<NonInviteServerState> {
  readonly kind = 'non-INVITE server transaction';
  private lastResponseText: string | undefined;
  user: ServerTransactionUser = {};

  constructor(
    id: string,
    readonly request: SipRequest,
    context: TransactionContext,
  ) {
    super(id, context, 'trying', MOVES);
  }

  protected isTerminatedState(state: NonInviteServerState): boolean {
    return state === 'terminated';
  }

  respond(response: SipResponse): void {
    if (this.state === 'completed' || this.state === 'terminated') return; // §17.2.2: later responses are discarded.
    const text = response.toString();
    this.lastResponseText = text;
    const error = this.trySend(text);
    if (error) {
      this.transition('terminated');
      this.user.onFailure?.(error instanceof TransportError ? error : new TransportError('send-failed', error.message, { cause: error }));
      return;
    }
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

  terminate(): void {
    if (this.state !== 'terminated') this.transition('terminated');
  }
}
