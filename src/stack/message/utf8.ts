/**
 * UTF-8 octet counting, slicing and encoding over JavaScript strings. Counting is written here
 * rather than done through TextEncoder so that it allocates nothing: Content-Length is in octets
 * (RFC 3261 §20.14), a JavaScript string is in UTF-16 code units, and the parser must find where
 * the body ends on every message. (The original sip-js sliced bodies by code units, so any non-ASCII
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
  const units = text.length - start;
  // A long body (SDP) is walked far faster by the platform's encoder than by a scan in JS. It
  // writes at most `octets` octets and stops before a character that does not fit, so what it read
  // and wrote tells where the count ends. (At most 3 octets per code unit: past that, too short.)
  if (units >= 256 && octets <= 3 * units && octets <= 0x10000) {
    if (scratch.length < octets) scratch = new Uint8Array(0x10000);
    const { read, written } = (encoder ??= new TextEncoder()).encodeInto(
      text.slice(start),
      scratch.subarray(0, octets),
    );
    if (written === octets) return start + read;
    return read === units ? -1 : -2;
  }
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

// TextEncoder is in every browser and in Node, but not in the ES lib the DOM-free stack compiles
// against (src/stack/globals.d.ts declares what the stack uses of the platform; this file may not
// change it), so its one method is declared here for this module.
interface Encoder {
  encode(text: string): Uint8Array;
  encodeInto(text: string, into: Uint8Array): { read: number; written: number };
}
declare const TextEncoder: new () => Encoder;
let encoder: Encoder | undefined;
let scratch = new Uint8Array(0);

/** The UTF-8 encoding of `text` (a lone surrogate becomes U+FFFD, as utf8Length counts it). */
export function utf8Encode(text: string): Uint8Array {
  encoder ??= new TextEncoder();
  return encoder.encode(text);
}

// Non-fatal: invalid sequences become U+FFFD, as a WebSocket text frame would be read.
let decoder: TextDecoder | undefined;

/** Decodes bytes[start, end) as UTF-8, replacing invalid sequences with U+FFFD. */
export function utf8Decode(bytes: Uint8Array, start = 0, end = bytes.length): string {
  decoder ??= new TextDecoder('utf-8', { ignoreBOM: true });
  return decoder.decode(bytes.subarray(start, end));
}
