import { dialogKey, type Dialog } from '../../dialog/dialog';
import type { SipRequest } from '../../message/message';
import { parseReplaces, type Replaces } from '../../message/replaces';
import { fail } from '../../message/sip-parse-error';
import type { ServerTransaction } from '../../transaction/transaction-layer';
import type { MediaSession, MediaSessionFactory, MediaSessionOptions } from '../media-session';
import { type UaCore } from '../ua-core';
import { mediaType } from '../../message/content';
import type { Call } from './call';
import type { CallContext } from './call-context';
import type { CallMediaOptions } from './call-types';
import { IncomingCall } from './incoming-call';
import { MAX_AUTO_ANSWER_DELAY_S, readAutoAnswer } from './auto-answer';
import { OutgoingCall } from './outgoing-call';
import { intervalTooSmall, type SessionTimerOptions } from './session-timer';

export interface CallManagerOptions {
  mediaSessionFactory: MediaSessionFactory;
  iceServers?: MediaSessionOptions['iceServers'];
  iceGatheringTimeoutMs?: number;
  /** Media for calls when the caller gives no choice: audio only by default. */
  defaults?: CallMediaOptions;
  /** Incoming calls at once (ringing or answered); an INVITE beyond gets 486 Busy Here. 4 by default. */
  maxIncomingCalls?: number;
  /** How long an incoming call rings unanswered before it is declined with 480 (60 s). */
  ringTimeoutMs?: number;
  /** Calls that ask for it may be answered without the user (auto-answer.ts); off by default. */
  autoAnswer?: boolean;
  /** Session timers (RFC 4028): the interval asked for (1800 s) and the smallest accepted (Min-SE, 90 s). */
  sessionTimers?: SessionTimerOptions;
}

/** Incoming calls a phone holds at once unless told otherwise: a few for call waiting, not thousands. */
export const DEFAULT_MAX_INCOMING_CALLS = 4;

/**
 * The calls of one user agent: places them, turns incoming INVITEs into calls, and routes every
 * in-dialog request, ACK and CANCEL to the call it belongs to (by dialog id, §12, or by the
 * INVITE server transaction a CANCEL matches, §9.2). It is the context its calls live in.
 */
export class CallManager implements CallContext {
  readonly #live = new Set<Call>();
  readonly #byDialog = new Map<string, Call>();
  readonly #options: CallManagerOptions;
  readonly #onIncoming: (call: IncomingCall) => void;
  readonly core: UaCore;
  readonly defaults: { audio: MediaSessionOptions['audio']; video: MediaSessionOptions['video'] };
  /** Whether calls asking to be auto-answered may be (SECURITY.md: off by default); changeable at any time. */
  autoAnswer: boolean;
  readonly sessionTimers: SessionTimerOptions | undefined;

