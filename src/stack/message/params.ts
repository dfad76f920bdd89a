/**
 * Header parameters (RFC 3261 §7.3.1, §25.1 generic-param) as the model keeps them: names lower
 * case (they are case-insensitive), values in wire form: a token or host as written, or a
 * quoted-string with its quotes, because a quoted and an unquoted value can mean different things
 * (RFC 3840 feature tags). Builders may give any text: what is not a token is quoted for them.
 */
import { GEN_VALUE, TOKEN, isAll, excerpt } from './chars';
import { NO_PARAMS, ParamMap, entriesOf } from './param-map';
import { quote, scanQuoted } from './scanner';
import type { Params } from './param-map';

/** Parameters as code building a message may give them; `null` or `true` means no value. */
export type ParamsInit =
  | Iterable<readonly [string, string | number | boolean | null]>
  | Readonly<Record<string, string | number | boolean | null | undefined>>;

function isQuotedString(value: string): boolean {
  if (value.length < 2 || value.charCodeAt(0) !== 0x22) return false;
  try {
    return scanQuoted(value, 0, value.length) === value.length;
  } catch {
    return false;
  }
}

/** The wire form of a header parameter value. */
function headerParamValue(value: string): string {
  return isAll(value, GEN_VALUE) || isQuotedString(value) ? value : quote(value);
}

/** Normalizes builder input into header parameters; `false` and `undefined` leave a name out. */
export function toHeaderParams(init: ParamsInit | undefined, convert = headerParamValue): Params {
  if (init === undefined) return NO_PARAMS;
  const params = new ParamMap();
  for (const [rawName, value] of entriesOf<unknown>(init)) {
    if (value === undefined || value === false) continue;
    const name = rawName.toLowerCase();
    if (!isAll(name, TOKEN)) throw new RangeError(`invalid parameter name ${excerpt(rawName)}`);
    params.add(name, value === null || value === true ? null : convert(String(value)));
  }
  return params.size === 0 ? NO_PARAMS : params;
}

/** A copy of `params` with `name` set to `value` (wire form), or removed when `value` is undefined. */
export function withParam(params: Params, name: string, value: string | null | undefined): Params {
  const key = name.toLowerCase();
  if (!isAll(key, TOKEN)) throw new RangeError(`invalid parameter name ${excerpt(name)}`);
  return replaceParam(params, key, value === undefined || value === null ? value : headerParamValue(value));
}

/** A copy of `params` with `key` given `value` where it was (or last), or without it for undefined. */
export function replaceParam(params: Params, key: string, value: string | null | undefined): Params {
  const copy = new ParamMap();
  let done = value === undefined;
  for (const [name, old] of params) {
    if (name !== key) copy.add(name, old);
    else if (!done) done = copy.add(key, value as string | null);
  }
  if (!done) copy.add(key, value as string | null);
  return copy.size === 0 ? NO_PARAMS : copy;
}

/** `;name=value…` for header parameters. */
export function formatHeaderParams(params: Params): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}
