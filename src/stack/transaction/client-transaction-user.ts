import type { TimeoutError, TransportError } from '../core/errors';
import type { SipResponse } from '../message/message';

/**
 * The transaction user (TU) of a client transaction: the UA core, a dialog or the registrar.
 * Responses pass up as RFC 3261 §17.1 says; a timeout or transport failure is reported as an error
 * that the TU treats as a 408 or 503 (§8.1.3.1, the `status` of the error).
 */
export interface ClientTransactionUser {
  onResponse(response: SipResponse): void;
  onFailure(error: TimeoutError | TransportError): void;
}
