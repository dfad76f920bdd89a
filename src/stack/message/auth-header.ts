/**
 * Values of the four authentication header fields: WWW-Authenticate and Proxy-Authenticate carry
 * challenges, Authorization and Proxy-Authorization carry credentials (RFC 3261 §20.7, §20.27,
 * §20.28, §20.44; grammar in §25.1, generalised by RFC 7235 §2.1 and RFC 7616 §3.3/§3.4):
 *
 *   challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param  = token BWS "=" BWS ( token / quoted-string )
 *
 * Error messages name the offset and the parameter, never a value: an Authorization value holds a
 * username and a response digest, which do not belong in logs.
 */
import { fail } from './sip-parse-error';

/** One challenge or one set of credentials. */
export interface AuthHeaderValue {
  /** The auth-scheme as written (`Digest`); schemes compare case-insensitively (RFC 7235 §2.1). */
  readonly scheme: string;
  /** auth-params by lower-case name (names are case-insensitive), values unquoted, in wire order. */
  readonly params: ReadonlyMap<string, string>;
  /** The token68 form (RFC 7235 §2.1, e.g. Basic credentials); such a value has no params. */
  readonly token68?: string;
}

/** Whether a value is a challenge or credentials: the two quote different parameters. */
export type AuthHeaderRole = 'challenge' | 'credentials';

