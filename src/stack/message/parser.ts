/**
 * `parseMessage`: SIP message text or octets to a SipRequest or SipResponse (RFC 3261 §7).
 *
 * One forward pass over the header section: lines are found with indexOf, character runs with
 * sticky regular expressions of a single character class each (no backtracking), and each field
 * of the contract (Via, From, To, Call-ID, CSeq, Contact, Content-Length) and Max-Forwards and
 * Expires is read and checked as its line is met; Route and Record-Route when first used. Other
 * fields are kept as text. Malformed input throws SipParseError naming the problem; a
 * well-formed message that a UAS must still refuse parses with `problems` naming the status to
 * answer (505, 416, 400), so the UA can answer instead of dropping it.
 */
import { AbsoluteUri } from './absolute-uri';
import { TOKEN, excerpt, isAll, isDigit, isWsp, skipWsp } from './chars';
import { knownHeaderKey } from './header-names';
import { adoptParsedFields } from './sip-message';
import type { HeaderField, SipProblem } from './sip-message';
import { SipParseError, fail } from './sip-parse-error';
import { SipRequest } from './sip-request';
import { SipResponse } from './sip-response';
import { SipUri } from './sip-uri';
import type { CSeq } from './cseq';
import type { ContactWildcard, NameAddr } from './name-addr';
import type { Via } from './via';
import {
  CALL_ID,
  CONTENT_LENGTH,
  CONTACT,
  CSEQ,
  EXPIRES,
  FROM,
  MAX_FORWARDS,
  RECORD_ROUTE,
  ROUTE,
  TO,
  VIA,
  fieldBit,
  parseField,
} from './structured-headers';
import { readUri } from './uri';
import { utf8Advance, utf8Decode, utf8Length } from './utf8';

/**
 * Parses one SIP message. Text is what a WebSocket text frame holds; octets (a binary frame or a
 * datagram) keep a binary body exact. Octets after the Content-Length are discarded (RFC 3261
 * §18.3); without Content-Length the body is the rest of the input, as the transport frames it.
 *
 * @throws SipParseError, and nothing else, when the input is not a well-formed SIP message.
 */
export function parseMessage(input: string | Uint8Array): SipRequest | SipResponse {
  try {
    return typeof input === 'string' ? parseText(input) : parseOctets(input);
  } catch (error) {
    if (error instanceof SipParseError) throw error;
    // Malformed input never throws anything else out of the stack (ARCHITECTURE.md); `cause`
    // tells this parser bug apart from a reasoned rejection.
    throw new SipParseError(`could not parse the message: ${String(error)}`, { cause: error });
  }
}

interface Head {
  message: SipRequest | SipResponse;
  /** Index in the text where the body starts. */
  bodyStart: number;
  contentLength: number | undefined;
}

/** RFC 3261 §7.5: CRLFs before the start line are ignored (stream keep-alives). */
function skipBlankLines(text: string): number {
  let i = 0;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i += 2;
    else if (c === 0x0a) i++;
    else return i;
  }
}

function parseText(text: string): SipRequest | SipResponse {
  const head = parseHead(text, skipBlankLines(text));
  const { message, bodyStart, contentLength } = head;
  if (contentLength === undefined) {
    message.body = text.slice(bodyStart);
    return message;
  }
  // Content-Length counts octets: walk the UTF-8 length, not UTF-16 code units.
  const end = utf8Advance(text, bodyStart, contentLength);
  if (end === -1) {
    fail(`Content-Length ${contentLength} exceeds the ${utf8Length(text, bodyStart)}-byte body`);
  }
  if (end === -2) fail(`Content-Length ${contentLength} ends inside a UTF-8 character of the body`);
  message.body = text.slice(bodyStart, end);
  return message;
}

function parseOctets(octets: Uint8Array): SipRequest | SipResponse {
  let start = 0;
  while (octets[start] === 0x0a || (octets[start] === 0x0d && octets[start + 1] === 0x0a))
    start += octets[start] === 0x0a ? 1 : 2;
  // The header section ends at the first empty line; decode only it, the body stays octets.
  let headEnd = octets.length;
  for (let i = start; ;) {
    const lf = octets.indexOf(0x0a, i);
    if (lf < 0) break;
    if (octets[lf + 1] === 0x0a) {
      headEnd = lf + 2;
      break;
    }
    if (octets[lf + 1] === 0x0d && octets[lf + 2] === 0x0a) {
      headEnd = lf + 3;
      break;
    }
    i = lf + 1;
  }
  const { message, contentLength } = parseHead(utf8Decode(octets, start, headEnd), 0);
  const available = octets.length - headEnd;
  if (contentLength !== undefined && contentLength > available) {
    fail(`Content-Length ${contentLength} exceeds the ${available}-byte body`);
  }
  // A copy: Node's Buffer#slice shares memory, and a transport may reuse its buffer.
  message.body = new Uint8Array(octets.subarray(headEnd, headEnd + (contentLength ?? available)));
  return message;
}

