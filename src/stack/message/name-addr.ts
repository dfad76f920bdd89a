/**
 * An address with header parameters: the value of From, To, Contact, Route, Record-Route, Reply-To
 * and similar fields (RFC 3261 §20.10, §25.1):
 *
 *   ( name-addr / addr-spec ) *( SEMI generic-param )
 *   name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
 *   display-name = *(token LWS) / quoted-string
 *
 * Immutable; a parsed value writes back its exact source text, so escapes, quoting and spacing
 * survive a round trip. A built value is always written in name-addr form (`<...>`), which RFC
 * 3261 §20.10 requires whenever the URI has parameters and allows always.
 */
import { TOKEN, is, isWsp } from './chars';
import { readList } from './list';
import { formatHeaderParams, toHeaderParams, withParam } from './params';
import type { ParamsInit } from './params';
import { Scanner, quote, unquote } from './scanner';
import type { Params } from './param-map';
import { fail } from './sip-parse-error';
import { readUri, parseUri } from './uri';
import type { Uri } from './uri';

export interface NameAddrInit {
  /** Display name, unquoted and unescaped; quoted and escaped when written. */
  displayName?: string;
  /** Header parameters (`tag`, `expires`, `q`, `lr`, ...), values in wire form or plain text. */
  params?: ParamsInit;
}

export class NameAddr {
  readonly uri: Uri;
  /** The display name unquoted and unescaped, or undefined when there is none. */
  readonly displayName: string | undefined;
  /** Header parameters by lower-case name; a quoted value keeps its quotes. */
  readonly params: Params;
  #text: string | undefined;

  /** @param source the exact text this value was parsed from (used by the parser only). */
  constructor(uri: Uri | string, init: NameAddrInit = {}, source?: string) {
    this.uri = typeof uri === 'string' ? parseUri(uri) : uri;
    this.displayName = init.displayName;
    this.#text = source;
    this.params =
      source === undefined
        ? toHeaderParams(init.params)
        : ((init.params as Params | undefined) ?? toHeaderParams(undefined));
    // rejects CR/LF now, not at send time
    if (source === undefined && this.displayName !== undefined) quote(this.displayName);
  }

  /** The `tag` parameter (From and To, RFC 3261 §19.3). */
  get tag(): string | undefined {
    return this.params.get('tag') ?? undefined;
  }

  /** The `expires` parameter in seconds (Contact, RFC 3261 §20.10), when it is a valid delta-seconds. */
  get expires(): number | undefined {
    return deltaSeconds(this.params.get('expires'));
  }

  /** The `q` parameter (Contact preference, RFC 3261 §20.10), when present and valid. */
  get q(): number | undefined {
    const value = this.params.get('q');
    if (value == null || !/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value)) return undefined;
    return Number(value);
  }

  /** A copy with some parts replaced. */
  with(changes: { uri?: Uri | string; displayName?: string | undefined; params?: ParamsInit }): NameAddr {
    return new NameAddr(changes.uri ?? this.uri, {
      displayName: 'displayName' in changes ? changes.displayName : this.displayName,
      params: changes.params ?? this.params,
    });
  }

  /** A copy with header parameter `name` set (`null`: no value) or, given `undefined`, removed. */
  withParam(name: string, value: string | null | undefined): NameAddr {
    return this.with({ params: withParam(this.params, name, value) });
  }

  withTag(tag: string): NameAddr {
    return this.withParam('tag', tag);
  }

  toString(): string {
    if (this.#text !== undefined) return this.#text;
    const name = this.displayName === undefined ? '' : `${quote(this.displayName)} `;
    this.#text = `${name}<${this.uri}>${formatHeaderParams(this.params)}`;
    return this.#text;
  }
}

/** delta-seconds (RFC 3261 §25.1): 1*DIGIT, at most 2**32-1; anything else reads as undefined. */
function deltaSeconds(value: string | null | undefined): number | undefined {
  if (value == null || value.length === 0 || value.length > 10) return undefined;
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) < 0x30 || value.charCodeAt(i) > 0x39) return undefined;
  const n = Number(value);
  return n <= 0xffffffff ? n : undefined;
}

/** Collapses the LWS between display-name tokens to single spaces. */
function tokensDisplayName(s: string, start: number, end: number): string {
  while (end > start && isWsp(s.charCodeAt(end - 1))) end--;
  // Whole tokens sliced and joined: one concatenation per character made a string of as many
  // pieces, whose collection made a long unquoted display name cost more than linear time.
  const tokens: string[] = [];
  let i = start;
  while (i < end) {
    while (i < end && isWsp(s.charCodeAt(i))) i++;
    const from = i;
    while (i < end && !isWsp(s.charCodeAt(i))) i++;
    if (i > from) tokens.push(s.slice(from, i));
  }
  return tokens.join(' ');
}

