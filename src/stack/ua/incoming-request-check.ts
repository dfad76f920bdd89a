import { SipUri, type SipRequest } from '../message/message';
import { ALLOW, NOT_SERVED, SUPPORTED, listed } from './capabilities';

/** A response a UAS must send before looking at a request any further, with the headers it needs. */
export interface EarlyRejection {
  readonly status: number;
  readonly reason?: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/**
 * RFC 3261 §8.2.1 to §8.2.2: the checks a UAS makes on every request, in the RFC's order. Returns
 * the rejection, or undefined when the request may be processed.
 */
export function checkIncomingRequest(request: SipRequest): EarlyRejection | undefined {
  const method = request.method;
  // The parser flags what it could read but the RFCs forbid (RFC 4475: 400, 505, 416, ...).
  const problem = request.problems[0];
  if (problem) return problem;
  // §8.2.1: a method we know but do not serve is 405 with Allow; an unrecognized one is 501.
  if (!listed(ALLOW, method))
    return NOT_SERVED.includes(method) ? { status: 405, headers: [['Allow', ALLOW]] } : { status: 501 };
  // §8.2.2.1: a Request-URI scheme we do not understand is 416.
  if (!(request.uri instanceof SipUri)) return { status: 416 };
  // §8.2.2.3: option tags we do not support in Require are 420, listed in Unsupported.
  const unsupported = request.unsupportedExtensions(SUPPORTED.split(', '));
  if (unsupported[0]) return { status: 420, headers: [['Unsupported', unsupported.join(', ')]] };
  return undefined;
}
