/**
 * One Via entry (RFC 3261 §20.42, §25.1):
 *
 *   via-parm      = sent-protocol LWS sent-by *( SEMI via-params )
 *   sent-protocol = protocol-name SLASH protocol-version SLASH transport
 *   sent-by       = host [ COLON port ]
 *
 * Immutable; a parsed entry writes back its exact source text.
 */
import { isDigit, parseDigits, excerpt } from './chars';
import { isHost, isPort, parsePort, scanHost } from './host';
import { formatHeaderParams, toHeaderParams, withParam } from './params';
import type { ParamsInit } from './params';
import { readList } from './list';
import type { Scanner } from './scanner';
import type { Params } from './param-map';
import { fail } from './sip-parse-error';

/** RFC 3261 §8.1.1.7: a branch starting with this cookie was made by an RFC 3261 element. */
export const MAGIC_COOKIE = 'z9hG4bK';

export interface ViaInit {
  /** Transport: `UDP`, `TCP`, `TLS`, `SCTP`, `WS`, `WSS` (RFC 7118); written upper case. */
  transport: string;
  host: string;
  port?: number;
  /** The branch parameter; give it here or in `params`. */
  branch?: string;
  params?: ParamsInit;
  /** protocol-name/protocol-version, `SIP/2.0` unless told otherwise. */
  protocol?: string;
}

export class Via {
  /** protocol-name "/" protocol-version, `SIP/2.0` in every RFC 3261 message. */
  readonly protocol: string;
  /** The transport, upper case. */
  readonly transport: string;
  /** The sent-by host; an IPv6 address keeps its brackets. */
  readonly host: string;
  readonly port: number | undefined;
  /** Parameters by lower-case name (`branch`, `received`, `rport`, `maddr`, `ttl`, ...). */
  readonly params: Params;
  #text: string | undefined;

  /** @param source the exact text this entry was parsed from (used by the parser only). */
  constructor(init: ViaInit, source?: string) {
    this.protocol = init.protocol ?? 'SIP/2.0';
    this.transport = source === undefined ? init.transport.toUpperCase() : init.transport;
    this.host = init.host;
    this.port = init.port;
    this.#text = source;
    if (source !== undefined) {
      this.params = init.params as Params;
      return;
    }
    if (!isHost(this.host)) throw new RangeError(`invalid Via host ${excerpt(this.host)}`);
    if (this.port !== undefined && !isPort(this.port)) {
      throw new RangeError(`invalid Via port ${this.port}`);
    }
    const params = toHeaderParams(init.params);
    this.params = init.branch === undefined ? params : withParam(params, 'branch', init.branch);
  }

  get branch(): string | undefined {
    return this.params.get('branch') ?? undefined;
  }

  /** The `received` address (RFC 3261 §18.2.1), without the brackets some senders put around IPv6 (RFC 5118 §4.5). */
  get received(): string | undefined {
    const value = this.params.get('received');
    if (value == null) return undefined;
    return value.charCodeAt(0) === 0x5b && value.endsWith(']') ? value.slice(1, -1) : value;
  }

  /** `rport` (RFC 3581): the port number once filled in, `null` when requested but empty, else undefined. */
  get rport(): number | null | undefined {
    const value = this.params.get('rport');
    if (value === undefined) return undefined;
    if (value === null) return null;
    const port = parseDigits(value, 0, value.length, 5);
    return isPort(port) ? port : undefined;
  }

  /** Whether the branch is an RFC 3261 transaction id: the magic cookie and something after it. */
  get hasRfc3261Branch(): boolean {
    const branch = this.branch;
    return branch !== undefined && branch.length > MAGIC_COOKIE.length && branch.startsWith(MAGIC_COOKIE);
  }

  /** A copy with some parts replaced. */
  with(changes: Partial<ViaInit>): Via {
    return new Via({
      protocol: this.protocol,
      transport: this.transport,
      host: this.host,
      port: this.port,
      params: this.params,
      ...changes,
    });
  }

