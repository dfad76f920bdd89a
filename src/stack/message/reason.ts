/**
 * The Reason header field (RFC 3326 §2): why a request was sent. A forking proxy CANCELs the
 * branches that did not answer with `Reason: SIP ;cause=200 ;text="Call completed elsewhere"`
 * (RFC 3326 §2's own example, RFC 3261 §9.2), which tells a call answered on another device of
 * the same user from one the caller gave up on.
 *   Reason         = "Reason" HCOLON reason-value *(COMMA reason-value)
 *   reason-value   = protocol *(SEMI reason-params)
 *   protocol       = "SIP" / "Q.850" / token
 *   reason-params  = protocol-cause / reason-text / reason-extension
 *   protocol-cause = "cause" EQUAL cause ; cause = 1*DIGIT
 *   reason-text    = "text" EQUAL quoted-string
 *
 * A peer writes it, so its reading is bounded: a field longer than MAX_REASON_FIELD_LENGTH is not
 * read at all, a value with more than MAX_REASON_PARAMS parameters is refused, and no more than
 * MAX_REASONS values are read from one message. Every step moves forward (Scanner), so the cost is
 * linear in what is read.
 */
import { GEN_VALUE, skipClass } from './chars';
import { Scanner, scanQuoted, unquote } from './scanner';
import type { SipMessage } from './sip-message';
import { fail } from './sip-parse-error';

export interface Reason {
  /** `SIP`, `Q.850` or another token, as written (compare without case: RFC 3261 §7.3.1). */
  readonly protocol: string;
  /** The cause: a SIP status code for `SIP`, a Q.850 cause value for `Q.850`. */
  readonly cause: number | undefined;
  /** The text, unquoted, cut to MAX_REASON_TEXT_LENGTH characters: remote text, render it as text only. */
  readonly text: string | undefined;
}

/** A Reason field line longer than this is ignored unread (RFC 3326's values are a few dozen characters). */
export const MAX_REASON_FIELD_LENGTH = 1024;
/** Parameters in one reason-value (cause, text and a few extensions at most). */
export const MAX_REASON_PARAMS = 8;
/** Reason values read from one message (one per protocol is what RFC 3326 §2 allows). */
export const MAX_REASONS = 4;
export const MAX_REASON_TEXT_LENGTH = 128;

/** One reason-value at the cursor, which stops at the comma that ends it or at the end. */
function readReason(sc: Scanner): Reason {
  const protocol = sc.token('a Reason protocol');
  let cause: number | undefined;
  let text: string | undefined;
  for (let count = 0; sc.eat(0x3b); count++) {
    if (count >= MAX_REASON_PARAMS) fail(`more than ${MAX_REASON_PARAMS} Reason parameters`);
    const name = sc.token('a Reason parameter').toLowerCase();
    const valued = sc.eat(0x3d);
    const start = sc.i;
    const quoted = valued && sc.peek() === 0x22;
    if (valued) sc.i = quoted ? scanQuoted(sc.s, start, sc.end) : skipClass(sc.s, start, sc.end, GEN_VALUE);
    const value = sc.s.slice(start, sc.i);
    // cause = 1*DIGIT (SIP status codes and Q.850 causes have three at most); text = quoted-string.
    if (name === 'cause' ? !/^0*\d{1,3}$/.test(value) : name === 'text' ? !quoted : valued && !value)
      fail(`bad Reason parameter ${name}`);
    if (name === 'cause') cause ??= Number(value);
    else if (name === 'text') text ??= unquote(value).slice(0, MAX_REASON_TEXT_LENGTH);
  }
  sc.expectEnd(true);
  return { protocol, cause, text };
}

/**
 * The reason-values of one Reason field line, at most `max`.
 * @throws SipParseError when the line is too long or malformed, or a value has too many parameters.
 */
export function parseReason(value: string, max = MAX_REASONS): Reason[] {
  if (value.length > MAX_REASON_FIELD_LENGTH) fail(`Reason longer than ${MAX_REASON_FIELD_LENGTH}`);
  const sc = new Scanner(value);
  const reasons: Reason[] = [];
  while (reasons.length < max) {
    sc.wsp();
    reasons.push(readReason(sc));
    if (sc.done) break;
    sc.i++; // the comma readReason stopped at
  }
  return reasons;
}

/**
 * The Reason values of a message, at most MAX_REASONS. A malformed or oversized line is skipped
 * alone: a Reason only informs (RFC 3326 §2), so a bad one never fails the request it came in.
 */
export function reasonsOf(message: SipMessage): Reason[] {
  const reasons: Reason[] = [];
  for (const field of message.headerFields) {
    if (reasons.length >= MAX_REASONS) break;
    if (field.key !== 'reason') continue;
    try {
      reasons.push(...parseReason(field.value, MAX_REASONS - reasons.length));
    } catch {
      // Not read: see above.
    }
  }
  return reasons;
}

/**
 * Whether a CANCEL says the call was answered by another branch: `SIP ;cause=200`, as a forking
 * proxy sends (RFC 3326 §2; Kamailio's tm does with its default `local_cancel_reason`).
 */
export function completedElsewhere(cancel: SipMessage): boolean {
  return reasonsOf(cancel).some((reason) => reason.protocol.toLowerCase() === 'sip' && reason.cause === 200);
}
