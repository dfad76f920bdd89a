/**
 * UTF-8 octet counting, slicing and encoding over JavaScript strings, written here rather than
 * through TextEncoder so that counting allocates nothing: Content-Length is in octets (RFC 3261
 * §20.14), a JavaScript string is in UTF-16 code units, and the parser must find where the body
 * ends on every message. (The original sip-js sliced bodies by code units, so any non-ASCII
 * MESSAGE or SDP broke.) Lone surrogates count as U+FFFD, three octets, as TextEncoder writes them.
 */

// One native scan skips the ASCII run: far faster than a charCodeAt loop on long SDP bodies.
const ASCII_RUN = /[\0-\x7F]*/y;

function asciiRunEnd(text: string, start: number): number {
  ASCII_RUN.lastIndex = start;
  ASCII_RUN.test(text);
  return ASCII_RUN.lastIndex;
}

/** Octets and code units of the character at `i` (which must be non-ASCII), packed as octets*4+units. */
function charAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x800) return 2 * 4 + 1;
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 4 * 4 + 2;
  }
  return 3 * 4 + 1;
}

/** Number of UTF-8 octets that encode text[start, end). */
export function utf8Length(text: string, start = 0, end = text.length): number {
  let octets = 0;
  let i = start;
  while (i < end) {
    const ascii = Math.min(asciiRunEnd(text, i), end);
    octets += ascii - i;
    i = ascii;
    if (i >= end) break;
    const packed = charAt(text, i);
    octets += packed >> 2;
    i += packed & 3;
  }
  return octets;
}

/**
 * Index in `text` just after the first `octets` UTF-8 octets starting at `start`; -1 when the rest
 * of the text is shorter than that, -2 when the octet count ends inside a character.
 */
export function utf8Advance(text: string, start: number, octets: number): number {
  let i = start;
  let left = octets;
  while (left > 0) {
    const ascii = asciiRunEnd(text, i);
    if (ascii - i >= left) return i + left;
    left -= ascii - i;
    i = ascii;
    if (i >= text.length) return -1;
    const packed = charAt(text, i);
    if (packed >> 2 > left) return -2;
    left -= packed >> 2;
    i += packed & 3;
  }
  return i;
}

/** The UTF-8 encoding of `text`. */
export function utf8Encode(text: string): Uint8Array {
  const out = new Uint8Array(utf8Length(text));
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[o++] = c;
      continue;
    }
    if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = text.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out[o++] = 0xf0 | (c >> 18);
        out[o++] = 0x80 | ((c >> 12) & 0x3f);
        out[o++] = 0x80 | ((c >> 6) & 0x3f);
        out[o++] = 0x80 | (c & 0x3f);
        continue;
      }
      c = 0xfffd;
    }
    out[o++] = 0xe0 | (c >> 12);
    out[o++] = 0x80 | ((c >> 6) & 0x3f);
    out[o++] = 0x80 | (c & 0x3f);
  }
  return out;
}

// Non-fatal: invalid sequences become U+FFFD, as a WebSocket text frame would be read.
let decoder: TextDecoder | undefined;

/** Decodes bytes[start, end) as UTF-8, replacing invalid sequences with U+FFFD. */
export function utf8Decode(bytes: Uint8Array, start = 0, end = bytes.length): string {
  decoder ??= new TextDecoder('utf-8', { ignoreBOM: true });
  return decoder.decode(bytes.subarray(start, end));
}
