import { CSeq, SipRequest, SipResponse } from '../message/message';

/**
 * A response to `request` per RFC 3261 §8.2.6.2: Via, From, Call-ID and CSeq copied, To copied
 * with `toTag` added when the request's To has none. Max-Forwards is not copied.
 */
export function responseTo(request: SipRequest, status: number, reason?: string, toTag?: string): SipResponse {
  const response = new SipResponse(status, reason);
  response.setHeader('Via', request.via);
  response.setHeader('From', request.from);
  response.setHeader(
    'To',
    toTag !== undefined && request.to.tag === undefined ? request.to.withTag(toTag) : request.to,
  );
  response.setHeader('Call-ID', request.callId);
  response.setHeader('CSeq', request.cseq);
  return response;
}

/**
 * A request that rides on the transaction of `request` (an ACK for a non-2xx, a CANCEL): same
 * Request-URI, Call-ID, From and CSeq number, the method changed, only the top Via (so it matches
 * the same transaction), and the same Route header fields (§17.1.1.3, §9.1).
 */
function sameTransactionRequest(method: 'ACK' | 'CANCEL', request: SipRequest, to: SipRequest['to']): SipRequest {
  const derived = new SipRequest(method, request.uri);
  derived.setHeader('Via', request.via[0]!);
  derived.setHeader('Max-Forwards', 70);
  derived.setHeader('From', request.from);
  derived.setHeader('To', to);
  derived.setHeader('Call-ID', request.callId);
  derived.setHeader('CSeq', new CSeq(request.cseq.seq, method));
  if (request.route.length > 0) derived.setHeader('Route', request.route);
  return derived;
}

/** §17.1.1.3: the ACK for a non-2xx final response, built by the transaction; To (with its tag) from the response. */
export function ackForNonSuccess(invite: SipRequest, response: SipResponse): SipRequest {
  return sameTransactionRequest('ACK', invite, response.to);
}

/** §9.1: a CANCEL for a pending request; To as in the request. */
export function cancelFor(request: SipRequest, reason?: string): SipRequest {
  const cancel = sameTransactionRequest('CANCEL', request, request.to);
  // RFC 3326: the Reason header field says why (e.g. an answer elsewhere).
  if (reason) cancel.setHeader('Reason', reason);
  return cancel;
}