function isSipVersion(text: string, start: number, end: number): boolean {
  if (end - start < 7 || !startsWithSip(text, start)) return false;
  let i = start + 4;
  const major = i;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  if (i === major || text.charCodeAt(i) !== 0x2e) return false;
  const minor = ++i;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  return i > minor && i === end;
}

/** Status-Line (RFC 3261 §7.2): `SIP-Version SP Status-Code SP Reason-Phrase`. */
function parseStatusLine(text: string, start: number, end: number): SipResponse {
  const space = text.indexOf(' ', start);
  if (space < 0 || space > end || !isSipVersion(text, start, space)) {
    fail(`malformed Status-Line ${excerpt(text, start, end)}`);
  }
  const version = `SIP/${text.slice(start + 4, space)}`;
  // A response with another version cannot be answered, only dropped.
  if (version !== 'SIP/2.0') throw new SipParseError(`unsupported version ${version} in a response`, { status: 505 });
  let i = space + 1;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  const code = text.slice(space + 1, i);
  if (code.length !== 3 || code < '100' || code > '699') {
    fail(`status code ${excerpt(code || text.slice(space + 1, end))} is not a three-digit code from 100 to 699`);
  }
  // RFC 4475 §3.1.1.13: the Reason-Phrase may be empty; a missing SP before it is tolerated.
  if (i < end && text.charCodeAt(i) !== 0x20) fail(`unexpected ${excerpt(text[i])} after the status code`);
  return new SipResponse(Number(code), i < end ? text.slice(i + 1, end) : '');
}

/** Request-Line (RFC 3261 §7.1): `Method SP Request-URI SP SIP-Version`, single spaces only. */
function parseRequestLine(text: string, start: number, end: number): SipRequest {
  const first = text.indexOf(' ', start);
  // The SIP-Version is nearly always SIP/2.0: found without a backward search.
  const last =
    end - 8 >= start && text.charCodeAt(end - 8) === 0x20 && text.startsWith('SIP/2.0', end - 7)
      ? end - 8
      : text.lastIndexOf(' ', end - 1);
  if (first < 0 || first >= end || last === first) {
    fail(`start line ${excerpt(text, start, end)} is neither a Request-Line nor a Status-Line`);
  }
  const method = text.slice(start, first);
  if (!isAll(method, TOKEN)) fail(`invalid method ${excerpt(method)}`);
  // RFC 4475 §3.1.2.9-10: extra SP around the elements is malformed; rejecting it is allowed.
  if (last === end - 1) fail('whitespace at the end of the Request-Line');
  if (text.charCodeAt(first + 1) === 0x20 || text.charCodeAt(last - 1) === 0x20) {
    fail('more than one SP between Request-Line elements');
  }
  if (!isSipVersion(text, last + 1, end)) fail(`malformed SIP-Version ${excerpt(text, last + 1, end)}`);
  // RFC 4475 §3.1.2.8: LWS inside the Request-URI (a tab fails the URI grammar below).
  if (text.indexOf(' ', first + 1) !== last) {
    fail(`whitespace inside the Request-URI ${excerpt(text, first + 1, last)}`);
  }
  let uri;
  try {
    // Read in place: the scanners run fastest on the message text itself rather than on a slice.
    uri = readUri(text, first + 1, last);
  } catch (error) {
    fail(`invalid Request-URI ${excerpt(text, first + 1, last)}: ${(error as Error).message}`);
  }
  const request = new SipRequest(method, uri);
  request.version = `SIP/${text.slice(last + 5, end)}`;
  return request;
}

/** Whether `SIP/` (any case) starts at `start`: a Status-Line does, and every SIP-Version. */
function startsWithSip(text: string, start: number): boolean {
  return (
    (text.charCodeAt(start) | 0x20) === 0x73 &&
    (text.charCodeAt(start + 1) | 0x20) === 0x69 &&
    (text.charCodeAt(start + 2) | 0x20) === 0x70 &&
    text.charCodeAt(start + 3) === 0x2f
  );
}

