import type { TimerHandle } from '../../core/clock';
import type { Emitter } from '../../core/emitter';
import { StateError } from '../../core/errors';
import type { Dialog } from '../../dialog/dialog';
import { NameAddr, SipUri, type SipRequest, type Uri } from '../../message/message';
import { parseNameAddr } from '../../message/name-addr';
import { formatReplaces, parseReplaces } from '../../message/replaces';
import { requireSuccess, type SendResult, type UaCore } from '../ua-core';
import { isSuccess, mediaType } from '../../message/content';
import type { CallEndCause, CallEvents, CallMediaOptions, ReferOutcome, ReferRequest } from './call-types';
import type { OutgoingCall } from './outgoing-call';
import { SIPFRAG, sipfragBody, sipfragStatus } from './sipfrag';

/**
 * A peer controls how often it REFERs (STYLE 14: a limit on everything a peer controls): per call,
 * at most REFER_LIMIT REFERs in REFER_WINDOW_MS reach the application; more get 503 Retry-After.
 */
export const REFER_LIMIT = 3;
export const REFER_WINDOW_MS = 60_000;
/** How long a deferred REFER waits for the user by default. */
export const REFER_ASK_TIMEOUT_MS = 30_000;
/** The longest wait: the lifetime our pending NOTIFY gives the implicit subscription (RFC 3515 §2.4.4). */
const REFER_ASK_MAX_MS = 60_000;

type Respond = (status: number, reason?: string, headers?: ReadonlyArray<readonly [string, string]>) => void;

/**
 * What a transfer needs from its INVITE session (call.ts): a narrow seam, so that REFER and its
 * NOTIFYs live here and the session knows only that they exist.
 */
export interface TransferSession {
  readonly core: UaCore;
  readonly events: Emitter<CallEvents>;
  /** The session's media choice, for the call a REFER makes. */
  readonly mediaOptions: CallMediaOptions;
  /** The dialog while the call lasts (undefined once it ended). */
  liveDialog(): Dialog | undefined;
  /** Whether the dialog is confirmed and the call connected or held. */
  live(): boolean;
  /** The dialog, confirmed, of a connected or held call; throws a StateError naming `what` otherwise. */
  established(what: string): Dialog;
  sendInDialog(request: SipRequest): Promise<SendResult>;
  /** Ends the call with BYE. */
  bye(cause: CallEndCause): void;
  /** Places the call a REFER asks for (the call manager's call()). */
  call(target: string, options: CallMediaOptions, headers: ReadonlyArray<readonly [string, string]>): OutgoingCall;
}

/**
 * RFC 5589 §7: where a transferee reaches the party of `dialog` to replace it: its Contact when
 * that is a GRUU (RFC 5627: that very device, routable), else its address of record, with
 * `?Replaces=`. RFC 3891 §3: the tags as the party sees them, so to-tag is its tag (our remote
 * tag) and from-tag ours.
 */
export function replacingUri(dialog: Dialog): Uri {
  const { remoteTarget, remoteUri, callId, localTag, remoteTag } = dialog;
  const uri = remoteTarget instanceof SipUri && remoteTarget.params.has('gr') ? remoteTarget : remoteUri.uri;
  if (!(uri instanceof SipUri)) throw new StateError('connected', 'the party of this call has no SIP URI');
  return uri.with({
    headers: { Replaces: formatReplaces({ callId, toTag: remoteTag, fromTag: localTag, earlyOnly: false }) },
  });
}

/**
 * Call transfer on one INVITE session, both directions: the REFER we send and the NOTIFYs that
 * report its progress (RFC 3515 §2.4), and the REFER we receive, the call it makes (with Replaces
 * for an attended transfer, RFC 5589 §7, RFC 3891) and the NOTIFYs we send about it.
 */
export class Transfer {
  readonly #session: TransferSession;
  /** Our REFER was accepted: a final 2xx NOTIFY ends the call as transferred. */
  #transferring = false;
  /** A REFER from the peer is being decided or followed: another one now gets 491. */
  #busy = false;
  /** When REFERs from the peer reached the application, within the last REFER_WINDOW_MS. */
  #offered: number[] = [];
  /** Declines the REFER waiting for the user, when the call ends. */
  #onEnd: (() => void) | undefined;

