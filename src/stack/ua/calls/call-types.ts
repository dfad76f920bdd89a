import type { MediaChoice, MediaKind } from '../media-session';
import type { IncomingCall } from './incoming-call';
import type { OutgoingCall } from './outgoing-call';
import type { CallMessage } from './in-dialog-message';

export type { CallMessage };

/** The states a call shows (the `state` attribute of `<sip-call>`). */
export type CallState = 'calling' | 'ringing' | 'incoming' | 'early' | 'connected' | 'held' | 'ended';

export type CallDirection = 'outgoing' | 'incoming';

/**
 * Why a call ended, for people and for code:
 * - hangup / remote-hangup: a BYE from us or from the peer;
 * - canceled / remote-canceled: a CANCEL before the answer, from us or from the caller;
 * - answered-elsewhere: the caller's proxy CANCELed us because another device of the same user
 *   answered (its CANCEL said `Reason: SIP ;cause=200`, RFC 3326 §2): not a missed call;
 * - declined (603, 486 or 488 from us), busy (486/600), rejected (other 4xx-6xx), no-answer (408/480/487 by timer);
 * - transferred: we handed the call over with REFER;
 * - replaced: an INVITE with Replaces took this call's place (RFC 3891): the call's `replaced` event
 *   gave the new call, already answered. (The transferor, whose dialog is replaced at the other
 *   end, sees its BYE: remote-hangup.)
 * - session-expired: the session timer ran out unrefreshed (RFC 4028 §10): we sent BYE;
 * - failed: signalling or media failed (the `reason` says how), connection-lost included.
 */
export type CallEndCause =
  | 'hangup'
  | 'remote-hangup'
  | 'canceled'
  | 'remote-canceled'
  | 'answered-elsewhere'
  | 'declined'
  | 'busy'
  | 'rejected'
  | 'no-answer'
  | 'transferred'
  | 'replaced'
  | 'session-expired'
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

/**
 * How a REFER was decided: followed, declined (by the application or because its call ended), or not decided in time.
 */
export type ReferOutcome = 'accepted' | 'declined' | 'expired';

/**
 * A REFER from the peer (RFC 3515), offered to the application in the call's `refer` event. Nothing
 * is dialled unless the application calls accept(): a REFER no listener decides or defers during
 * the event is declined (603). RFC 3515 §2.4.2 asks for the user's approval, so an application may
 * defer() and ask its user first.
 */
export interface ReferRequest {
  /** The Refer-To target (RFC 3515 §2.1), without URI headers: remote text, render it as text only. */
  readonly target: string;
  /** Set for an attended transfer: the Replaces value (RFC 3891) the call to the target carries. */
  readonly replaces?: string;
  readonly referredBy: string | undefined;
  /**
   * Follows the REFER: a new call to the target, audio only unless `options.video` (the user turns
   * the camera on), whose progress the peer hears of by NOTIFY. Returns that call, or undefined
   * when the REFER was decided already, expired, or its call ended.
   */
  accept(options?: CallMediaOptions): OutgoingCall | undefined;
  /** Declines: 603, or after defer() a final NOTIFY saying 603 Declined. */
  reject(): void;
  /**
   * Decides later (asking the user): the REFER is answered 202 now with a pending NOTIFY, since a
   * proxy gives up on an unanswered request within seconds, and is declined after `timeoutMs`
   * (default and most: REFER_ASK_TIMEOUT_MS) or when its call ends.
   */
  defer(timeoutMs?: number): void;
  /** Settles once the REFER is decided. */
  readonly outcome: Promise<ReferOutcome>;
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
  /** The peer asks us to call someone else (RFC 3515); decide, or defer(), during the event. */
  refer: [request: ReferRequest];
  /**
   * An INVITE with Replaces (RFC 3891) took this call's place: `call`, answered at once; this one ends as `replaced`.
   */
  replaced: [call: IncomingCall];
  /** A call that was started by accepting a REFER on this call. */
  'referred-call': [call: OutgoingCall];
  /** A MESSAGE the peer sent in the call (RFC 3428 §4), accepted and answered 200: its body is remote text. */
  message: [message: CallMessage];
  /**
   * The far end says the call is now with someone else (P-Asserted-Identity or Remote-Party-ID in
   * a re-INVITE or UPDATE, after a PBX transfer): `call.remote` is this party now. Remote text.
   */
  'remote-identity': [party: { uri: string; displayName: string | undefined }];
  /** Something went wrong that did not end the call (a failed hold, an unanswered re-INVITE). */
  error: [error: Error];
}
