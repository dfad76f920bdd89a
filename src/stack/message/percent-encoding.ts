/**
 * RFC 3261 §19.1.2 / §25.1 `escaped = "%" HEXDIG HEXDIG` in SIP URI components. Components are
 * kept unescaped in the model, because escaped and unescaped forms are equivalent (§19.1.4:
 * `sip:%61lice@atlanta.com` equals `sip:alice@atlanta.com`), and escaped again when written.
 */
import { is, skipClass, excerpt } from './chars';
import { fail } from './sip-parse-error';
import { utf8Decode, utf8Encode } from './utf8';

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * Unescapes s[start, end) once (`v%61lue%25%34%31` is `value%41`, RFC 4475 §3.1.1.3), after
 * checking that every unescaped character is of class `flags`. Escaped octets are read as UTF-8.
 * @throws SipParseError on a character outside the class or a `%` not followed by two hex digits.
 */
export function unescapeComponent(s: string, start: number, end: number, flags: number, what: string): string {
  if (skipClass(s, start, end, flags) === end) return s.slice(start, end);
  let percent = -1;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      if (percent < 0) percent = i;
    } else if (!is(c, flags)) {
      fail(`invalid character ${excerpt(s[i])} in ${what}`);
    }
  }
  if (percent < 0) return s.slice(start, end);
  const bytes = new Uint8Array(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x25) {
      bytes[n++] = c;
      continue;
    }
    const hi = i + 2 < end ? hexValue(s.charCodeAt(i + 1)) : -1;
    const lo = hi < 0 ? -1 : hexValue(s.charCodeAt(i + 2));
    if (lo < 0) fail(`invalid escape ${excerpt(s, i, i + 3)} in ${what}`);
    bytes[n++] = hi * 16 + lo;
    i += 2;
  }
  return utf8Decode(bytes, 0, n);
}

const HEX = '0123456789ABCDEF';

/** Escapes every character of `text` that is not of class `flags` (UTF-8 octets, upper-case hex). */
export function escapeComponent(text: string, flags: number): string {
  let i = 0;
  while (i < text.length && is(text.charCodeAt(i), flags)) i++;
  if (i === text.length) return text;
  let out = text.slice(0, i);
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (is(c, flags)) {
      out += text[i];
      continue;
    }
    const end = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? i + 2 : i + 1;
    for (const byte of utf8Encode(text.slice(i, end))) out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
    i = end - 1;
  }
  return out;
}