// A line break and the whitespace after it; a CR that no LF follows.
const FOLD = /\r?\n[ \t]*/g;
const BARE_CR = /\r(?!\n)/;

/** Replaces each line break of a folded value, and the whitespace after it, by one SP (RFC 3261 §7.3.1). */
function unfold(text: string, start: number, end: number): string {
  const raw = text.slice(start, end);
  if (BARE_CR.test(raw)) fail('CR without LF in a header field');
  const out = raw.replace(FOLD, ' ');
  // The value may start on a continuation line ("Contact:" CRLF SP "<sip:...>").
  return out.slice(skipWsp(out, 0, out.length));
}

// Fields that may appear once at most, and those whose fault is reported rather than thrown.
const ONCE = FROM | TO | CALL_ID | CSEQ | CONTENT_LENGTH | MAX_FORWARDS | EXPIRES;
const SOFT = MAX_FORWARDS | EXPIRES;
const LAZY = ROUTE | RECORD_ROUTE;
// RFC 3261 §8.1.1: the fields every request (and so every response) carries.
const REQUIRED: ReadonlyArray<readonly [number, string]> = [
  [VIA, 'Via'],
  [FROM, 'From'],
  [TO, 'To'],
  [CALL_ID, 'Call-ID'],
  [CSEQ, 'CSeq'],
];
const REQUIRED_MASK = VIA | FROM | TO | CALL_ID | CSEQ;

/** Reads the start line and header section at `start`. */
function parseHead(text: string, start: number): Head {
  const length = text.length;
  const firstLf = text.indexOf('\n', start);
  if (firstLf < 0) fail(text.length === start ? 'empty message' : 'no line break after the start line');
  const startLineEnd = firstLf > start && text.charCodeAt(firstLf - 1) === 0x0d ? firstLf - 1 : firstLf;
  const cr = text.indexOf('\r', start);
  if (cr >= 0 && cr < startLineEnd) fail('CR without LF in the start line');
  const message = startsWithSip(text, start)
    ? parseStatusLine(text, start, startLineEnd)
    : parseRequestLine(text, start, startLineEnd);

  const fields: HeaderField[] = [];
  const problems: SipProblem[] = message.problems;
  let seen = 0;
  let contentLength: number | undefined;
  let via: Via[] | undefined;
  let contact: Array<NameAddr | ContactWildcard> | undefined;
  let fromValue: unknown;
  let toValue: unknown;
  let callId: unknown;
  let cseq: unknown;
  let pos = firstLf + 1;
  let bodyStart = length; // a message-framed transport may end the message without the empty line
  let line = 1;
  while (pos < length) {
    line++;
    const c = text.charCodeAt(pos);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(pos + 1) === 0x0a)) {
      bodyStart = pos + (c === 0x0a ? 1 : 2);
      break;
    }
    if (isWsp(c)) fail(`line ${line} starts with whitespace but continues no header field`);
    let lf = text.indexOf('\n', pos);
    if (lf < 0) lf = length;
    let lineEnd = text.charCodeAt(lf - 1) === 0x0d ? lf - 1 : lf;
    const colon = text.indexOf(':', pos);
    if (colon < 0 || colon >= lineEnd) fail(`line ${line} is not a header field: ${excerpt(text, pos, lineEnd)}`);
    let nameEnd = colon;
    while (nameEnd > pos && isWsp(text.charCodeAt(nameEnd - 1))) nameEnd--;
    const name = text.slice(pos, nameEnd);
    const valueStart = skipWsp(text, colon + 1, lineEnd);
    // RFC 3261 §7.3.1: a line starting with SP or HTAB continues the field above (folding).
    let next = lf + 1;
    let folded = false;
    while (next < length && isWsp(text.charCodeAt(next))) {
      folded = true;
      line++;
      lf = text.indexOf('\n', next);
      if (lf < 0) lf = length;
      lineEnd = text.charCodeAt(lf - 1) === 0x0d ? lf - 1 : lf;
      next = lf + 1;
    }
    let valueEnd = lineEnd;
    while (valueEnd > valueStart && isWsp(text.charCodeAt(valueEnd - 1))) valueEnd--;
    // Typed values are read in place: scanning the message text itself is faster than scanning a slice of it.
    let value: string;
    let source = text;
    let from = valueStart;
    let to = valueEnd;
    if (folded) {
      value = source = unfold(text, valueStart, valueEnd);
      from = 0;
      to = value.length;
    } else {
      value = text.slice(valueStart, valueEnd);
    }
    pos = next;

    let key = knownHeaderKey(name);
    if (key === undefined) {
      if (!isAll(name, TOKEN)) fail(`invalid header field name ${excerpt(name)} in line ${line}`);
      key = name.toLowerCase();
    }
    let parsed: unknown;
    const bit = fieldBit(key);
    // Route and Record-Route are read when first used (see SipMessage#list): parseMessage checks
    // the fields of its contract, and a UA reads a route set only when it makes a dialog.
    if (bit === 0 || (bit & LAZY) !== 0) {
      // A CR not ending the line would let a forwarded value start a new header field. Typed
      // fields reject it in their grammar; fields kept as text are checked here.
      if (!folded && value.indexOf('\r') >= 0) fail(`CR without LF in line ${line}`);
    } else {
      try {
        parsed = parseField(bit, source, from, to);
      } catch (error) {
        if (!(error instanceof SipParseError)) throw error;
        if ((bit & SOFT) === 0) fail(`invalid ${name} header field ${excerpt(value)}: ${error.message}`);
        // RFC 4475 §3.1.2.4: a receiver may answer 400 or read these as absent (or as the default expiry).
        problems.push({ status: 400, reason: `invalid ${name}: ${error.message}` });
      }
      if (seen & bit & ONCE) {
        // Several would make the message ambiguous (RFC 4475 §3.3.8-9).
        if ((bit & SOFT) === 0) fail(`more than one ${name} header field`);
        problems.push({ status: 400, reason: `more than one ${name} header field` });
      }
      seen |= bit;
      // Appended in place: copying the list for every line made many Via or Contact lines quadratic.
      if (bit === VIA) via = appendAll(via, parsed as Via[]);
      else if (bit === FROM) fromValue = parsed;
      else if (bit === TO) toValue = parsed;
      else if (bit === CALL_ID) callId = parsed;
      else if (bit === CSEQ) cseq = parsed;
      else if (bit === CONTACT) contact = appendAll(contact, parsed as NameAddr[]);
      else if (bit === CONTENT_LENGTH) contentLength = parsed as number;
    }
    fields.push({ name, key, value, parsed });
  }
  if ((seen & REQUIRED_MASK) !== REQUIRED_MASK) {
    const missing = REQUIRED.filter(([bit]) => (seen & bit) === 0).map(([, name]) => name);
    fail(`missing ${missing.join(', ')} header field${missing.length > 1 ? 's' : ''}`);
  }
  adoptParsedFields(
    message,
    fields,
    via as Via[],
    fromValue as NameAddr,
    toValue as NameAddr,
    callId as string,
    cseq as CSeq,
    contact,
  );
  if (message instanceof SipRequest) checkRequest(message, problems);
  return { message, bodyStart, contentLength };
}

