/** Malformed SIP input: the typed error the message layer reports (ARCHITECTURE.md, STYLE.md §5). */
export class SipParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SipParseError';
  }
}
