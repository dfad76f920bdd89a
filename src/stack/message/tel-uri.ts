/**
 * tel URIs (RFC 3966 §3): a global number (`tel:+1-201-555-0123`) or a local one with a
 * phone-context (`tel:7042;phone-context=example.com`). The number keeps its visual separators as
 * written; parameters are unescaped like SIP URI parameters. A parsed URI writes back its source.
 */
import { PARAM, PHONE, TOKEN, excerpt, is, isAll } from './chars';
import { escapeComponent, unescapeComponent } from './percent-encoding';
import { NO_PARAMS, ParamMap, entriesOf } from './param-map';
import type { Params } from './param-map';
import { fail } from './sip-parse-error';

/** Whether `text` is a telephone-subscriber: an optional `+`, then digits, hex digits, `*`, `#` and
 * visual separators, with at least one that is not a separator. */
function isPhoneNumber(text: string): boolean {
  const first = text.charCodeAt(0) === 0x2b ? 1 : 0;
  if (text.length <= first) return false;
  let digits = 0;
  for (let i = first; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!is(c, PHONE)) return false;
    if (c !== 0x2d && c !== 0x2e && c !== 0x28 && c !== 0x29) digits++;
  }
  return digits > 0;
}

export class TelUri {
  readonly scheme = 'tel' as const;
  /** The number as written: `+` and digits for a global number, with any visual separators. */
  readonly number: string;
  /** Parameters by lower-case name, unescaped (`phone-context`, `ext`, `isub`, ...). */
  readonly params: Params;
  #text: string | undefined;

  /** @param source the exact text this URI was parsed from (used by the parser only). */
  constructor(
    number: string,
    params?: Iterable<readonly [string, string | null]> | Readonly<Record<string, string | null>>,
    source?: string,
  ) {
    if (!isPhoneNumber(number)) throw new RangeError(`invalid telephone number ${excerpt(number)}`);
    this.number = number;
    this.#text = source;
    if (params === undefined) {
      this.params = NO_PARAMS;
    } else if (params instanceof ParamMap) {
      this.params = params;
    } else {
      const list = [...entriesOf(params)];
      this.params =
        list.length === 0 ? NO_PARAMS : new ParamMap(list.map(([name, value]) => [name.toLowerCase(), value] as const));
    }
  }

  /** Whether the number is global (`+` and an E.164 number), which needs no phone-context. */
  get isGlobal(): boolean {
    return this.number.charCodeAt(0) === 0x2b;
  }

  toString(): string {
    if (this.#text !== undefined) return this.#text;
    let out = `tel:${this.number}`;
    for (const [name, value] of this.params)
      out += value === null ? `;${name}` : `;${name}=${escapeComponent(value, PARAM)}`;
    this.#text = out;
    return out;
  }
}

/** Parses s[start, end) as a tel URI whose scheme ends at `colon`. */
export function parseTelUri(s: string, start: number, end: number, colon: number): TelUri {
  let i = colon + 1;
  let numberEnd = s.indexOf(';', i);
  if (numberEnd < 0 || numberEnd > end) numberEnd = end;
  const number = s.slice(i, numberEnd);
  if (!isPhoneNumber(number)) fail(`invalid telephone number ${excerpt(number)}`);
  i = numberEnd;
  let params: ParamMap | undefined;
  while (i < end) {
    // RFC 3966: pname = 1*( alphanum / "-" ), pvalue = 1*paramchar.
    let nameEnd = i + 1;
    while (nameEnd < end && is(s.charCodeAt(nameEnd), TOKEN) && s.charCodeAt(nameEnd) !== 0x25) nameEnd++;
    const name = s.slice(i + 1, nameEnd).toLowerCase();
    if (!isAll(name, TOKEN)) fail('empty tel URI parameter');
    let value: string | null = null;
    i = nameEnd;
    if (i < end && s.charCodeAt(i) === 0x3d) {
      let valueEnd = s.indexOf(';', i + 1);
      if (valueEnd < 0 || valueEnd > end) valueEnd = end;
      if (valueEnd === i + 1) fail(`tel URI parameter "${name}" has no value`);
      value = unescapeComponent(s, i + 1, valueEnd, PARAM, 'tel URI parameter');
      i = valueEnd;
    }
    if (i < end && s.charCodeAt(i) !== 0x3b) fail(`unexpected ${excerpt(s[i])} in tel URI`);
    (params ??= new ParamMap()).add(name, value);
  }
  return new TelUri(number, params, s.slice(start, end));
}
