/**
 * The media seam (STYLE.md habit 3): everything the signalling layer needs from media, with SDP as
 * plain strings and no WebRTC type in sight, so the user agent runs in Node against the fake
 * (media-session.fake.ts) and in the browser against the WebRTC implementation (src/media).
 *
 * How the user agent drives it (RFC 3264 offer/answer carried by RFC 3261 / RFC 3262 / RFC 3311):
 * - INVITE or re-INVITE with an offer: `createOffer()`; the 1xx/2xx SDP goes to `applyAnswer()`;
 *   a non-2xx final response to a re-INVITE (491, 488, 408...) goes to `rollback()`.
 * - Incoming INVITE, re-INVITE or UPDATE with an offer: `applyOffer()` gives the answer. Call it
 *   when the user answers, not on ringing: it opens the microphone (and camera).
 * - INVITE without SDP: the offer arrives in the 200, `applyOffer()` gives the answer for the ACK.
 * - Early media: SDP in an unreliable 1xx is applied with `{ provisional: true }`; the 2xx answer
 *   (the same SDP, or another fork's) is then applied without it. An answer in a reliable 1xx
 *   (RFC 3262) is the answer: apply it without `provisional`. When the 2xx of a provisionally
 *   answered INVITE carries no SDP, apply the 1xx SDP again as the final answer.
 *   Forks: a final answer from a different far end than the provisional one is supported (the
 *   WebRTC session moves to a new transport that keeps the offer's identity). A second 2xx after a
 *   final answer is refused with a MediaSessionError('state'): ACK and BYE that dialog (RFC 3261
 *   §13.2.2.4).
 * - Hold, video on/off and ICE restart are intents for the next offer: call `hold()` then
 *   `createOffer()` and send the re-INVITE. `rollback()` forgets an unanswered intent, so a retry
 *   after 491 calls `hold()` again.
 * - Glare and "answer owed" (RFC 3261 §14) are the user agent's to detect, with OfferAnswerState
 *   (src/stack/sdp/offer-answer-state.ts); a call that breaks the offer/answer order here is
 *   refused with MediaSessionError('state').
 */
import type { Listener } from '../core/emitter';
import { SipStackError } from '../core/errors';

export type MediaKind = 'audio' | 'video';

/** An ICE server, as RTCIceServer spells it (RFC 8489 STUN, RFC 8656 TURN URLs). */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** A capture device choice: `true` for the default device, or a device id from enumerateDevices(). */
export type MediaChoice = boolean | { deviceId: string };

export interface MediaSessionOptions {
  /** Send audio (the microphone). Without it, audio is received only. */
  audio: MediaChoice;
  /** Send video from the start; `setVideo()` changes it during the call. */
  video: MediaChoice;
  iceServers: readonly IceServer[];
  /**
   * How long an offer or answer waits for ICE candidates before it is sent with those it has (at
   * least one). Default 1000 ms: see src/media/ice-gathering-policy.ts.
   */
  iceGatheringTimeoutMs?: number;
}

/** The user agent receives this by injection; one session per call. */
export type MediaSessionFactory = (options: MediaSessionOptions) => MediaSession;

export interface OfferOptions {
  /** Restart ICE (RFC 8839 §4.4.1.1.1): new credentials and candidates, e.g. after 'ice-failed'. */
  iceRestart?: boolean;
}

export interface AnswerOptions {
  /** The SDP of an unreliable 1xx: early media now, the final answer later (RFC 3261 §13.2.1). */
  provisional?: boolean;
}

export interface DtmfOptions {
  /** Tone duration in ms (RFC 4733 §2.5.1.3; WebRTC allows 40 to 6000, default 100). */
  duration?: number;
  /** Pause between tones in ms (WebRTC minimum 30, default 70). */
  gap?: number;
}

/** How the last local description was released: see src/media/ice-gathering-policy.ts. */
export type IceGatheringOutcome = 'complete' | 'sufficient' | 'timeout';

export interface IceGatheringReport {
  outcome: IceGatheringOutcome;
  /** Candidates in the SDP that was sent, by type. */
  candidates: { host: number; srflx: number; prflx: number; relay: number };
  elapsedMs: number;
}

export type MediaConnectionState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

