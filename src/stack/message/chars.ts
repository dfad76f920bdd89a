/**
 * Character classes of the RFC 3261 §25.1 grammar as one lookup table, so every scanner in the
 * message layer tests a character with an array read instead of a regular expression.
 */

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = 1;
/** word (Call-ID) = token characters plus ( ) < > : \ " / [ ] ? { } */
export const WORD = 2;
/** Unescaped characters of a SIP URI user part: unreserved / user-unreserved. */
export const USER = 4;
/** Unescaped characters of a SIP URI password: unreserved / & = + $ , */
export const PASSWORD = 8;
/** paramchar without escapes: param-unreserved / unreserved (uri-parameter names and values). */
export const PARAM = 16;
/** hname/hvalue characters without escapes: hnv-unreserved / unreserved (URI headers). */
export const HNV = 32;
/** Characters of a hostname label: alphanum and "-", and the "_" common in the wild. */
export const LABEL = 64;
/** Characters of a tel URI number (RFC 3966 phonedigit-hex / visual-separator, "*" and "#"). */
export const PHONE = 512;
/** Characters of an absoluteURI of another scheme: reserved / unreserved / escaped, and [ ] # */
export const URIC = 128;
/** gen-value without quotes = token / host: token characters plus the ":" "[" "]" of IPv6. */
export const GEN_VALUE = 256;

// Indexed by any UTF-16 code unit, so a lookup needs no range check first (non-ASCII entries are 0).
const TABLE = new Uint16Array(0x10000);

function mark(chars: string, flags: number): void {
  for (let i = 0; i < chars.length; i++) TABLE[chars.charCodeAt(i)] |= flags;
}

const ALPHANUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MARK = "-_.!~*'()";
mark(ALPHANUM, TOKEN | WORD | USER | PASSWORD | PARAM | HNV | URIC);
mark("-.!%*_+`'~", TOKEN | WORD);
mark('()<>:\\"/[]?{}', WORD);
mark(MARK, USER | PASSWORD | PARAM | HNV | URIC);
mark('&=+$,;?/', USER);
mark('&=+$,', PASSWORD);
mark('[]/:&+$', PARAM);
mark('[]/?:+$', HNV);
mark(';/?:@&=+$,%[]#', URIC);
mark(ALPHANUM + "-.!%*_+`'~:[]", GEN_VALUE);
mark(ALPHANUM + '-_', LABEL);
mark('0123456789abcdefABCDEF*#-.()', PHONE);

/** Whether the UTF-16 code unit `c` is ASCII and in every class of `flags`. */
export function is(c: number, flags: number): boolean {
  return (TABLE[c] & flags) === flags;
}

/** SP or HTAB: the WSP of RFC 3261 §25.1 (folding is already replaced by SP when values are read). */
export function isWsp(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Index of the first character at or after `i` that is not WSP, or `end`. */
export function skipWsp(s: string, i: number, end: number): number {
  while (i < end && isWsp(s.charCodeAt(i))) i++;
  return i;
}

/** Index after the run of characters of class `flags` that starts at `i`, at most `end`. A table
 * loop: the runs of a SIP message are short, and a sticky regular expression's exec call costs
 * more than the scan it saves. */
export function skipClass(s: string, i: number, end: number, flags: number): number {
  while (i < end && (TABLE[s.charCodeAt(i)] & flags) === flags) i++;
  return i;
}

/** Whether the whole of `s` is a non-empty run of class `flags`. */
export function isAll(s: string, flags: number): boolean {
  return s.length > 0 && skipClass(s, 0, s.length, flags) === s.length;
}

/** `s` without leading and trailing SP/HTAB. String#trim is not used: it also strips U+FEFF and
 * other Unicode spaces, which are content in a SIP header value (RFC 4475 §3.1.1.2 starts one). */
export function trimWsp(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isWsp(s.charCodeAt(start))) start++;
  while (end > start && isWsp(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** A short, printable excerpt of untrusted input s[start, end) for an error message. */
export function excerpt(s: string, start = 0, end = s.length): string {
  return JSON.stringify(end - start > 60 ? `${s.slice(start, start + 60)}…` : s.slice(start, end));
}

/** Parses 1*DIGIT in s[start, end) as a number, or returns -1 when it is not all digits or has
 * more than `maxDigits` significant digits (so an overlarge value never loses precision silently).
 * Leading zeros are allowed (RFC 4475 §3.1.1.1 sends `Max-Forwards: 0068`). */
export function parseDigits(s: string, start: number, end: number, maxDigits: number): number {
  if (start >= end) return -1;
  while (end - start > 1 && s.charCodeAt(start) === 0x30) start++;
  if (end - start > maxDigits) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + (c - 0x30);
  }
  return n;
}
