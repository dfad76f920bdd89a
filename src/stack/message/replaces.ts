/**
 * The Replaces header field (RFC 3891 §6.1): the dialog an INVITE replaces. The tags are as the
 * RECIPIENT sees them (§3): `toTag` is its local tag, `fromTag` its remote tag.
 *   Replaces = callid *(SEMI replaces-param); replaces-param = to-tag / from-tag / early-flag / generic-param
 */
import { TOKEN, excerpt, isAll, trimWsp } from './chars';
import { fail } from './sip-parse-error';
import { parseCallId } from './structured-headers';

export interface Replaces {
  readonly callId: string;
  readonly toTag: string;
  readonly fromTag: string;
  /** `early-only`: replace only a dialog not yet confirmed (§3: a confirmed one gets 486). */
  readonly earlyOnly: boolean;
}

/** @throws SipParseError when the value is malformed or lacks exactly one to-tag and one from-tag (§6.1). */
export function parseReplaces(value: string): Replaces {
  const [first = '', ...params] = value.split(';').map(trimWsp);
  const tags: Record<string, string | undefined> = {};
  let earlyOnly = false;
  for (const param of params) {
    const [name = '', val] = param.split('=').map(trimWsp);
    const key = name.toLowerCase();
    if (!isAll(name, TOKEN) || (val !== undefined && !isAll(val, TOKEN)))
      fail(`malformed Replaces parameter ${excerpt(param)}`);
    if (key === 'early-only') earlyOnly = true;
    else if (key === 'to-tag' || key === 'from-tag') {
      if (val === undefined || tags[key] !== undefined) fail(`Replaces needs exactly one ${key}`);
      tags[key] = val;
    }
  }
  const { 'to-tag': toTag, 'from-tag': fromTag } = tags;
  if (toTag === undefined || fromTag === undefined) fail('Replaces needs a to-tag and a from-tag');
  return { callId: parseCallId(first), toTag, fromTag, earlyOnly };
}

/** The header value, e.g. for the `?Replaces=` of a Refer-To URI (RFC 5589 §7). */
export function formatReplaces({ callId, toTag, fromTag, earlyOnly }: Replaces): string {
  return `${callId};to-tag=${toTag};from-tag=${fromTag}${earlyOnly ? ';early-only' : ''}`;
}
