import type { TimeoutError, TransportError } from '../core/errors';
import type { SipRequest } from '../message/message';

/** What a server transaction tells its transaction user besides the request it was made for. */
export interface ServerTransactionUser {
  /** §17.2.1 Timer H (no ACK for a non-2xx final) or a transport failure while responding. */
  onFailure?(error: TimeoutError | TransportError): void;
  /** RFC 6026 §7.1: in Accepted, an ACK (for the 2xx) goes to the TU. */
  onAck?(ack: SipRequest): void;
}
