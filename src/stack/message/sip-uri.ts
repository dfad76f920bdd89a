/**
 * SIP and SIPS URIs (RFC 3261 §19.1). Immutable: change one with `with()`, which keeps every
 * message that holds the old value consistent. User, password, parameters and headers are kept
 * unescaped (§19.1.4 compares them so) and escaped again when written; a parsed URI writes back
 * its exact source text.
 */
import { HNV, PARAM, PASSWORD, USER, isDigit, skipClass, excerpt } from './chars';
import { isHost, isPort, parsePort, scanHost } from './host';
import { escapeComponent, unescapeComponent } from './percent-encoding';
import { NO_PARAMS, ParamMap, entriesOf } from './param-map';
import { replaceParam } from './params';
import type { Params } from './param-map';
import { fail } from './sip-parse-error';

export interface SipUriInit {
  scheme?: 'sip' | 'sips';
  user?: string;
  password?: string;
  /** Host name, IPv4 address, or IPv6 address in brackets (`[2001:db8::1]`). */
  host: string;
  port?: number;
  /** uri-parameters, unescaped; `null` or `true` for a parameter without value (`lr`). */
  params?: Iterable<readonly [string, string | null]> | Readonly<Record<string, string | true | null | undefined>>;
  /** Headers carried in the URI (`?Route=...`), unescaped. */
  headers?: Iterable<readonly [string, string]> | Readonly<Record<string, string>>;
}

/** The shared empty header map, read-only so that no caller can change every URI's headers. */
class NoHeaders extends Map<string, string> {
  override set(): this {
    throw new TypeError('URI headers are read-only');
  }
}
const NO_HEADERS: ReadonlyMap<string, string> = new NoHeaders();

let deferParams: (uri: SipUri, start: number, end: number) => void;

export class SipUri {
  readonly scheme: 'sip' | 'sips';
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly host: string;
  /** The port, or undefined when the URI has none (the default then depends on the transport). */
  readonly port: number | undefined;
  readonly headers: ReadonlyMap<string, string>;
  #text: string | undefined;
  // A parsed URI's parameters were checked by the parser but are built into a map only when read:
  // most URIs in a message (Contact, Route, the Request-URI) are passed on, not taken apart.
  #params: Params | undefined;
  #paramsStart = 0;
  #paramsEnd = 0;

  /**
   * @param source the exact text this URI was parsed from (used by the parser only).
   * @throws RangeError on a host or port that cannot be written.
   */
  constructor(init: SipUriInit, source?: string) {
    this.scheme = init.scheme ?? 'sip';
    this.user = init.user;
    this.password = init.password;
    this.host = init.host;
    this.port = init.port;
    this.#text = source;
    if (source !== undefined) {
      this.#params = (init.params as Params | undefined) ?? NO_PARAMS;
      this.headers = (init.headers as ReadonlyMap<string, string> | undefined) ?? NO_HEADERS;
      return;
    }
    if (!isHost(this.host)) throw new RangeError(`invalid host ${excerpt(this.host)}`);
    if (this.port !== undefined && !isPort(this.port)) {
      throw new RangeError(`invalid port ${this.port}`);
    }
    if (this.user === '') throw new RangeError('the user part of a SIP URI cannot be empty');
    let params: ParamMap | undefined;
    for (const [name, value] of entriesOf(init.params ?? {})) {
      if (value === undefined) continue;
      if (name === '') throw new RangeError('empty URI parameter name');
      (params ??= new ParamMap()).add(name.toLowerCase(), value === null || value === true ? null : value);
    }
    this.#params = params ?? NO_PARAMS;
    const headers = new Map(entriesOf(init.headers ?? {}));
    this.headers = headers.size === 0 ? NO_HEADERS : headers;
  }

  static {
    deferParams = (uri, start, end) => {
      uri.#params = undefined;
      uri.#paramsStart = start;
      uri.#paramsEnd = end;
    };
  }

