/**
 * The answer to a request that could not be parsed. RFC 3261 §8.2 (and §16.3 step 1 for a proxy)
 * says a malformed request gets a 400 rather than silence, and the client can only match that
 * answer to its transaction (§17.1.3: Via branch and CSeq method) if those fields come back. So the
 * head of the broken message is searched, line by line, for the five fields a response copies
 * (§8.2.6.2); a request without even a Via cannot be matched and is dropped instead. Values are
 * copied as text, never parsed: they may be the very thing that was malformed.
 */

/** RFC 3261 §7.1 Request-Line, loosely: a token, something, and a SIP version. */
const REQUEST_LINE = /^([!%'*+\-.0-9A-Z_`a-z~]+) \S+ SIP\/\d+\.\d+$/;
// Field names that a response copies, by every spelling (compact forms, RFC 3261 §7.3.3).
const COPIED: Readonly<Record<string, string>> = {
  via: 'Via',
  v: 'Via',
  from: 'From',
  f: 'From',
  to: 'To',
  t: 'To',
  'call-id': 'Call-ID',
  i: 'Call-ID',
  cseq: 'CSeq',
};
/** Far enough for any real header section; garbage is not searched to its end. */
const MAX_HEAD = 16_384;

export interface UnparsedAnswer {
  readonly status: number;
  readonly reason: string;
  /** Why, for the Warning header (RFC 3261 §20.43, code 399: miscellaneous). */
  readonly detail: string;
  /** The host named in the Warning header. */
  readonly agent: string;
  /** A To tag for the response (§8.2.6.2). */
  readonly toTag: string;
}

/** The response text, or undefined when the input is no request or cannot be matched (no Via). */
export function answerUnparsedRequest(text: string, answer: UnparsedAnswer): string | undefined {
  const head = text.slice(0, MAX_HEAD).replace(/^(?:\r?\n)+/, '');
  const lines = head.split(/\r?\n/);
  const requestLine = REQUEST_LINE.exec(lines[0] ?? '');
  // No response to an ACK, ever (§17.1.1.3, §17.2.1); and responses are never answered.
  if (!requestLine || requestLine[1] === 'ACK') return undefined;
  const copied: string[] = [];
  const seen = new Set<string>();
  for (const line of lines.slice(1)) {
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = COPIED[line.slice(0, colon).trim().toLowerCase()];
    const value = line.slice(colon + 1).trim();
    if (name === undefined || value === '' || hasControl(value)) continue;
    if (name !== 'Via' && seen.has(name)) continue;
    seen.add(name);
    copied.push(`${name}: ${name === 'To' && !/;\s*tag=/i.test(value) ? `${value};tag=${answer.toTag}` : value}`);
  }
  if (!seen.has('Via')) return undefined;
  const detail = answer.detail.replace(/[^\x20-\x7e]|["\\]/g, '?').slice(0, 200);
  return [
    `SIP/2.0 ${answer.status} ${answer.reason}`,
    ...copied,
    `Warning: 399 ${answer.agent} "${detail}"`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** Control characters other than HTAB cannot be copied into a header field (RFC 3261 §25.1). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}
