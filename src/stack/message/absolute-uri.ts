/**
 * A URI of a scheme other than sip, sips and tel (RFC 3261 §19: `absoluteURI`, e.g. `http:`,
 * `isbn:`, `urn:`). The SIP layer does not interpret it, so it keeps its text exactly.
 */
import { URIC, skipClass, excerpt } from './chars';
import { fail } from './sip-parse-error';

export class AbsoluteUri {
  /** The scheme, lower case (schemes are case-insensitive, RFC 3986 §3.1). */
  readonly scheme: string;
  /** The URI exactly as written. */
  readonly text: string;

  /** @throws SipParseError when `text` is not `scheme ":" 1*uric`. */
  constructor(text: string) {
    const colon = schemeEnd(text, 0, text.length);
    if (colon < 0 || colon + 1 >= text.length || skipClass(text, colon + 1, text.length, URIC) !== text.length) {
      fail(`invalid URI ${excerpt(text)}`);
    }
    this.scheme = text.slice(0, colon).toLowerCase();
    this.text = text;
  }

  toString(): string {
    return this.text;
  }
}

/** Index of the ":" that ends the scheme at `start` (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`), or -1. */
export function schemeEnd(s: string, start: number, end: number): number {
  const first = s.charCodeAt(start) | 0x20;
  if (start >= end || first < 0x61 || first > 0x7a) return -1;
  for (let i = start + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3a) return i;
    const lower = c | 0x20;
    if (!((lower >= 0x61 && lower <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e))
      return -1;
  }
  return -1;
}
