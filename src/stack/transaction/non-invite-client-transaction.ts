import { TimeoutError } from '../core/errors';
import type { SipRequest, SipResponse } from '../message/message';
import type { ClientTransactionUser } from './client-transaction-user';
import { ClientTransactionBase } from './client-transaction';
import type { TransactionContext } from './transaction';

/** RFC 3261 §17.1.2 (Figure 6). */
export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

const MOVES: Record<NonInviteClientState, readonly NonInviteClientState[]> = {
  trying: ['proceeding', 'completed', 'terminated'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
  terminated: [],
};

export class NonInviteClientTransaction extends ClientTransactionBase<NonInviteClientState> {
  readonly kind = 'non-INVITE client transaction';

  constructor(id: string, request: SipRequest, context: TransactionContext, user: ClientTransactionUser) {
    super(id, request, context, 'trying', MOVES, user);
  }

  /** §17.1.2.2: send the request, start Timer E (unreliable only) and Timer F. */
  start(): void {
    const text = this.request.toString();
    if (this.failOnTransportError(this.trySend(text))) return;
    const e = this.context.timers.e;
    if (e !== undefined) this.retransmitAfter(text, e);
    this.startTimer('F', this.context.timers.f, () => {
      // §17.1.2.2: Timer F in Trying or Proceeding: the TU is told of the timeout.
      if (this.state !== 'trying' && this.state !== 'proceeding') return;
      this.transition('terminated');
      this.user.onFailure(
        new TimeoutError('F', `no final response to ${this.request.method} within ${this.context.timers.f} ms`),
      );
    });
  }

  private retransmitAfter(text: string, interval: number): void {
    this.startTimer('E', interval, () => {
      if (this.state !== 'trying' && this.state !== 'proceeding') return;
      if (this.failOnTransportError(this.trySend(text))) return;
      // §17.1.2.2: in Trying E doubles up to T2; in Proceeding it is T2.
      const next = this.state === 'trying' ? this.context.timers.backoff(interval, true) : this.context.timers.t2;
      this.retransmitAfter(text, next);
    });
  }

  receiveResponse(response: SipResponse): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return; // §17.1.2.2: Completed absorbs retransmissions.
    if (response.status < 200) {
      // §17.1.2.2: Timer F keeps running in Proceeding; Timer E goes on at T2 (retransmitAfter).
      if (this.state === 'trying') this.transition('proceeding', ['E', 'F']);
      this.user.onResponse(response);
      return;
    }
    this.transition('completed');
    this.startTimer('K', this.context.timers.k, () => this.transition('terminated'));
    this.user.onResponse(response);
  }

}
