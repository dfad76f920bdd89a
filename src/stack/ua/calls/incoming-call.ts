import type { TimerHandle } from '../../core/clock';
import { StateError } from '../../core/errors';
import { Dialog } from '../../dialog/dialog';
import type { SipRequest, SipResponse } from '../../message/message';
import type { ServerTransaction } from '../../transaction/transaction-layer';
import { responseTo } from '../../transaction/requests';
import { ALLOW, SUPPORTED } from '../capabilities';
import { sdpOf } from '../../message/content';
import { completedElsewhere } from '../../message/reason';
import { Call } from './call';
import type { CallContext } from './call-context';
import type { CallEndCause, CallMediaOptions } from './call-types';
import { ReliableProvisionals, requires100rel } from './reliable-provisional';
import { answerModeHeader, type AutoAnswer } from './auto-answer';

/** How long an incoming call rings before it is declined with 480 unless told otherwise (60 s). */
export const DEFAULT_RING_TIMEOUT_MS = 60_000;

/**
 * A call we receive (RFC 3261 §13.3): ring() sends 180 Ringing with our tag, which makes the early
 * dialog, once the application has seen the call (one it declines at once never rings); answer()
 * makes the answer (or, for an INVITE without SDP, the offer that the ACK answers) and sends a
 * 200 until its ACK; decline() sends 486, 488 or 603; a CANCEL from the caller ends it with 487.
 */
export class IncomingCall extends Call {
  readonly direction = 'incoming' as const;
  /** Set when the INVITE asks to be answered without the user (auto-answer.ts); the application answers. */
  autoAnswer: AutoAnswer | undefined;
  readonly #ctx: CallContext;
  readonly #offer: string | undefined;
  #answering = false;
  #ringTimer: TimerHandle | undefined;
  readonly #ringTimeoutMs: number;
  /**
   * RFC 3262: set when the INVITE requires 100rel. Only then are our 1xx reliable: like Asterisk's
   * default (100rel=yes) and FreeSWITCH's (enable-100rel off), a caller that merely supports it
   * gets plain 1xx, since each reliable one costs a PRACK round trip and may hold back the 2xx.
   */
  readonly #reliable: ReliableProvisionals | undefined;
  /** Our answer, being made or made for early media (earlyMedia()): the 200 confirms the same one. */
  #earlyAnswer: Promise<string> | undefined;

  constructor(
    context: CallContext,
    readonly invite: SipRequest,
    readonly transaction: ServerTransaction,
    firstLocalSeq: number,
    /** How long it may ring unanswered before it is declined with 480 (issue 15: a call cannot ring forever). */
    ringTimeoutMs = DEFAULT_RING_TIMEOUT_MS,
  ) {
    super(context, invite.from, 'incoming', context.defaults);
    this.#ctx = context;
    this.#offer = sdpOf(invite);
    this.notePeer(invite);
    context.track((this.dialog = Dialog.asUas(invite, context.core.newTag(), true, firstLocalSeq)), this);
    this.#ringTimeoutMs = ringTimeoutMs;
    const core = context.core;
    this.#reliable = requires100rel(invite)
      ? new ReliableProvisionals({
          clock: core.clock,
          // §3: RECOMMENDED uniform in 1..2**31 - 1, so a stray PRACK cannot guess it.
          firstRSeq: 1 + Math.floor(core.random.float() * 0x7ffffffe),
          send: (response) => transaction.respond(response),
          giveUp: () => {
            // §3: no PRACK within 64*T1: the INVITE is rejected with a 5xx.
            core.respond(transaction, 500, 'No PRACK');
            this.finish('failed', 500, 'no PRACK for a reliable provisional response');
          },
        })
      : undefined;
  }

  /** Sends a 1xx: reliably (RFC 3262) when the caller requires it. */
  #provisional(response: SipResponse): void {
    if (this.#reliable) this.#reliable.send(response);
    else this.transaction.respond(response);
  }

