/**
 * RFC 3261 §16.7 step 6: which of the final non-2xx responses of a forked request goes back
 * upstream. A 6xx beats everything; otherwise the lowest class wins (3xx over 4xx over 5xx), and
 * within 4xx the ones the caller can act on (401, 407, 415, 420, 484) are preferred.
 */
import type { SipResponse } from '../../src/stack/message/message';

const ACTIONABLE_4XX = new Set([401, 407, 415, 420, 484]);

function rank(status: number): number {
  return status >= 600 ? 0 : Math.floor(status / 100);
}

export function betterFinal(current: SipResponse | undefined, candidate: SipResponse): SipResponse {
  if (current === undefined) return candidate;
  const a = rank(current.status);
  const b = rank(candidate.status);
  if (a !== b) return b < a ? candidate : current;
  if (b === 4 && ACTIONABLE_4XX.has(candidate.status) && !ACTIONABLE_4XX.has(current.status)) return candidate;
  return current;
}