/** Where an addr-spec written without `<>` ends: RFC 3261 §20.10 puts `,` `;` `?` inside brackets only. */
function addrSpecEnd(s: string, i: number, end: number): number {
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3b || c === 0x2c || c === 0x3f || c === 0x20 || c === 0x09) return i;
  }
  return end;
}

/**
 * Reads one value at the scanner, up to the end or (when `list`) a comma. With `bracketsOnly`,
 * only the name-addr form is accepted (Route and Record-Route, RFC 3261 §20.30, §20.34).
 */
function readNameAddr(sc: Scanner, list: boolean, bracketsOnly: boolean): NameAddr {
  const { s } = sc;
  sc.wsp();
  const start = sc.i;
  let displayName: string | undefined;
  if (sc.peek() === 0x22) {
    displayName = unquote(sc.quoted());
    sc.wsp();
    if (sc.peek() !== 0x3c) fail('a quoted display name must be followed by <URI>');
  } else if (sc.peek() !== 0x3c) {
    let j = sc.i;
    while (j < sc.end && (is(s.charCodeAt(j), TOKEN) || isWsp(s.charCodeAt(j)))) j++;
    if (j < sc.end && s.charCodeAt(j) === 0x3c) {
      displayName = tokensDisplayName(s, sc.i, j);
      sc.i = j;
    }
  }
  let uri: Uri;
  if (sc.peek() === 0x3c) {
    const close = s.indexOf('>', sc.i + 1);
    if (close < 0 || close >= sc.end) fail('missing ">" after the URI');
    // LAQUOT/RAQUOT allow whitespace outside the brackets only (RFC 4475 §3.1.2.14).
    if (isWsp(s.charCodeAt(sc.i + 1)) || isWsp(s.charCodeAt(close - 1))) fail('whitespace inside <> around the URI');
    uri = readUri(s, sc.i + 1, close);
    sc.i = close + 1;
  } else {
    if (bracketsOnly) fail('the address must be enclosed in <>');
    const uriEnd = addrSpecEnd(s, sc.i, sc.end);
    if (s.charCodeAt(uriEnd) === 0x3f) fail('a URI with headers must be enclosed in <> (RFC 3261 §20)');
    try {
      if (uriEnd === sc.i) fail(sc.done ? 'missing address' : `unexpected ${sc.describe()}`);
      uri = readUri(s, sc.i, uriEnd);
    } catch (error) {
      // Only on failure, so that a long list of addr-specs is not rescanned once per element.
      const lt = s.indexOf('<', sc.i);
      const comma = list ? s.indexOf(',', sc.i) : -1;
      if (lt >= 0 && lt < sc.end && (comma < 0 || lt < comma)) {
        fail('an unquoted display name may only hold tokens (RFC 3261 §25.1)');
      }
      throw error;
    }
    sc.i = uriEnd;
  }
  const params = sc.params();
  const end = sc.i;
  sc.expectEnd(list);
  return new NameAddr(uri, { displayName, params }, s.slice(start, end));
}

/** Parses a single-valued address field (From, To, Reply-To, Refer-To, ...) in value[start, end). */
export function parseNameAddr(value: string, start = 0, end = value.length): NameAddr {
  return readNameAddr(new Scanner(value, start, end), false, false);
}

function readRoute(sc: Scanner): NameAddr {
  return readNameAddr(sc, true, true);
}

function readContact(sc: Scanner): NameAddr {
  if (sc.peek() === 0x2a) fail('"*" must be the only Contact value');
  return readNameAddr(sc, true, false);
}

/** Parses Route or Record-Route: `<URI>` entries only. */
export function parseRouteList(value: string, start = 0, end = value.length): NameAddr[] {
  return readList(value, start, end, readRoute);
}

/** The wildcard Contact of a REGISTER that removes every binding (RFC 3261 §10.2.2). */
export type ContactWildcard = '*';

/** Parses Contact: `*` alone, or a list of addresses (RFC 3261 §20.10). */
export function parseContactList(value: string, start = 0, end = value.length): Array<NameAddr | ContactWildcard> {
  if (end - start === 1 && value.charCodeAt(start) === 0x2a) return ['*'];
  return readList<NameAddr | ContactWildcard>(value, start, end, readContact);
}
