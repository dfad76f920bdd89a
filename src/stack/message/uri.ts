/**
 * The URIs a SIP message carries (RFC 3261 §19): SIP and SIPS URIs and tel URIs are parsed into
 * their parts; any other scheme keeps its text.
 */
import { excerpt } from './chars';
import { AbsoluteUri, schemeEnd } from './absolute-uri';
import { fail } from './sip-parse-error';
import { parseSipUri } from './sip-uri';
import type { SipUri } from './sip-uri';
import { parseTelUri } from './tel-uri';
import type { TelUri } from './tel-uri';

export type Uri = SipUri | TelUri | AbsoluteUri;

/**
 * Parses a URI: SIP, SIPS, tel, or any other scheme kept as text.
 * @throws SipParseError naming the problem.
 */
export function parseUri(text: string): Uri {
  return readUri(text, 0, text.length);
}

/** Parses s[start, end) as a URI; the message parser calls this without copying the text first. */
export function readUri(s: string, start: number, end: number): Uri {
  const colon = schemeEnd(s, start, end);
  if (colon < 0) fail(`not a URI: ${excerpt(s, start, end)}`);
  const length = colon - start;
  const c0 = s.charCodeAt(start) | 0x20;
  const c1 = s.charCodeAt(start + 1) | 0x20;
  const c2 = s.charCodeAt(start + 2) | 0x20;
  if (c0 === 0x73 && c1 === 0x69 && c2 === 0x70) {
    if (length === 3) return parseSipUri(s, start, end, 'sip', colon);
    if (length === 4 && (s.charCodeAt(start + 3) | 0x20) === 0x73) return parseSipUri(s, start, end, 'sips', colon);
  } else if (length === 3 && c0 === 0x74 && c1 === 0x65 && c2 === 0x6c) {
    return parseTelUri(s, start, end, colon);
  }
  return new AbsoluteUri(s.slice(start, end));
}
