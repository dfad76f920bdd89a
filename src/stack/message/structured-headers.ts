/**
 * The header fields the message model exposes as typed values, and how each value is read. They
 * are read when a message is parsed or a field is set, so a malformed one is reported at once and
 * the typed accessors never fail later.
 */
import { WORD, parseDigits, skipClass, excerpt } from './chars';
import { parseCSeq } from './cseq';
import { parseContactList, parseNameAddr, parseRouteList } from './name-addr';
import { fail } from './sip-parse-error';
import { parseViaList } from './via';

/** Call-ID (RFC 3261 §20.8): `callid = word [ "@" word ]`. */
export function parseCallId(value: string, start = 0, end = value.length): string {
  let i = skipClass(value, start, end, WORD);
  if (i === start) fail(end === start ? 'empty Call-ID' : `invalid character ${excerpt(value[start])} in Call-ID`);
  if (i < end && value.charCodeAt(i) === 0x40) {
    const host = i + 1;
    i = skipClass(value, host, end, WORD);
    if (i === host) fail('Call-ID ends with "@"');
  }
  if (i < end) fail(`invalid character ${excerpt(value[i])} in Call-ID`);
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** A decimal field value of at most `max`, as Content-Length, Max-Forwards and Expires are. */
function parseNumber(value: string, start: number, end: number, max: number, maxDigits: number, what: string): number {
  const n = parseDigits(value, start, end, maxDigits);
  if (n < 0 || n > max) fail(`${what} ${excerpt(value, start, end)} is not a number from 0 to ${max}`);
  return n;
}

const MAX_CONTENT_LENGTH = 0xffffffff;

// One bit per typed field, so the parser tracks which it has met in a number.
export const VIA = 1;
export const FROM = 2;
export const TO = 4;
export const CALL_ID = 8;
export const CSEQ = 16;
export const CONTENT_LENGTH = 32;
export const MAX_FORWARDS = 64;
export const EXPIRES = 128;
export const CONTACT = 256;
export const ROUTE = 512;
export const RECORD_ROUTE = 1024;

/** The bit of a typed field, or 0 for a field kept as text only. */
export function fieldBit(key: string): number {
  // By length first: most fields of a message are not typed, and most lengths hold no typed key.
  switch (key.length) {
    case 2:
      return key === 'to' ? TO : 0;
    case 3:
      return key === 'via' ? VIA : 0;
    case 4:
      return key === 'from' ? FROM : key === 'cseq' ? CSEQ : 0;
    case 5:
      return key === 'route' ? ROUTE : 0;
    case 7:
      return key === 'call-id' ? CALL_ID : key === 'contact' ? CONTACT : key === 'expires' ? EXPIRES : 0;
    case 12:
      return key === 'max-forwards' ? MAX_FORWARDS : key === 'record-route' ? RECORD_ROUTE : 0;
    case 14:
      return key === 'content-length' ? CONTENT_LENGTH : 0;
    default:
      return 0;
  }
}

/**
 * Reads the typed value of the field with this key whose value is value[start, end); undefined for fields the model
 * keeps as text.
 * @throws SipParseError when the value is malformed.
 */
export function parseStructured(key: string, value: string, start = 0, end = value.length): unknown {
  const bit = fieldBit(key);
  return bit === 0 ? undefined : parseField(bit, value, start, end);
}

/** Reads the typed value of the field with this bit (not 0) from value[start, end). */
export function parseField(bit: number, value: string, start: number, end: number): unknown {
  switch (bit) {
    case VIA:
      return parseViaList(value, start, end);
    case FROM:
    case TO: {
      const address = parseNameAddr(value, start, end);
      if (address.params.get('tag') === null) fail('tag parameter without a value');
      return address;
    }
    case CALL_ID:
      return parseCallId(value, start, end);
    case CSEQ:
      return parseCSeq(value, start, end);
    case CONTACT:
      return parseContactList(value, start, end);
    case ROUTE:
    case RECORD_ROUTE:
      return parseRouteList(value, start, end);
    case CONTENT_LENGTH:
      return parseNumber(value, start, end, MAX_CONTENT_LENGTH, 10, 'Content-Length');
    case MAX_FORWARDS:
      // RFC 3261 §20.22: an integer in the range 0-255.
      return parseNumber(value, start, end, 255, 3, 'Max-Forwards');
    default:
      // EXPIRES, RFC 3261 §20.19: delta-seconds, 0 to 2**32-1.
      return parseNumber(value, start, end, 0xffffffff, 10, 'Expires');
  }
}