  constructor(session: TransferSession) {
    this.#session = session;
  }

  /**
   * Sends the REFER: a string is a blind transfer; a dialog (of another of our established calls)
   * makes it attended. Resolves once the REFER is accepted (202).
   */
  async refer(target: string | Dialog): Promise<void> {
    const session = this.#session;
    const dialog = session.established('transfer');
    const core = session.core;
    const refer = dialog.createRequest('REFER');
    const uri = typeof target === 'string' ? core.targetUri(target) : replacingUri(target);
    refer.setHeader('Refer-To', new NameAddr(uri).toString());
    refer.setHeader('Referred-By', core.localAddress().toString());
    refer.setHeader('Contact', core.contact());
    requireSuccess((await session.sendInDialog(refer)).response, 'transfer refused');
    this.#transferring = true;
  }

  /**
   * NOTIFYs of a transfer we asked for; a final 2xx means the peer reached the target, so we
   * leave. The Event value is a token with parameters, like a media type.
   */
  receiveNotify(request: SipRequest, respond: Respond): void {
    if (mediaType(request.header('Event')) !== 'refer') return respond(489, 'Bad Event'); // RFC 6665 §8.2.1
    respond(200);
    const progress = sipfragStatus(request.body);
    if (!progress) return;
    this.#session.events.emit('transfer-progress', progress);
    if (this.#transferring && isSuccess(progress.status)) this.#session.bye('transferred');
  }

  /** The call ended: a REFER still waiting for the user is declined. */
  end(): void {
    this.#onEnd?.();
  }

  /**
   * RFC 3515 §2.4.2: a REFER is followed only with the user's approval, "an interactive query or
   * configured policy": the application's, through the `refer` event. Before it is asked, the UA
   * refuses (any 4xx-6xx is allowed) what a hostile peer would use to make the phone dial: a REFER
   * outside a confirmed dialog (403: the user never took that call), one while another is decided
   * or followed (491), one past the rate limit (503). Headers of the Refer-To URI go into the INVITE
   * it triggers (§2.1, RFC 3261 §19.1.5), but only Replaces (RFC 5589 §7): the others (Via,
   * Call-ID, CSeq, From, To, Route...) would let the referrer forge our request, so they are
   * dropped. The Request-URI is the URI without them.
   */
  receiveRefer(request: SipRequest, respond: Respond): void {
    const referTo = request.header('Refer-To');
    if (!referTo) return respond(400, 'Missing Refer-To');
    let uri: Uri;
    let replaces: string | undefined;
    try {
      uri = parseNameAddr(referTo).uri;
      if (uri instanceof SipUri && uri.headers.size) {
        const entry = [...uri.headers].find(([name]) => name.toLowerCase() === 'replaces');
        replaces = entry && formatReplaces(parseReplaces(entry[1]));
        uri = uri.with({ headers: undefined });
      }
    } catch {
      return respond(400, 'Bad Refer-To');
    }
    if (!this.#session.live()) return respond(403, 'REFER only in a confirmed dialog');
    if (this.#busy) return respond(491, 'Another REFER is in progress');
    const now = this.#session.core.clock.now();
    this.#offered = this.#offered.filter((time) => now - time < REFER_WINDOW_MS);
    if (this.#offered.length >= REFER_LIMIT) {
      const wait = Math.ceil((this.#offered[0]! + REFER_WINDOW_MS - now) / 1000);
      return respond(503, 'Too Many REFERs', [['Retry-After', String(wait)]]);
    }
    this.#offered.push(now);
    this.#offer(uri.toString(), replaces, request.header('Referred-By'), respond);
  }

  /**
   * Offers the REFER to the application and carries out its decision: accept (202, then the call),
   * reject (603), or defer: 202 and a pending NOTIFY now, since a proxy answers 408 for us after
   * its own timer (Kamailio: fr_timer), then the decision or the timeout's 603 by NOTIFY (§2.4.4:
   * a final NOTIFY reports a failed reference). Undecided after the event: 603.
   */
  #offer(target: string, replaces: string | undefined, referredBy: string | undefined, respond: Respond): void {
    const clock = this.#session.core.clock;
    let state: 'open' | 'deferred' | ReferOutcome = 'open';
    let timer: TimerHandle | undefined;
    let settle!: (outcome: ReferOutcome) => void;
    const outcome = new Promise<ReferOutcome>((resolve) => (settle = resolve));
    /** Settles the REFER; true when it had been answered 202 already (deferred). */
    const close = (result: ReferOutcome): boolean => {
      const deferred = state === 'deferred';
      state = result;
      clock.clearTimeout(timer);
      this.#onEnd = undefined;
      this.#busy = result === 'accepted';
      settle(result);
      return deferred;
    };
    const decline = (result: 'declined' | 'expired'): void => {
      if (state !== 'open' && state !== 'deferred') return;
      if (close(result)) this.#notify(603, 'Declined', 'terminated;reason=rejected');
      else respond(603);
    };
    this.#busy = true;
    const request: ReferRequest = {
      target,
      replaces,
      referredBy,
      outcome,
      accept: (options = {}) => {
        if (state !== 'open' && state !== 'deferred') return undefined;
        // A listener hung up during the event: there is no call left to transfer.
        if (!this.#session.liveDialog()) return void decline('declined');
        if (!close('accepted')) this.#accepted(respond);
        return this.#callReferred(target, replaces, options);
      },
      reject: () => decline('declined'),
      defer: (timeoutMs = REFER_ASK_TIMEOUT_MS) => {
        if (state !== 'open') return;
        state = 'deferred';
        this.#accepted(respond);
        timer = clock.setTimeout(() => decline('expired'), Math.min(Math.max(timeoutMs, 0), REFER_ASK_MAX_MS));
        this.#onEnd = () => decline('declined');
      },
    };
    this.#session.events.emit('refer', request);
    if (state === 'open') decline('declined');
  }

  /** §2.4.4: 202, then at once a NOTIFY saying the reference is pending. */
  #accepted(respond: Respond): void {
    respond(202);
    this.#notify(100, 'Trying', 'active;expires=60');
  }

  /** A NOTIFY of the refer event with the sipfrag status line `status reason` (§2.4.5). */
  #notify(status: number, reason: string, subscriptionState = 'terminated;reason=noresource'): void {
    const session = this.#session;
    const dialog = session.liveDialog();
    if (!dialog) return;
    const request = dialog.createRequest('NOTIFY');
    request.setHeader('Event', 'refer');
    request.setHeader('Subscription-State', subscriptionState);
    request.setHeader('Contact', session.core.contact());
    request.setHeader('Content-Type', SIPFRAG);
    request.body = sipfragBody(status, reason);
    void session.sendInDialog(request).catch(() => undefined);
  }

  /**
   * Calls the REFER target and reports its progress to the referrer by NOTIFY (§2.4.4). Audio only
   * unless `options` asks for video: a REFER must not send the camera to a stranger because the
   * call it came in had video.
   */
  #callReferred(target: string, replaces: string | undefined, options: CallMediaOptions): OutgoingCall {
    const session = this.#session;
    // RFC 3891 §4, §6.2: with Require: replaces a target that does not know Replaces refuses with
    // 420 (RFC 3261 §8.2.2.3), which reaches the referrer as a failed transfer, instead of ringing
    // as a new call and leaving the dialog it should replace up: three parties, none of them told.
    const headers: Array<[string, string]> = replaces
      ? [
          ['Replaces', replaces],
          ['Require', 'replaces'],
        ]
      : [];
    const media = { audio: options.audio ?? session.mediaOptions.audio, video: options.video ?? false };
    const call = session.call(target, media, headers);
    session.events.emit('referred-call', call);
    const offState = call.events.on('state', (state) => {
      if (state !== 'connected') return;
      offState();
      this.#busy = false;
      this.#notify(200, 'OK');
    });
    call.events.on('ended', ({ cause, status, reason }) => {
      offState();
      this.#busy = false;
      if (cause !== 'hangup' && cause !== 'remote-hangup' && cause !== 'transferred')
        this.#notify(status ?? 500, reason ?? cause);
    });
    return call;
  }
}