  /** uri-parameters by lower-case name, unescaped. */
  get params(): Params {
    if (this.#params === undefined) {
      const params = new ParamMap();
      readUriParams(this.#text as string, this.#paramsStart, this.#paramsEnd, params);
      this.#params = params;
    }
    return this.#params;
  }

  /** The `transport` parameter, lower case (`ws`, `wss`, `udp`, `tcp`, `tls`, `sctp`). */
  get transport(): string | undefined {
    return this.params.get('transport')?.toLowerCase();
  }

  /** A copy with some parts replaced; give `undefined` to remove an optional part. */
  with(changes: Partial<SipUriInit>): SipUri {
    return new SipUri({
      scheme: this.scheme,
      user: this.user,
      password: this.password,
      host: this.host,
      port: this.port,
      params: this.params,
      headers: this.headers,
      ...changes,
    });
  }

  /** A copy with parameter `name` set (`null`: no value) or, given `undefined`, removed. */
  withParam(name: string, value: string | null | undefined): SipUri {
    return this.with({ params: replaceParam(this.params, name.toLowerCase(), value) });
  }

  toString(): string {
    if (this.#text !== undefined) return this.#text;
    let out = `${this.scheme}:`;
    if (this.user !== undefined) {
      out += escapeComponent(this.user, USER);
      if (this.password !== undefined) out += `:${escapeComponent(this.password, PASSWORD)}`;
      out += '@';
    }
    out += this.host;
    if (this.port !== undefined) out += `:${this.port}`;
    for (const [name, value] of this.params) {
      out += `;${escapeComponent(name, PARAM)}`;
      if (value !== null) out += `=${escapeComponent(value, PARAM)}`;
    }
    let separator = '?';
    for (const [name, value] of this.headers) {
      out += `${separator}${escapeComponent(name, HNV)}=${escapeComponent(value, HNV)}`;
      separator = '&';
    }
    this.#text = out;
    return out;
  }
}

const STOP_SEMI = 1;
const STOP_QUESTION = 2;
const STOP_EQUALS = 4;
const STOP_AMP = 8;

/** Index of the first character in s[i, end) that is one of the `stops`, or `end`. */
function componentEnd(s: string, i: number, end: number, stops: number): number {
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (
      (c === 0x3b && stops & STOP_SEMI) ||
      (c === 0x3f && stops & STOP_QUESTION) ||
      (c === 0x3d && stops & STOP_EQUALS) ||
      (c === 0x26 && stops & STOP_AMP)
    ) {
      return i;
    }
  }
  return end;
}

/**
 * Parses s[start, end) as a SIP or SIPS URI whose scheme (already checked) ends at `colon`.
 * @throws SipParseError naming the first problem.
 */
export function parseSipUri(s: string, start: number, end: number, scheme: 'sip' | 'sips', colon: number): SipUri {
  let i = colon + 1;
  let user: string | undefined;
  let password: string | undefined;
  // RFC 3261 §25.1: neither the host nor the parameters may hold an unescaped "@", so the first
  // one ends the userinfo, whose user part may itself hold ";" and "?" (RFC 4475 §3.1.1.9).
  // One pass within the URI (indexOf would run on past its end, into the rest of the message).
  let at = -1;
  let userEnd = -1;
  for (let j = i; j < end; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x40) {
      at = j;
      break;
    }
    if (c === 0x3a && userEnd < 0) userEnd = j;
  }
  if (at >= 0) {
    if (userEnd < 0) userEnd = at;
    if (userEnd === i) fail('empty user part in SIP URI');
    user = unescapeComponent(s, i, userEnd, USER, 'SIP URI user part');
    if (userEnd < at) password = unescapeComponent(s, userEnd + 1, at, PASSWORD, 'SIP URI password');
    i = at + 1;
  }
  const hostEnd = scanHost(s, i, end);
  const host = s.slice(i, hostEnd);
  i = hostEnd;
  let port: number | undefined;
  if (i < end && s.charCodeAt(i) === 0x3a) {
    let j = i + 1;
    while (j < end && isDigit(s.charCodeAt(j))) j++;
    port = parsePort(s, i + 1, j);
    i = j;
  }
  const paramsStart = i;
  i = readUriParams(s, i, end, undefined);
  const paramsEnd = i;
  let headers: Map<string, string> | undefined;
  if (i < end && s.charCodeAt(i) === 0x3f) {
    headers = new Map();
    do {
      const nameEnd = componentEnd(s, i + 1, end, STOP_EQUALS | STOP_AMP);
      if (nameEnd === i + 1 || nameEnd >= end || s.charCodeAt(nameEnd) !== 0x3d) {
        fail('URI header without "name="');
      }
      const valueEnd = componentEnd(s, nameEnd + 1, end, STOP_AMP);
      headers.set(
        unescapeComponent(s, i + 1, nameEnd, HNV, 'URI header name'),
        unescapeComponent(s, nameEnd + 1, valueEnd, HNV, 'URI header value'),
      );
      i = valueEnd;
    } while (i < end && s.charCodeAt(i) === 0x26);
  }
  if (i < end) fail(`unexpected ${excerpt(s[i])} in SIP URI`);
  const source = s.slice(start, end);
  const uri = new SipUri({ scheme, user, password, host, port, headers }, source);
  if (paramsEnd > paramsStart) deferParams(uri, paramsStart - start, paramsEnd - start);
  return uri;
}

/**
 * Reads `*( ";" uri-parameter )` at `i` and returns where it ends; adds each parameter to `into`
 * when given (the parser only checks them, SipUri#params builds the map later from the source).
 */
function readUriParams(s: string, i: number, end: number, into: ParamMap | undefined): number {
  while (i < end && s.charCodeAt(i) === 0x3b) {
    // A run of plain paramchars is the whole name (or value) unless it stopped at an escape.
    let nameEnd = skipClass(s, i + 1, end, PARAM);
    const nameEscaped = s.charCodeAt(nameEnd) === 0x25;
    if (nameEscaped) nameEnd = componentEnd(s, nameEnd, end, STOP_SEMI | STOP_QUESTION | STOP_EQUALS);
    if (nameEnd === i + 1) fail('empty URI parameter');
    const nameStart = i + 1;
    let valueStart = -1;
    let valueEscaped = false;
    i = nameEnd;
    if (i < end && s.charCodeAt(i) === 0x3d) {
      valueStart = i + 1;
      i = skipClass(s, valueStart, end, PARAM);
      valueEscaped = s.charCodeAt(i) === 0x25;
      if (valueEscaped) i = componentEnd(s, i, end, STOP_SEMI | STOP_QUESTION);
      if (i === valueStart) fail(`URI parameter ${excerpt(s, nameStart, nameEnd)} has no value`);
    }
    // Escapes are checked (and decoded) by the same call whether or not the map is wanted.
    if (into === undefined && !nameEscaped && !valueEscaped) continue;
    const name = nameEscaped
      ? unescapeComponent(s, nameStart, nameEnd, PARAM, 'URI parameter')
      : s.slice(nameStart, nameEnd);
    let value: string | null = null;
    if (valueStart >= 0)
      value = valueEscaped ? unescapeComponent(s, valueStart, i, PARAM, 'URI parameter') : s.slice(valueStart, i);
    into?.add(name.toLowerCase(), value);
  }
  return i;
}
