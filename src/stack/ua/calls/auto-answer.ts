/**
 * Whether an INVITE asks to be answered without the user (intercom, paging), in the forms PBXs
 * send: RFC 5373 `Answer-Mode: Auto` and `Priv-Answer-Mode: Auto` (each with an optional
 * `require`); the `answer-after=N` parameter of Call-Info (Polycom, Yealink, Snom, Grandstream;
 * Asterisk's Page() writes it for them); and `info=alert-autoanswer` in Alert-Info (Polycom and
 * Yealink, with Asterisk's optional `delay=N`), with or without a URI before it (FreeSWITCH
 * intercom sends `Alert-Info: info=alert-autoanswer`). Reading it only tells; whether the call is
 * answered is the application's choice (off by default: SECURITY.md).
 *
 * Every header value is read once, left to right, and only the first few values of each header,
 * each up to a bounded length, are looked at: a hostile INVITE costs linear time at most.
 */
import type { SipRequest } from '../../message/message';

/** The longest delay a phone honours (seconds): an intercom answers within seconds, not minutes. */
export const MAX_AUTO_ANSWER_DELAY_S = 30;

/** Header values looked at per header, and their longest length; the rest are ignored. */
const MAX_VALUES = 8;
const MAX_VALUE_LENGTH = 1024;

/** A request to be answered without the user. */
export interface AutoAnswerRequest {
  /** Seconds the caller asks the phone to ring first (0: at once). */
  readonly delay: number;
  /** RFC 5373 `require`: the caller wants a refusal (403) rather than a call that only rings. */
  readonly required: boolean;
  /** The header that asked: RFC 5373's, or a vendor dialect. */
  readonly via: 'answer-mode' | 'priv-answer-mode' | 'call-info' | 'alert-info';
}

/** An incoming call's auto-answer request, and whether the user agent's policy lets it be honoured. */
export interface AutoAnswer extends AutoAnswerRequest {
  /** Auto-answer is on, no other call is up, and the delay is at most MAX_AUTO_ANSWER_DELAY_S. */
  readonly allowed: boolean;
}

/** The auto-answer request of an INVITE, or undefined when it asks for none (or for `Manual`). */
export function readAutoAnswer(request: SipRequest): AutoAnswerRequest | undefined {
  // RFC 5373: Priv-Answer-Mode, when present, takes precedence over Answer-Mode; Manual asks that
  // the user answer, whatever the vendor headers say.
  for (const name of ['Priv-Answer-Mode', 'Answer-Mode'] as const) {
    const value = firstValues(request, name)[0];
    if (value === undefined) continue;
    const { token, params } = split(value);
    const mode = token.toLowerCase();
    if (mode === 'manual') return undefined;
    if (mode === 'auto')
      return {
        delay: 0,
        required: params.has('require'),
        via: name === 'Answer-Mode' ? 'answer-mode' : 'priv-answer-mode',
      };
  }
  for (const value of firstValues(request, 'Call-Info')) {
    const delay = seconds(split(value).params.get('answer-after'));
    if (delay !== undefined) return { delay, required: false, via: 'call-info' };
  }
  for (const value of firstValues(request, 'Alert-Info')) {
    const { params } = split(value);
    // Some phones (Yealink, Grandstream) take answer-after in Alert-Info too.
    const after = seconds(params.get('answer-after'));
    if (after !== undefined) return { delay: after, required: false, via: 'alert-info' };
    if (params.get('info')?.toLowerCase() === 'alert-autoanswer')
      return { delay: seconds(params.get('delay')) ?? 0, required: false, via: 'alert-info' };
  }
  return undefined;
}

/**
 * RFC 5373: the answer mode a 2xx reports, for an INVITE that asked in RFC 5373's own headers
 * (the vendor dialects define no answer): the header it asked in, `Auto` when the call was
 * answered without the user, `Manual` when the user answered it.
 */
export function answerModeHeader(request: AutoAnswerRequest | undefined, auto: boolean): [string, string] | undefined {
  const name =
    request?.via === 'answer-mode'
      ? 'Answer-Mode'
      : request?.via === 'priv-answer-mode'
        ? 'Priv-Answer-Mode'
        : undefined;
  return name && [name, auto ? 'Auto' : 'Manual'];
}

function firstValues(request: SipRequest, name: string): string[] {
  return request
    .headers(name)
    .slice(0, MAX_VALUES)
    .filter((value) => value.length <= MAX_VALUE_LENGTH);
}

/** A whole number of seconds (up to five digits), or undefined. */
function seconds(value: string | null | undefined): number | undefined {
  return value && /^\d{1,5}$/.test(value) ? Number(value) : undefined;
}

/**
 * A header value's leading part (a `<URI>` or a token) and its `;name=value` parameters, names
 * lower case, quotes removed. One pass: the URI ends at the first `>`, parameters at `;`. A value
 * that starts with a parameter, as PBXs write without a URI (`answer-after=0`, `info=...`), is all
 * parameters.
 */
function split(value: string): { token: string; params: Map<string, string | null> } {
  const params = new Map<string, string | null>();
  let rest = value.trim();
  let token: string;
  if (rest.startsWith('<')) {
    const end = rest.indexOf('>');
    token = end < 0 ? rest : rest.slice(0, end + 1);
    rest = end < 0 ? '' : rest.slice(end + 1);
  } else {
    const end = rest.indexOf(';');
    token = (end < 0 ? rest : rest.slice(0, end)).trim();
    if (token.includes('=')) token = '';
    else rest = end < 0 ? '' : rest.slice(end);
  }
  for (const part of rest.split(';')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!name || params.has(name)) continue;
    params.set(
      name,
      eq < 0
        ? null
        : part
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1'),
    );
  }
  return { token, params };
}
