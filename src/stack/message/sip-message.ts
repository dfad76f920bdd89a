/**
 * What requests and responses share (RFC 3261 §7): header fields in order, typed views of the
 * fields the stack works with, a body counted in octets, and serialization.
 *
 * Header fields are kept as text, in order, with the typed value of the fields the model knows
 * (Via, From, To, Call-ID, CSeq, Contact, Route, Record-Route, Content-Length, Max-Forwards,
 * Expires) read when the field is parsed or set. The typed values are immutable, so a typed
 * accessor always agrees with the text that will be sent, whatever was changed in between.
 */
import { trimWsp } from './chars';
import { CSeq } from './cseq';
import { canonicalHeaderName, headerKey, isListHeader } from './header-names';
import { splitList } from './list';
import { NameAddr } from './name-addr';
import type { ContactWildcard } from './name-addr';
import type { SipRequest } from './sip-request';
import type { SipResponse } from './sip-response';
import { parseStructured } from './structured-headers';
import { utf8Decode, utf8Encode, utf8Length } from './utf8';
import { Via } from './via';

/**
 * One header field line. `parsed` holds the typed value of a field the model knows (for Route and
 * Record-Route, once they have been read).
 */
export interface HeaderField {
  /** The name as written (compact forms kept for parsed messages). */
  readonly name: string;
  /** The lookup key: long name, lower case. */
  readonly key: string;
  /** The value, with folding replaced by single spaces and no leading or trailing whitespace. */
  readonly value: string;
  readonly parsed: unknown;
}

/** Something the parser found wrong that the receiver should answer rather than drop. */
export interface SipProblem {
  /** The response a UAS should send: 400, 416, 505, ... */
  readonly status: number;
  readonly reason: string;
}

/** A value for a header field: text, a number, or a typed value (NameAddr, Via, CSeq, URI). */
export type HeaderValue = string | number | { toString(): string };

const NONE: readonly never[] = [];

interface Typed {
  via?: readonly Via[];
  contact?: ReadonlyArray<NameAddr | ContactWildcard>;
  route?: readonly NameAddr[];
  recordRoute?: readonly NameAddr[];
  from?: NameAddr;
  to?: NameAddr;
  callId?: string;
  cseq?: CSeq;
}

/**
 * Hands parsed fields to a new message without re-reading them, with the typed values the parser
 * already holds so that the first read of an accessor does not search the fields (for the parser
 * only).
 */
export let adoptParsedFields: (
  message: SipMessage,
  fields: HeaderField[],
  via: readonly Via[],
  from: NameAddr,
  to: NameAddr,
  callId: string,
  cseq: CSeq,
  contact: ReadonlyArray<NameAddr | ContactWildcard> | undefined,
) => void;

function checkText(text: string): string {
  if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
    throw new RangeError('a header field value cannot hold CR or LF');
  }
  return text;
}

/** The typed value of `value` for field `key`: typed objects are taken as they are, text is parsed. */
function typedValue(key: string, value: HeaderValue, text: string): unknown {
  if (value instanceof Via && key === 'via') return [value];
  if (value instanceof NameAddr) {
    if ((key === 'from' || key === 'to') && value.params.get('tag') !== null) return value;
    // Route entries are re-read: one parsed from addr-spec form would be written without <>.
    if (key === 'contact') return [value];
  }
  if (value instanceof CSeq && key === 'cseq') return value;
  return parseStructured(key, text);
}

export abstract class SipMessage {
  abstract readonly kind: 'request' | 'response';
  /** SIP-Version of the start line; `SIP/2.0` unless parsed otherwise. */
  version = 'SIP/2.0';
  /** Problems found when parsing: each names the response the receiver should send. */
  readonly problems: SipProblem[] = [];
  #fields: HeaderField[] = [];
  #bodyText: string | undefined = '';
  #bodyBytes: Uint8Array | undefined;
  // Typed values already found, so an accessor read twice does not search the fields twice; any
  // change to the fields forgets them all.
  #typed: Typed = {};

  static {
    adoptParsedFields = (message, fields, via, from, to, callId, cseq, contact) => {
      message.#fields = fields;
      message.#typed = { via, from, to, callId, cseq, contact };
    };
  }

