/**
 * RFC 3261 §25.1 `host = hostname / IPv4address / IPv6reference`, with IPv6 text forms checked
 * against RFC 4291 §2.2 rather than RFC 3261's ABNF, which wrongly admits `2001:db8:::192.0.2.1`
 * (RFC 5118 §4.10). An IPv6 host keeps its brackets, as RFC 3261's `host` and WHATWG URL's
 * `hostname` both do.
 */
import { LABEL, is, isDigit, parseDigits, skipClass, excerpt } from './chars';
import { fail } from './sip-parse-error';

function isHex(c: number): boolean {
  return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

/** Index after the dotted-quad IPv4 address (1*3DIGIT, each at most 255) at `start`, or -1. */
function ipv4End(s: string, start: number, end: number): number {
  let i = start;
  for (let octets = 1; ; octets++) {
    let value = 0;
    const first = i;
    while (i < end && isDigit(s.charCodeAt(i)) && i - first < 3) value = value * 10 + s.charCodeAt(i++) - 0x30;
    if (i === first || value > 255) return -1;
    if (octets === 4) return i;
    if (i >= end || s.charCodeAt(i) !== 0x2e) return -1;
    i++;
  }
}

/** Whether s[start, end) is a dotted-quad IPv4 address. */
export function isIPv4(s: string, start: number, end: number): boolean {
  return ipv4End(s, start, end) === end;
}

/** Whether s[start, end) is an IPv6 address in RFC 4291 §2.2 text form (no brackets). */
export function isIPv6(s: string, start: number, end: number): boolean {
  let i = start;
  let groups = 0;
  let compressed = false;
  if (end - start < 2) return false;
  if (s.charCodeAt(i) === 0x3a) {
    if (s.charCodeAt(i + 1) !== 0x3a) return false;
    compressed = true;
    i += 2;
    if (i === end) return true;
  }
  for (;;) {
    let j = i;
    while (j < end && isHex(s.charCodeAt(j)) && j - i < 5) j++;
    if (j < end && s.charCodeAt(j) === 0x2e) {
      // RFC 4291 §2.2 form 3: the low 32 bits as an IPv4 address, only at the end.
      if (!isIPv4(s, i, end)) return false;
      groups += 2;
      break;
    }
    if (j === i || j - i > 4) return false;
    groups++;
    i = j;
    if (i === end) break;
    if (s.charCodeAt(i) !== 0x3a) return false;
    i++;
    if (i < end && s.charCodeAt(i) === 0x3a) {
      if (compressed) return false;
      compressed = true;
      i++;
      if (i === end) break;
    } else if (i === end) {
      return false;
    }
  }
  return compressed ? groups <= 7 : groups === 8;
}

/**
 * Reads the host that starts at `start` and returns the index after it.
 * @throws SipParseError when there is no valid host there.
 */
export function scanHost(s: string, start: number, end: number): number {
  if (s.charCodeAt(start) === 0x5b) {
    const close = s.indexOf(']', start);
    if (close < 0 || close >= end) fail('IPv6 reference without "]"');
    if (!isIPv6(s, start + 1, close)) {
      fail(`invalid IPv6 address ${excerpt(s, start + 1, close)}`);
    }
    return close + 1;
  }
  // An IPv4 address (most hosts in the wild) is read at once, when nothing that could continue a
  // hostname follows it.
  if (isDigit(s.charCodeAt(start))) {
    const stop = ipv4End(s, start, end);
    if (stop > 0 && (stop >= end || (!is(s.charCodeAt(stop), LABEL) && s.charCodeAt(stop) !== 0x2e))) return stop;
  }
  // hostname = *( domainlabel "." ) toplabel [ "." ]: labels joined by single dots ("_" is not in
  // the ABNF but common in the wild, so it is accepted).
  let i = start;
  let label = start;
  for (;;) {
    const from = i;
    i = skipClass(s, i, end, LABEL);
    if (i === from) {
      if (i === start) fail('missing host');
      break; // the dot before was a trailing one
    }
    label = from;
    if (i >= end || s.charCodeAt(i) !== 0x2e) break;
    i++;
  }
  // toplabel starts with ALPHA, so a name whose last label starts with a digit must be an IPv4 address.
  const last = s.charCodeAt(i - 1) === 0x2e ? i - 1 : i;
  if (isDigit(s.charCodeAt(last - 1)) && isDigit(s.charCodeAt(label)) && !isIPv4(s, start, last)) {
    fail(`invalid host ${excerpt(s, start, i)}`);
  }
  return i;
}

/** Whether `port` can be written as a port number: an integer from 0 to 65535. */
export function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= 65535;
}

/** The port number written as s[start, end). @throws SipParseError when it is not one. */
export function parsePort(s: string, start: number, end: number): number {
  const port = parseDigits(s, start, end, 5);
  if (!isPort(port)) fail(`invalid port ${excerpt(s, start, end)}`);
  return port;
}

/** Validates a whole host string (bracketed IPv6, IPv4 or hostname) given by code building a message. */
export function isHost(host: string): boolean {
  try {
    return host.length > 0 && scanHost(host, 0, host.length) === host.length;
  } catch {
    return false;
  }
}