// RFC 7230 tchar, a superset of RFC 3261's token characters.
const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
const TOKEN_ONLY = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*/y;
const TOKEN68_ONLY = /^[A-Za-z0-9\-._~+/]+=*$/;
// Unquoted values are read leniently (servers write `nonce=abc/def==`); the serializer quotes
// whatever is not a token, so such a value still goes back out valid.
const BARE_VALUE = /[^\s",\\]+/y;
// SIP LWS (RFC 3261 §25.1) including folded lines, which a message parser may leave in place.
const WHITESPACE = /[ \t\r\n]*/y;
// A folded line inside a quoted string is LWS and reads as one space (RFC 3261 §7.3.1).
const FOLD = /\r?\n[ \t]+/y;

/**
 * RFC 7616 §3.3 and §3.4: "For historical reasons" these parameters MUST NOT be quoted, and
 * some servers compare them literally, so they go out bare. `qop` is a quoted list in a challenge
 * but a bare token in credentials (RFC 3261 §25.1 qop-options vs message-qop).
 */
const BARE_PARAMS: Record<AuthHeaderRole, ReadonlySet<string>> = {
  challenge: new Set(['algorithm', 'stale', 'charset', 'userhash']),
  credentials: new Set(['algorithm', 'qop', 'nc', 'userhash']),
};

/**
 * Parses one header field value into its challenges or credentials. RFC 7235 §4.1 allows one
 * WWW-Authenticate line to hold several comma-separated challenges, so the result is a list; a
 * message with several header lines gives one call per line. Empty list elements are skipped
 * (RFC 7230 §7). Parameter names come back lower-case, values unescaped.
 *
 * @throws SipParseError when the value does not follow the grammar above.
 */
export function parseAuthHeader(text: string): AuthHeaderValue[] {
  return new AuthHeaderReader(text).readAll();
}

/**
 * Writes one challenge or set of credentials. Parameters go out in the map's order; those the role
 * wants bare (see BARE_PARAMS) are written as tokens when they are tokens, every other value as a
 * quoted-string with `"` and `\` escaped.
 *
 * @throws Error when the scheme is not a token or a value holds CR or LF (no quoted-pair can carry
 *   them, RFC 3261 §25.1): that is a caller's bug, and writing it would split the header.
 */
export function serializeAuthHeader(value: AuthHeaderValue, role: AuthHeaderRole): string {
  if (!TOKEN_ONLY.test(value.scheme)) throw new Error('auth-scheme must be a token');
  if (value.token68 !== undefined) {
    if (!TOKEN68_ONLY.test(value.token68)) throw new Error('token68 value has characters outside token68');
    return `${value.scheme} ${value.token68}`;
  }
  const bare = BARE_PARAMS[role];
  const parts: string[] = [];
  for (const [name, paramValue] of value.params) {
    if (!TOKEN_ONLY.test(name)) throw new Error('auth-param name must be a token');
    const asToken = bare.has(name.toLowerCase()) && TOKEN_ONLY.test(paramValue);
    parts.push(`${name}=${asToken ? paramValue : quote(name, paramValue)}`);
  }
  return parts.length === 0 ? value.scheme : `${value.scheme} ${parts.join(', ')}`;
}

function quote(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`auth-param "${name}" contains CR or LF`);
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** A cursor over one header value; each method reads one grammar element or throws. */
class AuthHeaderReader {
  #pos = 0;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  readAll(): AuthHeaderValue[] {
    const values: AuthHeaderValue[] = [];
    this.#skipEmptyElements();
    while (!this.#atEnd()) {
      values.push(this.#readChallenge());
      this.#skipEmptyElements();
    }
    if (values.length === 0) this.#fail('expected an auth-scheme');
    return values;
  }

  #readChallenge(): AuthHeaderValue {
    const scheme = this.#match(TOKEN) ?? this.#fail('expected an auth-scheme');
    const spaced = this.#skipWhitespace();
    if (this.#atEnd()) return { scheme, params: new Map() };
    if (this.#peek() === ',') {
      // `Digest , realm="x"`: the #auth-param list may open with empty elements (RFC 7230 §7).
      const start = this.#pos;
      this.#skipEmptyElements();
      if (!this.#atEnd() && this.#paramFollows()) return { scheme, params: this.#readParams() };
      this.#pos = start;
      return { scheme, params: new Map() };
    }
    if (!spaced) this.#fail('expected a space after the auth-scheme');
    const token68 = this.#tryToken68();
    if (token68 !== undefined) return { scheme, params: new Map(), token68 };
    return { scheme, params: this.#readParams() };
  }

  /** token68 only when nothing but the end of this challenge follows it. */
  #tryToken68(): string | undefined {
    const start = this.#pos;
    const token68 = this.#match(TOKEN68);
    if (token68 !== undefined) {
      this.#skipWhitespace();
      if (this.#atEnd() || this.#peek() === ',') return token68;
    }
    this.#pos = start;
    return undefined;
  }

  #readParams(): Map<string, string> {
    const params = new Map<string, string>();
    for (;;) {
      const [name, value] = this.#readParam();
      if (params.has(name)) this.#fail(`parameter "${name}" appears twice`); // RFC 7235 §2.2
      params.set(name, value);
      this.#skipWhitespace();
      if (this.#atEnd()) return params;
      if (this.#peek() !== ',') this.#fail(`expected "," after parameter "${name}"`);
      this.#skipEmptyElements();
      if (this.#atEnd() || !this.#paramFollows()) return params;
    }
  }

  #readParam(): [string, string] {
    const name = (this.#match(TOKEN) ?? this.#fail('expected a parameter name')).toLowerCase();
    this.#skipWhitespace();
    if (this.#peek() !== '=') this.#fail(`expected "=" after parameter "${name}"`);
    this.#pos += 1;
    this.#skipWhitespace();
    const value = this.#peek() === '"' ? this.#readQuoted(name) : this.#match(BARE_VALUE);
    return [name, value ?? this.#fail(`expected a value for parameter "${name}"`)];
  }

  /** After a comma: `name =` continues this challenge, anything else starts the next one. */
  #paramFollows(): boolean {
    const start = this.#pos;
    let isParam = false;
    if (this.#match(TOKEN) !== undefined) {
      this.#skipWhitespace();
      isParam = this.#peek() === '=';
    }
    this.#pos = start;
    return isParam;
  }

  #readQuoted(name: string): string {
    this.#pos += 1; // opening quote
    let value = '';
    while (!this.#atEnd()) {
      const char = this.#text[this.#pos];
      if (char === '"') {
        this.#pos += 1;
        return value;
      }
      if (char === '\r' || char === '\n') {
        if (this.#match(FOLD) === undefined) this.#fail(`line break inside parameter "${name}"`);
        value += ' ';
        continue;
      }
      if (char === '\\') {
        this.#pos += 1;
        const escaped = this.#text[this.#pos];
        if (escaped === undefined || escaped === '\r' || escaped === '\n') break;
        value += escaped;
      } else {
        value += char;
      }
      this.#pos += 1;
    }
    return this.#fail(`unterminated quoted value of parameter "${name}"`);
  }

  #skipEmptyElements(): void {
    this.#skipWhitespace();
    while (this.#peek() === ',') {
      this.#pos += 1;
      this.#skipWhitespace();
    }
  }

  /** Returns whether any whitespace was skipped. */
  #skipWhitespace(): boolean {
    const start = this.#pos;
    this.#match(WHITESPACE);
    return this.#pos > start;
  }

  #match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.#pos;
    const found = pattern.exec(this.#text);
    if (found === null || found[0].length === 0) return undefined;
    this.#pos += found[0].length;
    return found[0];
  }

  #peek(): string | undefined {
    return this.#text[this.#pos];
  }

  #atEnd(): boolean {
    return this.#pos >= this.#text.length;
  }

  #fail(reason: string): never {
    fail(`Malformed authentication header at offset ${this.#pos}: ${reason}`);
  }
}
