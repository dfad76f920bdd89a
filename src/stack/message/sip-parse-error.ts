/** Malformed SIP input: the typed error the message layer reports (ARCHITECTURE.md, STYLE.md §5). */
export class SipParseError extends Error {
  /**
   * The final response a UAS would send for a request this malformed, when it can answer at all:
   * 400 Bad Request (RFC 3261 §8.2) unless the problem calls for another code.
   */
  readonly status: number;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SipParseError';
    this.status = options.status ?? 400;
  }
}

/**
 * Rejects malformed input with a SipParseError (status 400). One call instead of a `throw new`
 * at each of the many places the readers reject input, which keeps the shipped code smaller.
 */
export function fail(reason: string): never {
  throw new SipParseError(reason);
}
