/**
 * How much one received message may hold (STYLE.md habit 14; pjsip's PJSIP_MAX_PKT_LEN, Kamailio's
 * sanity checks). A browser's WebSocket hands over a frame of any size, and every byte and every
 * header field of it costs parsing time and memory, so the user agent refuses larger ones before
 * parsing them; the connection stays up, since the next message may be fine.
 */
import { utf8Length } from '../message/utf8';

export interface MessageLimits {
  /** Octets in one message, start line to the end of the body (64 KiB). */
  readonly maxMessageBytes: number;
  /** Lines in the header section, folded continuation lines included (256). */
  readonly maxHeaderLines: number;
}

/**
 * 64 KiB holds the largest SDP a browser writes (video, simulcast, a few dozen ICE candidates: a
 * few KiB) many times over, and a MESSAGE body far beyond what a chat line needs. 256 header
 * lines: a request through a dozen proxies carries a few dozen.
 */
export const DEFAULT_MESSAGE_LIMITS: MessageLimits = { maxMessageBytes: 65_536, maxHeaderLines: 256 };

/**
 * Why `text` exceeds `limits`, or undefined when it does not. Reads at most the first
 * maxHeaderLines + 1 lines, and counts octets only once the code units are within the limit (a
 * code unit is at least one octet in UTF-8), so the check costs no more than the limit allows.
 */
export function exceededLimit(text: string, limits: MessageLimits): string | undefined {
  const { maxMessageBytes, maxHeaderLines } = limits;
  if (text.length > maxMessageBytes || utf8Length(text) > maxMessageBytes) {
    return `a message of more than ${maxMessageBytes} bytes (${text.length} characters) is refused`;
  }
  // The start line, then header lines up to the empty line that ends them (RFC 3261 §7).
  let lines = -1;
  for (let i = 0; i < text.length;) {
    const lf = text.indexOf('\n', i);
    if (lf < 0 || lf === i || (lf === i + 1 && text.charCodeAt(i) === 0x0d)) break;
    if (++lines > maxHeaderLines) return `a message with more than ${maxHeaderLines} header lines is refused`;
    i = lf + 1;
  }
  return undefined;
}