  /**
   * A PRACK (RFC 3262 §3): 200 for the outstanding reliable 1xx, 481 for any other RAck. Our
   * INVITE answers always went in the 1xx or go in the 2xx, so SDP in a PRACK could only be a new
   * offer (§5), which this phone does not take there: the 1xx counts as acknowledged, the offer
   * is refused with 488 (RFC 3261 §13.2.1 leaves a refused offer's session as it was).
   */
  protected override receivePrack(request: SipRequest, respond: (status: number) => void): void {
    const status = this.#reliable?.receivePrack(request, this.invite.cseq.seq) ?? 481;
    respond(status === 200 && sdpOf(request) ? 488 : status);
  }

  /** RFC 3311 §5.1 with RFC 3262 §5: our answer went in a reliable 1xx, and its PRACK came. */
  protected override earlyExchangeComplete(): boolean {
    return !!this.#reliable?.answerAcknowledged;
  }

  /**
   * §13.3.1.1: ringing, with our tag and Contact, so the caller has an early dialog with us. Sent
   * after the application's incoming-call listeners ran, so a call they declined (486, 488, 603)
   * gets its final response alone instead of a ring the caller would show for nothing. A call
   * that replaces another (RFC 3891) is answered at once and never rings.
   */
  ring(): void {
    if (this.ended) return;
    this.#provisional(this.#response(180));
    // RFC 3261 §13.3.1.1 lets the UAS decide when to give up; 480 Temporarily Unavailable says
    // "no answer" (§21.4.18) without claiming the user is busy.
    this.#ringTimer = this.#ctx.core.clock.setTimeout(() => this.#noAnswer(), this.#ringTimeoutMs);
  }

  #noAnswer(): void {
    if (this.state !== 'incoming' || this.#answering || this.ended) return;
    this.#ctx.core.respond(this.transaction, 480, 'No Answer');
    this.finish('no-answer', 480);
  }

  /**
   * A response that makes (or confirms) the dialog: our To tag, our Contact, and the Record-Route
   * of the INVITE copied as it came (§12.1.1), without which proxies cannot route in the dialog.
   */
  #response(status: number, sdp?: string): SipResponse {
    const response = responseTo(this.invite, status, undefined, this.dialog!.localTag);
    const recordRoute = this.invite.recordRoute;
    if (recordRoute[0]) response.setHeader('Record-Route', recordRoute);
    response.setHeader('Contact', this.#ctx.core.contact());
    // §13.3.1.4 (and §13.3.1.1 for ringing): what we speak, so the caller knows, among others,
    // that it may later replace this dialog with us (RFC 3891 replaces, RFC 5589 §7).
    response.setHeader('Allow', ALLOW);
    response.setHeader('Supported', SUPPORTED);
    return sdp === undefined ? response : this.#ctx.core.withSdp(response, sdp);
  }