  /** The start line without its CRLF. */
  abstract startLine(): string;

  /** A deep enough copy to change independently (typed values are immutable and shared). */
  abstract clone(): this;

  protected copyInto<T extends SipMessage>(copy: T): T {
    copy.version = this.version;
    copy.problems.push(...this.problems);
    copy.#fields = this.#fields.slice();
    copy.#bodyText = this.#bodyText;
    copy.#bodyBytes = this.#bodyBytes;
    return copy;
  }

  // ---------------------------------------------------------------- header fields as text

  /** Every header field in order. */
  get headerFields(): readonly HeaderField[] {
    return this.#fields;
  }

  /**
   * The first value of a field (any case, compact forms too). For a list field (Via, Contact,
   * Route, Allow, ...) that is the first element of the list, not the whole first line.
   */
  header(name: string): string | undefined {
    const key = headerKey(name);
    for (const field of this.#fields) {
      if (field.key !== key) continue;
      return isListHeader(key) ? splitList(field.value)[0] : field.value;
    }
    return undefined;
  }

  /**
   * Every value of a field in order. List fields are split at their commas (RFC 3261 §7.3.1);
   * other fields, including WWW-Authenticate and Authorization whose values hold commas, give one
   * value per line.
   */
  headers(name: string): string[] {
    const key = headerKey(name);
    const list = isListHeader(key);
    const values: string[] = [];
    for (const field of this.#fields) {
      if (field.key !== key) continue;
      // One push per element: spreading a list of a few hundred thousand elements into push's
      // arguments overflows the stack (a RangeError from a 600 KB Require line).
      if (list) for (const value of splitList(field.value)) values.push(value);
      else values.push(field.value);
    }
    return values;
  }

  hasHeader(name: string): boolean {
    const key = headerKey(name);
    return this.#fields.some((field) => field.key === key);
  }

  /** Replaces every line of a field with the given value(s), where its first line was. */
  setHeader(name: string, value: HeaderValue | readonly HeaderValue[]): this {
    const key = headerKey(name);
    const created = this.#makeFields(name, key, value);
    let at = this.#fields.findIndex((field) => field.key === key);
    if (at < 0) at = this.#fields.length;
    const fields = this.#fields.filter((field) => field.key !== key);
    fields.splice(Math.min(at, fields.length), 0, ...created);
    this.#put(fields);
    return this;
  }

  /**
   * Adds a line of a field after its last line or, with `prepend`, before its first line (a
   * proxy's Via and Record-Route go on top, RFC 3261 §16.6). A new field goes at the end, or at
   * the top when prepended.
   */
  addHeader(name: string, value: HeaderValue | readonly HeaderValue[], options: { prepend?: boolean } = {}): this {
    const key = headerKey(name);
    const created = this.#makeFields(name, key, value);
    let at: number;
    if (options.prepend) {
      at = this.#fields.findIndex((field) => field.key === key);
      if (at < 0) at = 0;
    } else {
      at = this.#fields.length;
      for (let i = this.#fields.length - 1; i >= 0; i--) {
        if (this.#fields[i].key === key) {
          at = i + 1;
          break;
        }
      }
    }
    const fields = this.#fields.slice();
    fields.splice(at, 0, ...created);
    this.#put(fields);
    return this;
  }

  /** Removes every line of a field; says whether there was one. */
  removeHeader(name: string): boolean {
    const key = headerKey(name);
    const kept = this.#fields.filter((field) => field.key !== key);
    if (kept.length === this.#fields.length) return false;
    this.#put(kept);
    return true;
  }

  /**
   * Removes the first value of a field and returns it: the top Via of a response being passed
   * up (RFC 3261 §18.1.2), the top Route of a loose-routed request (§16.4). A list field keeps its
   * other values even when they shared the first line.
   */
  removeFirstValue(name: string): string | undefined {
    const key = headerKey(name);
    const fields = this.#fields.slice();
    const at = fields.findIndex((field) => field.key === key);
    if (at < 0) return undefined;
    const field = fields[at];
    let first = field.value;
    if (isListHeader(key)) {
      const typed = field.parsed as readonly unknown[] | undefined;
      const items = typed ? typed.map(String) : splitList(field.value);
      first = items[0];
      if (items.length > 1) {
        fields[at] = { name: field.name, key, value: items.slice(1).join(', '), parsed: typed?.slice(1) };
        this.#put(fields);
        return first;
      }
    }
    fields.splice(at, 1);
    this.#put(fields);
    return first;
  }

  /** Takes a new field list: the typed values found so far may no longer hold. */
  #put(fields: HeaderField[]): void {
    this.#fields = fields;
    this.#typed = {};
  }

