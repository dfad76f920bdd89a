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
  readonly #ctx: CallContext;
  readonly #offer: string | undefined;
  #answering = false;
  #ringTimer: TimerHandle | undefined;
  readonly #ringTimeoutMs: number;

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
    context.track((this.dialog = Dialog.asUas(invite, context.core.newTag(), true, firstLocalSeq)), this);
    this.#ringTimeoutMs = ringTimeoutMs;
  }

  /**
   * §13.3.1.1: ringing, with our tag and Contact, so the caller has an early dialog with us. Sent
   * after the application's incoming-call listeners ran, so a call they declined (486, 488, 603)
   * gets its final response alone instead of a ring the caller would show for nothing. A call
   * that replaces another (RFC 3891) is answered at once and never rings.
   */
  ring(): void {
    if (this.ended) return;
    this.transaction.respond(this.#response(180));
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
    if (this.state !== 'incoming' || this.#answering) throw new StateError(this.state, `cannot ${what} a call in state ${this.state}`);
  }

  async answer(options: CallMediaOptions = {}): Promise<void> {
    this.#unanswered('answer');
    this.#answering = true;
    this.#ctx.core.clock.clearTimeout(this.#ringTimer);
    const ctx = this.#ctx;
    const offer = this.#offer;
    await ctx.holdOthers(this);
    if (this.ended) return; // canceled (or hung up) while the other calls went on hold: no media to make
    const media = this.attachMedia(ctx.createMedia({ ...this.mediaOptions, ...options }));
    let sdp: string;
    try {
      sdp = await (offer ? media.applyOffer(offer) : media.createOffer());
    } catch (error) {
      if (!this.ended) {
        ctx.core.respond(this.transaction, offer ? 488 : 500);
        this.finish('failed', undefined, `cannot answer: ${(error as Error).message}`);
      }
      return;
    }
    if (this.ended) return; // canceled while we prepared the answer
    this.dialog!.confirm();
    this.sendOk(this.transaction, this.#response(200, sdp), (ack) => {
      // An INVITE without an offer: ours went in the 200, the answer comes in the ACK (§13.2.1).
      if (!offer && ack.body) void media.applyAnswer(ack.body).catch((error: Error) => this.bye('failed', `unusable answer in ACK: ${error.message}`));
    });
    this.setState('connected');
  }

  /**
   * §15.1.2: a call that ends before our final response (the caller's BYE on the early dialog, a
   * hangup while the answer is being made) still answers its INVITE: 487 Request Terminated.
   */
  protected override finish(cause: CallEndCause, status?: number, reason?: string): void {
    this.#ctx.core.clock.clearTimeout(this.#ringTimer);
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