  /**
   * `core` is the user agent's core, not the user agent (which makes the manager: no import
   * circle); `handleRequests` lets the manager see requests first (UserAgent.handleRequests).
   */
  constructor(
    core: UaCore,
    handleRequests: (handler: (request: SipRequest, transaction: ServerTransaction | undefined) => boolean) => void,
    options: CallManagerOptions,
    onIncoming: (call: IncomingCall) => void,
  ) {
    this.#options = options;
    this.#onIncoming = onIncoming;
    this.core = core;
    this.defaults = { audio: true, video: false, ...options.defaults };
    this.autoAnswer = options.autoAnswer ?? false;
    this.sessionTimers = options.sessionTimers;
    handleRequests((request, transaction) => this.#route(request, transaction));
  }

  /** The calls that have not ended, oldest first. */
  get calls(): Call[] {
    return [...this.#live];
  }

  /** Places a call; the returned call reports its progress by events. */
  call(
    target: string,
    options: CallMediaOptions = {},
    headers?: ReadonlyArray<readonly [string, string]>,
  ): OutgoingCall {
    const call = new OutgoingCall(this, this.core.targetUri(target), options, headers);
    this.#live.add(call);
    void call.start().catch((error: Error) => call.events.emit('error', error));
    return call;
  }

  createMedia(choice: CallMediaOptions): MediaSession {
    const { mediaSessionFactory, iceServers = [], iceGatheringTimeoutMs } = this.#options;
    return mediaSessionFactory({
      audio: choice.audio ?? this.defaults.audio,
      video: choice.video ?? this.defaults.video,
      iceServers,
      iceGatheringTimeoutMs,
    });
  }

  /**
   * The signalling connection is new (RFC 5626 §4.4: the old flow is dead). Media does not depend
   * on it, but the proxy's route back to us does: every established call refreshes its target.
   */
  flowChanged(): void {
    this.#each((call) => call.recover());
  }

  /** The network changed: every call restarts ICE now, or on the new flow when signalling is down. */
  networkChanged(): void {
    this.#each((call) => call.networkChanged());
  }

  #each(run: (call: Call) => Promise<void>): void {
    for (const call of this.#live) void run(call).catch((error: Error) => call.events.emit('error', error));
  }

  /** Hangs up every call (the phone is going away). */
  async hangupAll(): Promise<void> {
    await Promise.allSettled([...this.#live].map((call) => call.hangup()));
  }

  track(dialog: Dialog, call: Call): void {
    this.#byDialog.set(dialog.key, call);
  }

  forgetCall(call: Call): void {
    this.#live.delete(call);
    for (const [key, owner] of this.#byDialog) if (owner === call) this.#byDialog.delete(key);
  }

  async holdOthers(call: Call): Promise<void> {
    await Promise.allSettled(
      [...this.#live].map((other) => other !== call && other.state === 'connected' && other.hold()),
    );
  }

  #route(request: SipRequest, transaction: ServerTransaction | undefined): boolean {
    const toTag = request.to.tag;
    if (toTag !== undefined) {
      const call = this.#byDialog.get(dialogKey(request.callId, toTag, request.from.tag ?? ''));
      call?.receiveInDialog(request, transaction);
      return !!call;
    }
    if (!transaction) return false;
    if (request.method === 'CANCEL') {
      const invite = this.core.transactions.findInviteFor(request);
      const call = [...this.#live].find(
        (c): c is IncomingCall => c instanceof IncomingCall && c.transaction === invite,
      );
      if (!call) return false;
      this.core.respond(transaction, 200); // §9.2: the CANCEL itself succeeds
      call.remoteCancel(request);
      return true;
    }
    if (request.method !== 'INVITE') return false;
    if (request.body && mediaType(request.contentType) !== 'application/sdp') {
      this.core.respond(transaction, 415, undefined, [['Accept', 'application/sdp']]);
      return true;
    }
    // RFC 4028 §9: a Session-Expires below our Min-SE is refused before the call rings.
    const tooSmall = intervalTooSmall(request, this.sessionTimers?.minSE);
    if (tooSmall) {
      this.core.respond(transaction, tooSmall.status, undefined, tooSmall.headers);
      return true;
    }
    const replaces = request.headers('Replaces');
    if (replaces[0]) return this.#replace(request, transaction, replaces);
    // Issue 15: every INVITE made a ringing call, held forever; a peer sending thousands held as
    // many dialogs and media sessions. Beyond the cap: 486 Busy Here (RFC 3261 §21.4.24).
    if (this.#incomingCount() >= (this.#options.maxIncomingCalls ?? DEFAULT_MAX_INCOMING_CALLS)) {
      this.core.respond(transaction, 486);
      return true;
    }
    const wanted = readAutoAnswer(request);
    // Only while no other call is up: an intercom call must not put a conversation on hold.
    const allowed = !!wanted && this.autoAnswer && this.#live.size === 0 && wanted.delay <= MAX_AUTO_ANSWER_DELAY_S;
    // RFC 5373 §6: a caller that requires the answer mode gets 403 when it will not be honoured,
    // rather than a call that rings.
    if (wanted?.required && !allowed) {
      this.core.respond(transaction, 403, 'Auto-Answer Not Allowed');
      return true;
    }
    const call = this.#incoming(request, transaction);
    call.autoAnswer = wanted && { ...wanted, allowed };
    this.#onIncoming(call);
    call.ring();
    return true;
  }

  #incomingCount(): number {
    let count = 0;
    for (const call of this.#live) if (call instanceof IncomingCall) count++;
    return count;
  }

  #incoming(request: SipRequest, transaction: ServerTransaction): IncomingCall {
    const seq = 1 + Math.floor(this.core.random.float() * 0x7fff);
    const call = new IncomingCall(this, request, transaction, seq, this.#options.ringTimeoutMs);
    this.#live.add(call);
    return call;
  }

  /**
   * RFC 3891 §3: an INVITE to replace one of our dialogs, named with the tags as we see them
   * (to-tag: ours). A confirmed dialog (unless `early-only`: 486) or an early one we started is
   * replaced: the new call is answered at once (audio only), with no ringing and no
   * `incoming-call` (the old call's `replaced` event gives it), and the old one ends with BYE, or
   * CANCEL while early. No
   * match, or an early dialog we did not start, gets 481; two Replaces fields get 400 (§6.1).
   * Knowing the Call-ID and both tags is the authorization (§8: they travel only to the parties).
   */
  #replace(request: SipRequest, transaction: ServerTransaction, values: string[]): boolean {
    let wanted: Replaces;
    try {
      if (values.length > 1) fail('more than one Replaces');
      wanted = parseReplaces(values[0]!);
    } catch (error) {
      this.core.respond(transaction, 400, (error as Error).message);
      return true;
    }
    const key = dialogKey(wanted.callId, wanted.toTag, wanted.fromTag);
    const old = [...this.#live].find((call) => call.dialog?.key === key);
    const early = old?.dialog!.early;
    if (!old || (early && old.direction === 'incoming')) this.core.respond(transaction, 481);
    else if (!early && wanted.earlyOnly) this.core.respond(transaction, 486);
    else {
      // Answered at once: no ringing.
      const call = this.#incoming(request, transaction);
      old.replaceWith(call);
      // Audio only, whatever the old call had: the INVITE comes from whoever the old call's peer
      // gave the dialog to, and is answered without asking; the user can turn the camera on.
      void call.answer({ video: false }).catch((error: Error) => call.events.emit('error', error));
    }
    return true;
  }
}
