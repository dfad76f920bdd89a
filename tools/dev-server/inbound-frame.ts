/**
 * What one received WebSocket frame is. RFC 7118 §4.2: each frame holds exactly one SIP message,
 * as text or binary; RFC 5626 §4.4.1: a frame of CRLF CRLF is a keep-alive ping to answer with
 * CRLF, and a lone CRLF is the answer to ours (or noise) and is ignored.
 */
import { parseMessage } from '../../src/stack/message/parser';
import { SipParseError } from '../../src/stack/message/sip-parse-error';
import type { SipRequest, SipResponse } from '../../src/stack/message/message';

export type InboundFrame =
  | { readonly kind: 'ping' }
  | { readonly kind: 'blank' }
  | { readonly kind: 'message'; readonly message: SipRequest | SipResponse }
  | { readonly kind: 'too-large'; readonly text: string; readonly bytes: number }
  | { readonly kind: 'malformed'; readonly text: string; readonly error: SipParseError };

/** Only CR and LF: keep-alive traffic, never a message. */
const BLANK = /^[\r\n]*$/;

/** Classifies and parses a frame; never throws. */
export function readFrame(data: Buffer, isBinary: boolean, maxMessageBytes: number): InboundFrame {
  if (data.length <= 4) {
    const text = data.toString('latin1');
    if (text === '\r\n\r\n') return { kind: 'ping' };
    if (BLANK.test(text)) return { kind: 'blank' };
  }
  // Only the head is needed to answer a message that is too big (RFC 3261 §21.5.14, 513).
  if (data.length > maxMessageBytes)
    return { kind: 'too-large', text: data.subarray(0, 16_384).toString('utf8'), bytes: data.length };
  try {
    // A binary frame keeps its body as octets; a text frame is UTF-8 by definition (RFC 6455 §5.6).
    const message = parseMessage(
      isBinary ? new Uint8Array(data.buffer, data.byteOffset, data.length) : data.toString('utf8'),
    );
    return { kind: 'message', message };
  } catch (error) {
    const parseError = error instanceof SipParseError ? error : new SipParseError(String(error), { cause: error });
    return { kind: 'malformed', text: data.toString('utf8'), error: parseError };
  }
}
