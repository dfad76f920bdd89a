/**
 * `serialize`: a message back to wire form. Header values are written as held (a parsed value
 * keeps its text, folding already replaced by single spaces, RFC 3261 §7.3.1), every line ends in
 * CRLF, and Content-Length is always written with the body's length in octets (§20.14, §18.3).
 */
import type { SipMessage } from './sip-message';

/** The message as wire text (`String(message)` gives the same). */
export function serialize(message: SipMessage): string {
  return message.toString();
}

/** The message as octets; a binary body is written exactly. */
export function serializeBytes(message: SipMessage): Uint8Array {
  return message.toBytes();
}
