import { TimeoutError, TransportError } from '../core/errors';
import type { SipRequest, SipResponse } from '../message/message';
import type { ClientTransactionUser } from './client-transaction-user';
import { Transaction, type TransactionContext } from './transaction';

/** RFC 3261 §17.1.2 (Figure 6). */
export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

const MOVES: Record<NonInviteClientState, readonly NonInviteClientState[]> = {
  trying: ['proceeding', 'completed', 'terminated'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
  terminated: [],
};

export class NonInviteClientTransaction extends Transaction<NonInviteClientState> {
  readonly kind = 'non-INVITE client transaction';

  constructor(
    id: string,
    readonly request: SipRequest,
    context: TransactionContext,
    private readonly user: ClientTransactionUser,
  ) {
    super(id, context, 'trying', MOVES);
  }

  protected isTerminatedState(state: NonInviteClientState): boolean {
    return state === 'terminated';
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

  /** A transport failure ends the transaction and is reported to the TU as a 503 (§8.1.3.1). */
  private failOnTransportError(error: Error | undefined): boolean {
    if (!error) return false;
    this.fail(error instanceof TransportError ? error : new TransportError('send-failed', error.message, { cause: error }));
    return true;
  }

  /** Ends the transaction with a transport failure (also used when the connection drops). */
  fail(error: TransportError): void {
    if (this.state === 'terminated') return;
    this.transition('terminated');
    this.user.onFailure(error);
  }

  terminate(): void {
    if (this.state !== 'terminated') this.transition('terminated');
  }
}