  #setOrRemove(name: string, value: HeaderValue | undefined): void {
    if (value === undefined) this.removeHeader(name);
    else this.setHeader(name, value);
  }

  #makeFields(name: string, key: string, value: HeaderValue | readonly HeaderValue[]): HeaderField[] {
    const written = canonicalHeaderName(name);
    const values = Array.isArray(value) ? (value as readonly HeaderValue[]) : [value as HeaderValue];
    return values.map((item) => {
      const text = trimWsp(checkText(String(item)));
      return { name: written, key, value: text, parsed: typedValue(key, item, text) };
    });
  }

  #first(key: string): HeaderField | undefined {
    for (const field of this.#fields) if (field.key === key) return field;
    return undefined;
  }

  #required(key: string, name: string): unknown {
    const field = this.#first(key);
    if (field === undefined) throw new Error(`the message has no ${name} header field`);
    return field.parsed;
  }

  /**
   * The typed values of every line of a list field, in order, without copying when there is one
   * line. Route and Record-Route are read here on first use rather than by the parser (they are
   * not part of what parseMessage checks), so a malformed one throws SipParseError here.
   */
  #list<T>(key: string): readonly T[] {
    let first: readonly T[] | undefined;
    let all: T[] | undefined;
    const fields = this.#fields;
    for (let i = 0; i < fields.length; i++) {
      let field = fields[i];
      if (field.key !== key) continue;
      if (field.parsed === undefined) {
        field = { name: field.name, key, value: field.value, parsed: parseStructured(key, field.value) };
        fields[i] = field;
      }
      const items = field.parsed as readonly T[];
      if (first === undefined) {
        first = items;
      } else {
        all ??= first.slice();
        for (const item of items) all.push(item);
      }
    }
    return all ?? first ?? NONE;
  }

  // ---------------------------------------------------------------- typed fields

  /** Every Via entry, top first (RFC 3261 §20.42). */
  get via(): readonly Via[] {
    return (this.#typed.via ??= this.#list<Via>('via'));
  }

  set via(entries: readonly Via[]) {
    this.setHeader('Via', entries);
  }

  /** The top Via: the one this element added to a request, or that a response is matched by. */
  get topVia(): Via | undefined {
    return this.via[0];
  }

  /** The top Via's branch: the transaction id (RFC 3261 §17.1.3, §17.2.3). */
  get branch(): string | undefined {
    return this.via[0]?.branch;
  }

  /** From (RFC 3261 §20.20). @throws Error on a built message that has none. */
  get from(): NameAddr {
    return (this.#typed.from ??= this.#required('from', 'From') as NameAddr);
  }

  set from(value: NameAddr | string) {
    this.setHeader('From', value);
  }

  /** To (RFC 3261 §20.39). @throws Error on a built message that has none. */
  get to(): NameAddr {
    return (this.#typed.to ??= this.#required('to', 'To') as NameAddr);
  }

  set to(value: NameAddr | string) {
    this.setHeader('To', value);
  }

  /** Call-ID (RFC 3261 §20.8). @throws Error on a built message that has none. */
  get callId(): string {
    return (this.#typed.callId ??= this.#required('call-id', 'Call-ID') as string);
  }

  set callId(value: string) {
    this.setHeader('Call-ID', value);
  }

  /** CSeq (RFC 3261 §20.16). @throws Error on a built message that has none. */
  get cseq(): CSeq {
    return (this.#typed.cseq ??= this.#required('cseq', 'CSeq') as CSeq);
  }

  set cseq(value: CSeq | string) {
    this.setHeader('CSeq', value);
  }

  /** Contact entries in order; a REGISTER removing every binding has the single entry `'*'`. */
  get contact(): ReadonlyArray<NameAddr | ContactWildcard> {
    return (this.#typed.contact ??= this.#list<NameAddr | ContactWildcard>('contact'));
  }

  set contact(entries: ReadonlyArray<NameAddr | ContactWildcard>) {
    this.setHeader('Contact', entries); // no entries: no line
  }

  /** Route entries in order (RFC 3261 §20.34). @throws SipParseError when a Route value is malformed. */
  get route(): readonly NameAddr[] {
    return (this.#typed.route ??= this.#list<NameAddr>('route'));
  }

  set route(entries: readonly NameAddr[]) {
    this.setHeader('Route', entries); // no entries: no line
  }

  /** Record-Route entries in order (RFC 3261 §20.30). @throws SipParseError when a value is malformed. */
  get recordRoute(): readonly NameAddr[] {
    return (this.#typed.recordRoute ??= this.#list<NameAddr>('record-route'));
  }

  set recordRoute(entries: readonly NameAddr[]) {
    this.setHeader('Record-Route', entries); // no entries: no line
  }

  /** Max-Forwards (RFC 3261 §20.22), or undefined when absent or out of range. */
  get maxForwards(): number | undefined {
    const value = this.#first('max-forwards')?.parsed;
    return typeof value === 'number' ? value : undefined;
  }

  set maxForwards(value: number | undefined) {
    this.#setOrRemove('Max-Forwards', value);
  }

  /** Expires in seconds (RFC 3261 §20.19), or undefined when absent or invalid. */
  get expires(): number | undefined {
    const value = this.#first('expires')?.parsed;
    return typeof value === 'number' ? value : undefined;
  }

  set expires(value: number | undefined) {
    this.#setOrRemove('Expires', value);
  }

  /** Content-Type as written (`application/sdp`), or undefined. */
  get contentType(): string | undefined {
    return this.#first('content-type')?.value;
  }

  set contentType(value: string | undefined) {
    this.#setOrRemove('Content-Type', value);
  }

  // ---------------------------------------------------------------- body

  /** The body as text (binary bodies are decoded as UTF-8; use `bodyBytes` for their octets). */
  get body(): string {
    return (this.#bodyText ??= utf8Decode(this.#bodyBytes as Uint8Array));
  }

  set body(value: string | Uint8Array) {
    if (typeof value === 'string') {
      this.#bodyText = value;
      this.#bodyBytes = undefined;
    } else {
      this.#bodyText = undefined;
      this.#bodyBytes = value;
    }
  }

  /** The body's octets. */
  get bodyBytes(): Uint8Array {
    return (this.#bodyBytes ??= utf8Encode(this.#bodyText as string));
  }

  /** The body length in octets: what Content-Length says on the wire (RFC 3261 §20.14). */
  get contentLength(): number {
    return this.#bodyBytes !== undefined ? this.#bodyBytes.length : utf8Length(this.#bodyText as string);
  }

  // ---------------------------------------------------------------- serialization

  /** Start line and header fields with a Content-Length of `length` octets, through the empty line. */
  #head(length: number): string {
    let out = `${this.startLine()}\r\n`;
    let lengthWritten = false;
    for (const field of this.#fields) {
      if (field.key === 'content-length') {
        if (!lengthWritten) out += `${field.name}: ${length}\r\n`;
        lengthWritten = true;
        continue;
      }
      out += `${field.name}: ${field.value}\r\n`;
    }
    if (!lengthWritten) out += `Content-Length: ${length}\r\n`;
    return `${out}\r\n`;
  }

  /** The message as wire text; Content-Length is the body's length in UTF-8 octets. */
  toString(): string {
    const body = this.body;
    return this.#head(utf8Length(body)) + body;
  }

  /** The message as octets, the body exactly as held (binary bodies included). */
  toBytes(): Uint8Array {
    const body = this.bodyBytes;
    const head = utf8Encode(this.#head(body.length));
    const out = new Uint8Array(head.length + body.length);
    out.set(head, 0);
    out.set(body, head.length);
    return out;
  }
}

/** Narrows a message to a request. */
export function isRequest(message: SipMessage): message is SipRequest {
  return message.kind === 'request';
}

/** Narrows a message to a response. */
export function isResponse(message: SipMessage): message is SipResponse {
  return message.kind === 'response';
}
