/**
 * Transaction keys and Via branches for the proxy.
 *
 * The branch of a forwarded request is derived from the incoming one (RFC 3261 §16.6 step 8,
 * §16.11): the same incoming transaction and target always give the same branch, so a stateless
 * retry, or a CANCEL built from the same INVITE, lands on the same downstream transaction.
 */
import { createHash } from 'node:crypto';
import { MAGIC_COOKIE } from '../../src/stack/message/message';
import type { SipRequest } from '../../src/stack/message/message';

/** What identifies the incoming transaction: §17.2.3 for RFC 3261 branches, §16.11's fields else. */
function transactionBasis(request: SipRequest): string {
  const via = request.topVia;
  const sentBy = via ? `${via.host.toLowerCase()}:${via.port ?? ''}` : '';
  if (via?.hasRfc3261Branch) return `${via.branch}|${sentBy}`;
  return `2543|${request.callId}|${request.from.tag ?? ''}|${request.cseq.seq}|${sentBy}`;
}

/**
 * The key of the server transaction a request belongs to (§17.2.3). An ACK and a CANCEL are
 * looked up under the INVITE they go with by passing `method: 'INVITE'`.
 */
export function serverTransactionKey(request: SipRequest, method = request.method): string {
  return `${transactionBasis(request)}|${method}`;
}

/** The branch for one forwarded copy of `request`; `salt` tells the copies (targets) apart. */
export function deriveBranch(request: SipRequest, salt: string): string {
  const hash = createHash('sha256')
    .update(`${transactionBasis(request)}|${salt}`)
    .digest('hex');
  return `${MAGIC_COOKIE}${hash.slice(0, 24)}`;
}