  /** A copy with parameter `name` set (`null`: no value) or, given `undefined`, removed. */
  withParam(name: string, value: string | null | undefined): Via {
    return this.with({ params: withParam(this.params, name, value) });
  }

  toString(): string {
    if (this.#text !== undefined) return this.#text;
    const port = this.port === undefined ? '' : `:${this.port}`;
    this.#text = `${this.protocol}/${this.transport} ${this.host}${port}${formatHeaderParams(this.params)}`;
    return this.#text;
  }
}

/** Whether `SIP/2.0/` starts at `i`; compared code by code, which is cheaper than startsWith here. */
function isSip20Slash(s: string, i: number): boolean {
  return (
    s.charCodeAt(i) === 0x53 &&
    s.charCodeAt(i + 1) === 0x49 &&
    s.charCodeAt(i + 2) === 0x50 &&
    s.charCodeAt(i + 3) === 0x2f &&
    s.charCodeAt(i + 4) === 0x32 &&
    s.charCodeAt(i + 5) === 0x2e &&
    s.charCodeAt(i + 6) === 0x30 &&
    s.charCodeAt(i + 7) === 0x2f
  );
}

/** The transports of nearly every Via, recognised without slicing and upper-casing a token. */
function knownTransport(s: string, i: number): string | undefined {
  const c0 = s.charCodeAt(i);
  const c1 = s.charCodeAt(i + 1);
  const c2 = s.charCodeAt(i + 2);
  const c3 = s.charCodeAt(i + 3);
  if (c3 === 0x20 || c3 === 0x09) {
    if (c0 === 0x55 && c1 === 0x44 && c2 === 0x50) return 'UDP';
    if (c0 === 0x54 && c1 === 0x43 && c2 === 0x50) return 'TCP';
    if (c0 === 0x54 && c1 === 0x4c && c2 === 0x53) return 'TLS';
    if (c0 === 0x57 && c1 === 0x53 && c2 === 0x53) return 'WSS';
  } else if (c0 === 0x57 && c1 === 0x53 && (c2 === 0x20 || c2 === 0x09)) {
    return 'WS';
  }
  return undefined;
}

/** Reads one via-parm at the scanner, up to the end or a comma. */
function readVia(sc: Scanner): Via {
  const { s } = sc;
  const start = sc.i;
  let protocol: string;
  if (isSip20Slash(s, start)) {
    protocol = 'SIP/2.0';
    sc.i += 8;
  } else {
    // SLASH = SWS "/" SWS: RFC 4475 §3.1.1.1 spreads "SIP / 2.0 / UDP" over lines.
    const name = sc.token('protocol name').toUpperCase();
    if (!sc.eat(0x2f)) fail('missing "/" in sent-protocol');
    const version = sc.token('protocol version');
    if (!sc.eat(0x2f)) fail('missing "/" in sent-protocol');
    protocol = `${name}/${version}`;
  }
  let transport = knownTransport(s, sc.i);
  if (transport === undefined) transport = sc.token('transport').toUpperCase();
  else sc.i += transport.length;
  const beforeHost = sc.i;
  sc.wsp();
  if (sc.i === beforeHost) fail(sc.done ? 'missing sent-by host' : `unexpected ${sc.describe()} after the transport`);
  const hostStart = sc.i;
  sc.i = scanHost(s, hostStart, sc.end);
  const host = s.slice(hostStart, sc.i);
  let port: number | undefined;
  if (sc.eat(0x3a)) {
    const portStart = sc.i;
    while (sc.i < sc.end && isDigit(s.charCodeAt(sc.i))) sc.i++;
    port = parsePort(s, portStart, sc.i);
  }
  const params = sc.params();
  if (params.get('branch') === null) fail('branch parameter without a value');
  const end = sc.i;
  sc.expectEnd(true);
  return new Via({ protocol, transport, host, port, params }, s.slice(start, end));
}

/** Parses one Via header field value: one or more comma-separated entries. */
export function parseViaList(value: string, start = 0, end = value.length): Via[] {
  return readList(value, start, end, readVia);
}
