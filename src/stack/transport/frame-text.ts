/**
 * RFC 7118 §4.2: SIP messages travel in text frames (UTF-8) or binary frames (for bodies that are
 * not UTF-8), and a client must accept both. The transport passes text up, so binary frames are
 * decoded as UTF-8; invalid sequences become U+FFFD rather than failing the frame.
 */

let decoder: TextDecoder | undefined;

/** The text of a received frame, or undefined when the data is of no known frame type. */
export function frameText(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  // toString tag rather than instanceof: an ArrayBuffer from another realm is still one.
  if (Object.prototype.toString.call(data) === '[object ArrayBuffer]' || ArrayBuffer.isView(data)) {
    decoder ??= new TextDecoder('utf-8');
    return decoder.decode(data as ArrayBuffer | ArrayBufferView);
  }
  return undefined;
}
