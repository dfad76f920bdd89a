import { TransportError } from '../core/errors';
import type { SipRequest } from '../message/message';
import type { ClientTransactionUser } from './client-transaction-user';
import { Transaction, type TransactionContext } from './transaction';

/** What both client machines (§17.1.1, §17.1.2) share: their request, their TU, and failure. */
export abstract class ClientTransactionBase<State extends string> extends Transaction<State> {
  constructor(
    id: string,
    readonly request: SipRequest,
    context: TransactionContext,
    initial: State,
    moves: Readonly<Record<State, readonly State[]>>,
    protected readonly user: ClientTransactionUser,
  ) {
    super(id, context, initial, moves);
  }

  /** Ends the transaction with a transport failure, reported to the TU as a 503 (§8.1.3.1). */
  fail(error: TransportError): void {
    if (this.terminated) return;
    this.terminate();
    this.user.onFailure(error);
  }

  /** Fails on a send error; says whether there was one. */
  protected failOnTransportError(error: Error | undefined): boolean {
    if (!error) return false;
    this.fail(error instanceof TransportError ? error : new TransportError('send-failed', error.message, { cause: error }));
    return true;
  }
}
