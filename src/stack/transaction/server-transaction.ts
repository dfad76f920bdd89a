import { TransportError } from '../core/errors';
import type { SipRequest } from '../message/message';
import type { ServerTransactionUser } from './server-transaction-user';
import { Transaction } from './transaction';

/** What both server machines (§17.2.1, §17.2.2) share: their request, their TU, the last response. */
export abstract class ServerTransactionBase<State extends string> extends Transaction<State> {
  user: ServerTransactionUser = {};
  /** The last response sent, for retransmitted requests (§17.2.1, §17.2.2). */
  protected lastResponseText: string | undefined;
  abstract readonly request: SipRequest;

  /** Ends on a send error and tells the TU (§17.2.4: a transport failure ends the transaction). */
  protected failOnTransportError(error: Error | undefined): boolean {
    if (!error) return false;
    this.terminate();
    this.user.onFailure?.(error instanceof TransportError ? error : new TransportError('send-failed', error.message, { cause: error }));
    return true;
  }
}