/** Events, as name → listener arguments (the stack's Emitter convention). */
export interface MediaSessionEvents {
  /** Remote media of this kind can now be played (the WebRTC session's remoteStream has it). */
  'remote-track': [kind: MediaKind];
  'connection-state': [state: MediaConnectionState];
  /** ICE failed: the user agent may re-INVITE with `createOffer({ iceRestart: true })`. */
  'ice-failed': [];
  /** A local offer or answer is ready to send, and why it was released when it was. */
  'ice-gathering': [report: IceGatheringReport];
  /** The peer put us on hold or took us off it (from its offers, RFC 6337 §5.3). */
  'remote-hold': [held: boolean];
  /** An RFC 4733 tone started playing out ('' when the queue has finished). */
  'dtmf-tone': [tone: string];
  /**
   * A capture device went away during the call (unplugged, revoked: its track ended by itself).
   * `deviceId` is the one lost ('' for the default); the kind now uses the default device, or
   * `error` says why it could not be opened.
   */
  'device-lost': [kind: MediaKind, deviceId: string, error: MediaSessionError | undefined];
}

export interface MediaSession {
  /** An offer for INVITE, re-INVITE or UPDATE, once ICE gathering allows (see IceGatheringOutcome). */
  createOffer(options?: OfferOptions): Promise<string>;
  /** Takes the peer's offer and returns our answer (RFC 3264 §6). */
  applyOffer(sdp: string): Promise<string>;
  /** Takes the peer's answer to our outstanding offer (RFC 3264 §7), provisional or final. */
  applyAnswer(sdp: string, options?: AnswerOptions): Promise<void>;
  /** Our offer was rejected: back to the last agreed session (RFC 6337 §3.4). No-op when none is out. */
  rollback(): Promise<void>;

  /** The next offer puts the peer on hold: sendonly, or inactive if it holds us (RFC 6337 §5.3). */
  hold(): void;
  /** The next offer resumes: sendrecv, or recvonly while the peer still holds us. */
  unhold(): void;
  /** We hold the peer (the intent the next offer carries). */
  readonly localHold: boolean;
  /** The peer holds us: its last offer refused all our media (RFC 3264 §8.4). */
  readonly remoteHold: boolean;

  /** Mutes or unmutes our outgoing media of a kind locally, without renegotiation. */
  setMuted(kind: MediaKind, muted: boolean): void;
  isMuted(kind: MediaKind): boolean;

  /** Whether RFC 4733 events can be sent now: telephone-event negotiated and audio being sent. */
  canSendRfc4733(): boolean;
  /**
   * Whether DTMF in `auto` mode should go as RFC 4733 events: they can be sent now and the answer
   * put telephone-event at the audio codec's clock rate (telephoneEventAtAudioClock). When false,
   * the user agent sends SIP INFO, which every such peer tested receives.
   */
  prefersRfc4733(): boolean;
  /**
   * Queues digits (0-9, A-D, *, #, and ',' for a 2 s pause) as RFC 4733 events. Returns false,
   * sending nothing, when `canSendRfc4733()` is false: the user agent then uses SIP INFO.
   */
  sendDtmf(digits: string, options?: DtmfOptions): boolean;

  /** Switches our video on or off for the next offer (re-INVITE); off releases the camera. */
  setVideo(enabled: boolean): void;
  /** Whether we want video (the intent the next offer carries). */
  readonly video: boolean;

  /** Statistics of the media (RTCStatsReport for WebRTC): quality displays and tests. */
  getStats(): Promise<unknown>;
  /** Stops every track (camera and microphone released) and the transport. Idempotent. */
  close(): void;
  readonly closed: boolean;

  on<Name extends keyof MediaSessionEvents>(event: Name, listener: Listener<MediaSessionEvents[Name]>): () => void;
}

/**
 * Why a media operation failed; an incoming call's offer that fails (`sdp`, `media-access`, `unsupported`) gets 488.
 */
export type MediaSessionErrorCode =
  /** The session is closed. */
  | 'closed'
  /** The call breaks the offer/answer order (answer with no offer out, second final answer). */
  | 'state'
  /** The peer's SDP cannot be used (unparseable, no common codec, no DTLS fingerprint). */
  | 'sdp'
  /** The microphone or camera could not be opened (denied, absent, busy). */
  | 'media-access'
  /** The environment has no media at all (a browser without WebRTC, a page that is not secure). */
  | 'unsupported';

export class MediaSessionError extends SipStackError {
  readonly code: MediaSessionErrorCode;

  constructor(code: MediaSessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MediaSessionError';
    this.code = code;
  }
}

/** RFC 4733 §3.2 events a WebRTC DTMF sender can play, plus ',' (a 2 s pause in WebRTC). */
export const DTMF_DIGITS = /^[0-9A-Da-d#*,]+$/;
