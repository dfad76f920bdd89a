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
  // A cursor over the value: each local function reads one grammar element or throws.
  let pos = 0;
  const bad = (reason: string): never => fail(`Malformed authentication header at offset ${pos}: ${reason}`);
  const match = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = pos;
    const found = pattern.exec(text)?.[0];
    if (!found) return undefined;
    pos += found.length;
    return found;
  };
  /** Skips LWS; says whether there was any. */
  const space = (): boolean => {
    const start = pos;
    match(WHITESPACE);
    return pos > start;
  };
  const skipEmpty = (): void => {
    for (space(); text[pos] === ','; space()) pos++;
  };
  /** After a comma: `name =` continues this challenge, anything else starts the next one. */
  const paramFollows = (): boolean => {
    const start = pos;
    const follows = match(TOKEN) !== undefined && (space(), text[pos] === '=');
    pos = start;
    return follows;
  };
  const quoted = (name: string): string => {
    pos++; // opening quote
    let value = '';
    while (pos < text.length) {
      const char = text[pos];
      if (char === '"') {
        pos++;
        return value;
      }
      if (char === '\r' || char === '\n') {
        if (match(FOLD) === undefined) bad(`line break inside parameter "${name}"`);
        value += ' ';
        continue;
      }
      if (char === '\\') {
        const escaped = text[++pos];
        if (escaped === undefined || escaped === '\r' || escaped === '\n') break;
        value += escaped;
      } else {
        value += char;
      }
      pos++;
    }
    return bad(`unterminated quoted value of parameter "${name}"`);
  };
  const params = (): Map<string, string> => {
    const read = new Map<string, string>();
    for (;;) {
      const name = (match(TOKEN) ?? bad('expected a parameter name')).toLowerCase();
      space();
      if (text[pos] !== '=') bad(`expected "=" after parameter "${name}"`);
      pos++;
      space();
      const value =
        (text[pos] === '"' ? quoted(name) : match(BARE_VALUE)) ?? bad(`expected a value for parameter "${name}"`);
      if (read.has(name)) bad(`parameter "${name}" appears twice`); // RFC 7235 §2.2
      read.set(name, value);
      space();
      if (pos >= text.length) return read;
      if (text[pos] !== ',') bad(`expected "," after parameter "${name}"`);
      skipEmpty();
      if (pos >= text.length || !paramFollows()) return read;
    }
  };
  const challenge = (): AuthHeaderValue => {
    const scheme = match(TOKEN) ?? bad('expected an auth-scheme');
    const spaced = space();
    if (text[pos] === ',') {
      // `Digest , realm="x"`: the #auth-param list may open with empty elements (RFC 7230 §7).
      const start = pos;
      skipEmpty();
      if (pos < text.length && paramFollows()) return { scheme, params: params() };
      pos = start;
    }
    if (pos >= text.length || text[pos] === ',') return { scheme, params: new Map() };
    if (!spaced) bad('expected a space after the auth-scheme');
    // token68 only when nothing but the end of this challenge follows it.
    const start = pos;
    const token68 = match(TOKEN68);
    if (token68 !== undefined && (space(), pos >= text.length || text[pos] === ','))
      return { scheme, params: new Map(), token68 };
    pos = start;
    return { scheme, params: params() };
  };
  const values: AuthHeaderValue[] = [];
  for (skipEmpty(); pos < text.length; skipEmpty()) values.push(challenge());
  return values.length > 0 ? values : bad('expected an auth-scheme');
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
