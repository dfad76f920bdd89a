/**
 * A cursor over one header field value with the small readers the RFC 3261 §25.1 rules share
 * (SWS, token, quoted-string, generic-param). Every reader moves forward only, so parsing is
 * linear in the input whatever it holds.
 */
import { GEN_VALUE, TOKEN, isWsp, skipClass, excerpt } from './chars';
import { NO_PARAMS, ParamMap } from './param-map';
import type { Params } from './param-map';
import { fail } from './sip-parse-error';

export class Scanner {
  /** Where the value starts in `s`, so that error offsets count from it. */
  readonly start: number;

  constructor(
    readonly s: string,
    public i = 0,
    readonly end = s.length,
  ) {
    this.start = i;
  }

  get done(): boolean {
    return this.i >= this.end;
  }

  /** The code unit at the cursor, or -1 at the end. */
  peek(): number {
    return this.i < this.end ? this.s.charCodeAt(this.i) : -1;
  }

  /** Skips SWS (folding has already become SP by the time a value is read). */
  wsp(): this {
    while (this.i < this.end && isWsp(this.s.charCodeAt(this.i))) this.i++;
    return this;
  }

  /** Skips SWS, then the character `c` and SWS after it, and says whether `c` was there. */
  eat(c: number): boolean {
    const save = this.i;
    this.wsp();
    if (this.peek() !== c) {
      this.i = save;
      return false;
    }
    this.i++;
    this.wsp();
    return true;
  }

  /** Reads a token; fails naming `what` when there is none. */
  token(what: string): string {
    const start = this.i;
    this.i = skipClass(this.s, start, this.end, TOKEN);
    if (this.i === start)
      fail(this.done ? `missing ${what}` : `unexpected ${this.describe()} where ${what} was expected`);
    return this.s.slice(start, this.i);
  }

  /** Reads a quoted-string at the cursor (which is on `"`) and returns it with its quotes. */
  quoted(): string {
    const start = this.i;
    this.i = scanQuoted(this.s, start, this.end);
    return this.s.slice(start, this.i);
  }

  /** Reads `*( SEMI generic-param )`; stops before anything that does not start a parameter. */
  params(): Params {
    // Locals rather than this.i: this runs for nearly every header field of every message.
    const { s, end } = this;
    let params: ParamMap | undefined;
    let i = this.i;
    for (;;) {
      let j = i;
      while (j < end && isWsp(s.charCodeAt(j))) j++;
      if (j >= end || s.charCodeAt(j) !== 0x3b) break;
      j++;
      while (j < end && isWsp(s.charCodeAt(j))) j++;
      const nameStart = j;
      j = skipClass(s, j, end, TOKEN);
      if (j === nameStart) {
        this.i = nameStart;
        fail(
          j >= end || s.charCodeAt(j) === 0x2c
            ? 'empty parameter after ";"'
            : `unexpected ${this.describe()} where a parameter name was expected`,
        );
      }
      const name = s.slice(nameStart, j).toLowerCase();
      let value: string | null = null;
      let k = j;
      while (k < end && isWsp(s.charCodeAt(k))) k++;
      if (k < end && s.charCodeAt(k) === 0x3d) {
        k++;
        while (k < end && isWsp(s.charCodeAt(k))) k++;
        const valueStart = k;
        k = s.charCodeAt(k) === 0x22 ? scanQuoted(s, k, end) : skipClass(s, k, end, GEN_VALUE);
        if (k === valueStart) {
          this.i = k;
          fail(`parameter "${name}" has no value`);
        }
        value = s.slice(valueStart, k);
        j = k;
      }
      i = j;
      // A repeated name keeps its first value: later ones cannot change what the first meant.
      (params ??= new ParamMap()).add(name, value);
    }
    this.i = i;
    return params ?? NO_PARAMS;
  }

  /** Fails unless the cursor, after SWS, is at the end or at a list comma. */
  expectEnd(list: boolean): void {
    this.wsp();
    if (this.done || (list && this.peek() === 0x2c)) return;
    fail(`unexpected ${this.describe()}`);
  }

  describe(): string {
    return this.done ? 'end of value' : `${excerpt(this.s[this.i])} at offset ${this.i - this.start}`;
  }
}

/**
 * Index after the quoted-string that starts at `start` (on `"`). RFC 3261 §25.1: qdtext is LWS,
 * printable ASCII but `"` and `\`, or non-ASCII; quoted-pair escapes any ASCII except CR and LF.
 */
export function scanQuoted(s: string, start: number, end: number): number {
  for (let i = start + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const next = i + 1 < end ? s.charCodeAt(i + 1) : -1;
      if (next < 0 || next === 0x0a || next === 0x0d || next > 0x7f) {
        fail('invalid escape in quoted string');
      }
      i++;
    } else if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
      fail('control character in quoted string');
    }
  }
  fail('unterminated quoted string');
}

/** The content of a quoted-string given with its quotes, quoted-pairs unescaped. */
export function unquote(quoted: string): string {
  const inner = quoted.slice(1, -1);
  if (inner.indexOf('\\') < 0) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    if (inner.charCodeAt(i) === 0x5c) i++;
    out += inner[i];
  }
  return out;
}

/** A quoted-string for `text`, escaping `"`, `\` and control characters other than HTAB. */
export function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d || c === 0x0a) throw new RangeError('a quoted string cannot hold CR or LF');
    if (c === 0x22 || c === 0x5c || (c < 0x20 && c !== 0x09) || c === 0x7f) out += '\\';
    out += text[i];
  }
  return `${out}"`;
}