  /** Whether the caller offered video. */
  get offersVideo(): boolean {
    return /^m=video [1-9]/m.test(this.#offer ?? '');
  }

  #unanswered(what: string): void {
    if (this.state !== 'incoming' || this.#answering)
      throw new StateError(this.state, `cannot ${what} a call in state ${this.state}`);
  }

  /**
   * Answers: our answer (or, for an INVITE without SDP, our offer) in a 200 sent until its ACK.
   * `auto` says the call is answered without the user (auto-answer): the 200 of a call that asked
   * by RFC 5373 Answer-Mode or Priv-Answer-Mode says `Auto`, else `Manual`.
   */
  async answer(options: CallMediaOptions & { auto?: boolean } = {}): Promise<void> {
    this.#unanswered('answer');
    this.#answering = true;
    this.#ctx.core.clock.clearTimeout(this.#ringTimer);
    const ctx = this.#ctx;
    const offer = this.#offer;
    await ctx.holdOthers(this);
    if (this.ended) return; // canceled (or hung up) while the other calls went on hold: no media to make
    const { auto = false, ...choices } = options;
    const media = this.media ?? this.attachMedia(ctx.createMedia({ ...this.mediaOptions, ...choices }));
    let sdp: string;
    try {
      sdp = await (this.#earlyAnswer ?? (offer ? media.applyOffer(offer) : media.createOffer()));
    } catch (error) {
      if (!this.ended) {
        ctx.core.respond(this.transaction, offer ? 488 : 500);
        this.finish('failed', undefined, `cannot answer: ${(error as Error).message}`);
      }
      return;
    }
    // RFC 3262 §3: the 2xx waits for the PRACK of a reliable 1xx that carried our SDP.
    await this.#reliable?.settled();
    if (this.ended) return; // canceled while we prepared the answer
    this.#reliable?.stop();
    this.dialog!.confirm();
    // §5: an answer sent in a reliable 1xx completed the exchange; the 2xx carries no other.
    const ok = this.#response(200, this.#reliable?.sdpSent ? undefined : sdp);
    this.sessionTimer.accept(this.invite, ok); // RFC 4028 §9
    const mode = answerModeHeader(this.autoAnswer, auto);
    if (mode) ok.setHeader(...mode);
    this.sendOk(this.transaction, ok, (ack) => {
      // An INVITE without an offer: ours went in the 200, the answer comes in the ACK (§13.2.1).
      if (!offer && ack.body)
        void media
          .applyAnswer(ack.body)
          .catch((error: Error) => this.bye('failed', `unusable answer in ACK: ${error.message}`));
    });
    this.setState('connected');
  }

  /**
   * Early media (RFC 3960 §3, the gateway model): answers the caller's offer in a 183 Session
   * Progress, reliable when the caller requires 100rel, so the caller hears us before answer(),
   * which then confirms the same session. The call stays `incoming`. For an INVITE without an
   * offer there is nothing to answer early: it only rings.
   */
  async earlyMedia(options: CallMediaOptions = {}): Promise<void> {
    this.#unanswered('send early media');
    const offer = this.#offer;
    if (!offer || this.#earlyAnswer) return;
    const media = this.attachMedia(this.#ctx.createMedia({ ...this.mediaOptions, ...options }));
    let sdp: string;
    try {
      sdp = await (this.#earlyAnswer = media.applyOffer(offer));
    } catch (error) {
      if (!this.ended) {
        this.#ctx.core.respond(this.transaction, 488);
        this.finish('failed', undefined, `cannot answer: ${(error as Error).message}`);
      }
      return;
    }
    // Answered meanwhile: the 200 carries this answer instead.
    if (this.ended || this.#answering) return;
    this.#provisional(this.#response(183, sdp));
  }

  /**
   * §15.1.2: a call that ends before our final response (the caller's BYE on the early dialog, a
   * hangup while the answer is being made) still answers its INVITE: 487 Request Terminated.
   */
  protected override finish(cause: CallEndCause, status?: number, reason?: string): void {
    this.#ctx.core.clock.clearTimeout(this.#ringTimer);
    this.#reliable?.stop();
    if (!this.ended && this.transaction.state === 'proceeding') this.#ctx.core.respond(this.transaction, 487);
    super.finish(cause, status, reason);
  }

  /**
   * Declines with 603 Decline, 486 Busy Here, or 488 Not Acceptable Here: the application knows
   * before any offer/answer that it cannot take part in a session (no WebRTC here, RFC 3261 §21.4.26).
   */
  decline(status: 486 | 488 | 603 = 603): void {
    this.#unanswered('decline');
    this.#ctx.core.respond(this.transaction, status);
    this.finish('declined', status);
  }

  async hangup(): Promise<void> {
    if (this.ended) return;
    if (this.state === 'incoming' && !this.#answering) return this.decline();
    this.bye('hangup');
  }

  /**
   * §9.2: the caller CANCELed before our final response: the INVITE gets 487. A CANCEL whose
   * Reason is `SIP ;cause=200` comes from a forking proxy because another device of the user
   * answered (RFC 3326 §2): the call ends `answered-elsewhere`, which is no missed call.
   */
  remoteCancel(cancel?: SipRequest): void {
    if (this.ended || this.state !== 'incoming') return;
    this.#ctx.core.respond(this.transaction, 487);
    const elsewhere = cancel !== undefined && completedElsewhere(cancel);
    this.finish(elsewhere ? 'answered-elsewhere' : 'remote-canceled', 487);
  }
}