/**
 * `items` appended to `list`, one push each, so that n lines cost O(n) in all. The first line's
 * array is copied, not adopted: it is also that field's own parsed value.
 */
function appendAll<T>(list: T[] | undefined, items: readonly T[]): T[] {
  if (list === undefined) return [...items];
  for (const item of items) list.push(item);
  return list;
}

/** Request faults that a UAS answers rather than drops; the most fundamental comes first. */
function checkRequest(request: SipRequest, problems: SipProblem[]): void {
  const found: SipProblem[] = [];
  // RFC 3261 §8.2.2.1 / RFC 4475 §3.1.2.16: a version the UAS does not speak.
  if (request.version !== 'SIP/2.0')
    found.push({ status: 505, reason: `SIP version ${request.version} is not supported` });
  const uri = request.uri;
  // RFC 3261 §8.2.2.1 / RFC 4475 §3.3.2-3: only SIP, SIPS and tel URIs are understood.
  if (uri instanceof AbsoluteUri) found.push({ status: 416, reason: `unsupported URI scheme "${uri.scheme}"` });
  // RFC 3261 §19.1.1 (Table 1) / RFC 4475 §3.1.2.11: headers are not allowed in a Request-URI.
  if (uri instanceof SipUri && uri.headers.size > 0) {
    found.push({ status: 400, reason: 'the Request-URI carries headers (RFC 3261 §19.1.1)' });
  }
  // RFC 4475 §3.1.2.17-18: the CSeq method must be the request method.
  const cseq = request.cseq;
  if (cseq.method !== request.method) {
    found.push({
      status: 400,
      reason: `CSeq method ${cseq.method} does not match the request method ${request.method}`,
    });
  }
  if (found.length > 0) problems.unshift(...found);
}
