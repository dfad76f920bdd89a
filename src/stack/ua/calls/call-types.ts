import type { MediaChoice, MediaKind } from '../media-session';
import type { IncomingCall } from './incoming-call';
import type { OutgoingCall } from './outgoing-call';

/** The states a call shows (the `state` attribute of `<sip-call>`). */
export type CallState = 'calling' | 'ringing' | 'incoming' | 'early' | 'connected' | 'held' | 'ended';

export type CallDirection = 'outgoing' | 'incoming';

/**
 * Why a call ended, for people and for code:
 * - hangup / remote-hangup: a BYE from us or from the peer;
 * - canceled / remote-canceled: a CANCEL before the answer, from us or from the caller;
 * - declined (603, 486 or 488 from us), busy (486/600), rejected (other 4xx-6xx), no-answer (408/480/487 by timer);
 * - transferred: we handed the call over with REFER;
 * - replaced: an INVITE with Replaces took this call's place (RFC 3891): the call's `replaced` event
 *   gave the new call, already answered. (The transferor, whose dialog is replaced at the other
 *   end, sees its BYE: remote-hangup.)
 * - failed: signalling or media failed (the `reason` says how), connection-lost included.
 */
export type CallEndCause =
  | 'hangup'
  | 'remote-hangup'
  | 'canceled'
  | 'remote-canceled'
  | 'declined'
  | 'busy'
  | 'rejected'
  | 'no-answer'
  | 'transferred'
  | 'replaced'
  | 'failed';

export interface CallEndInfo {
  readonly cause: CallEndCause;
  /** The SIP status behind it, when there was one (487 for a canceled INVITE, 486 for busy...). */
  readonly status?: number;
  readonly reason?: string;
}

export interface CallMediaOptions {
  audio?: MediaChoice;
  video?: MediaChoice;
}

export type DtmfMode = 'auto' | 'rfc4733' | 'info';

export interface ReferRequest {
  /** The Refer-To target (RFC 3515 §2.1), without URI headers. */
  readonly target: string;
  /** Set for an attended transfer: the Replaces value (RFC 3891) the call to the target carries. */
  readonly replaces?: string;
  readonly referredBy: string | undefined;
  /** Accept: a new call to the target starts and the peer hears of its progress by NOTIFY. */
  accept(): void;
  /** Decline with 603 (the default when no listener decides during the event). */
  reject(): void;
}

export interface CallEvents {
  state: [state: CallState, previous: CallState];
  ended: [info: CallEndInfo];
  /** A DTMF digit from the peer: INFO (dtmf-relay) only; RFC 4733 tones stay in the media. */
  dtmf: [info: { digit: string; duration: number; via: 'info' }];
  'remote-track': [kind: MediaKind];
  /** The peer held or resumed us (RFC 6337). */
  'remote-hold': [held: boolean];
  /** Progress of a transfer we asked for: the NOTIFYs of RFC 3515 §2.4.5. */
  'transfer-progress': [info: { status: number; reason: string }];
  /** The peer asks us to call someone else (RFC 3515); decide during the event. */
  refer: [request: ReferRequest];
  /** An INVITE with Replaces (RFC 3891) took this call's place: `call`, answered at once; this one ends as `replaced`. */
  replaced: [call: IncomingCall];
  /** A call that was started by accepting a REFER on this call. */
  'referred-call': [call: OutgoingCall];
  /** Something went wrong that did not end the call (a failed hold, an unanswered re-INVITE). */
  error: [error: Error];
}
