import { CSeq, SipRequest, SipResponse } from '../message/message';

/**
 * A response to `request` per RFC 3261 §8.2.6.2: Via, From, Call-ID and CSeq copied, To copied
 * with `toTag` added when the request's To has none. Max-Forwards is not copied.
 */
export function responseTo(request: SipRequest, status: number, reason?: string, toTag?: string): SipResponse {
  const response = new SipResponse(status, reason);
  response.setHeader('Via', request.via);
  response.setHeader('From', request.from);
  response.setHeader('To', toTag !== undefined && request.to.tag === undefined ? request.to.withTag(toTag) : request.to);
  response.setHeader('Call-ID', request.callId);
  response.setHeader('CSeq', request.cseq);
  return response;
}

/** §17.2.1: the 100 (Trying) an INVITE server transaction sends; a 100 never adds a To tag (§8.2.6.1). */
export function trying(request: SipRequest): SipResponse {
  return responseTo(request, 100);
}

/**
 * §17.1.1.3: the ACK for a non-2xx final response, built by the transaction: same Request-URI,
 * Call-ID, From and CSeq number as the INVITE, To from the response (with its tag), only the
 * INVITE's top Via, and the INVITE's Route header fields.
 */
export function ackForNonSuccess(invite: SipRequest, response: SipResponse): SipRequest {
  const ack = new SipRequest('ACK', invite.uri);
  ack.setHeader('Via', invite.via[0]);
  ack.setHeader('Max-Forwards', 70);
  ack.setHeader('From', invite.from);
  ack.setHeader('To', response.to);
  ack.setHeader('Call-ID', invite.callId);
  ack.setHeader('CSeq', new CSeq(invite.cseq.seq, 'ACK'));
  if (invite.route.length > 0) ack.setHeader('Route', invite.route);
  return ack;
}

/**
 * §9.1: a CANCEL for a pending request: Request-URI, Call-ID, To, From and CSeq number identical,
 * the method CANCEL, a single Via equal to the request's top Via (so it matches the same server
 * transaction), and the request's Route header fields.
 */
export function cancelFor(request: SipRequest, reason?: string): SipRequest {
  const cancel = new SipRequest('CANCEL', request.uri);
  cancel.setHeader('Via', request.via[0]);
  cancel.setHeader('Max-Forwards', 70);
  cancel.setHeader('From', request.from);
  cancel.setHeader('To', request.to);
  cancel.setHeader('Call-ID', request.callId);
  cancel.setHeader('CSeq', new CSeq(request.cseq.seq, 'CANCEL'));
  if (request.route.length > 0) cancel.setHeader('Route', request.route);
  // RFC 3326: the Reason header field says why (e.g. an answer elsewhere).
  if (reason) cancel.setHeader('Reason', reason);
  return cancel;
}
