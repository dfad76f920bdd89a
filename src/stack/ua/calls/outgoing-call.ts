import type { TimerHandle } from '../../core/clock';
import { Dialog } from '../../dialog/dialog';
import { CSeq, NameAddr, type SipRequest, type SipResponse, type Uri } from '../../message/message';
import type { SendResult } from '../ua-core';
import type { ClientTransaction, ServerTransaction } from '../../transaction/transaction-layer';
import { cancelFor } from '../../transaction/requests';
import { sdpOf } from '../../message/content';
import { Call } from './call';
import type { CallContext } from './call-context';
import type { CallEndCause, CallMediaOptions } from './call-types';
import { PrackSender, rackFor, reliableSeq } from './reliable-provisional';

/** Why a call we placed ended, by the final status refusing it; any other is 'rejected'. */
/** Forks of one outgoing call that get an early dialog (RFC 3261 §13.2.2.4); a handful in practice. */
export const MAX_EARLY_DIALOGS = 16;

const END_CAUSES: Readonly<Record<number, CallEndCause>> = {
  486: 'busy',
  600: 'busy',
  603: 'declined',
  408: 'no-answer',
  480: 'no-answer',
  487: 'no-answer',
  500: 'failed',
  503: 'failed',
};

/**
 * A call we place (RFC 3261 §13.2): the INVITE with our offer, provisional responses that make
 * early dialogs (one per To tag: forking, §13.2.2.4), early media from a 183 with SDP, the 2xx
 * that confirms one dialog (its ACK sent, other forks ACKed and sent BYE), and CANCEL (§9.1),
 * including the race where the 200 crosses our CANCEL.
 */
export class OutgoingCall extends Call {
  readonly direction = 'outgoing' as const;
  readonly #ctx: CallContext;
  readonly #target: Uri;
  readonly #headers: ReadonlyArray<readonly [string, string]>;
  #invite: SipRequest | undefined;
  #transaction: ClientTransaction | undefined;
  readonly #early = new Map<string, Dialog>();

  /** How many early dialogs (forks that answered 1xx with a tag) this call holds now. */
  get earlyDialogs(): number {
    return this.#early.size;
  }
  #provisionalSeen = false;
  #cancelRequested = false;
  #cancelGrace: TimerHandle | undefined;
  #ack: SipRequest | undefined;
  /** RFC 3262 §4: which reliable 1xx to PRACK, per fork. */
  readonly #prack: PrackSender;
  /**
   * The fork whose reliable-1xx answer became the session's final answer before the 2xx, because
   * it sent an UPDATE with a new offer in its early dialog (RFC 3311 §5.1). Its 2xx repeats no
   * answer to apply; another fork's early offers then get 491, its 2xx a BYE (the session is taken).
   */
  #settledFork: string | undefined;

  constructor(
    context: CallContext,
    target: Uri,
    mediaOptions: CallMediaOptions,
    /** Extra headers of the INVITE: Replaces, for an attended transfer (RFC 5589 §7). */
    headers: ReadonlyArray<readonly [string, string]> = [],
  ) {
    super(context, new NameAddr(target), 'calling', mediaOptions);
    this.#headers = headers;
    this.#ctx = context;
    this.#target = target;
    this.#prack = new PrackSender(context.core.logger);
  }

  /** Makes the offer and sends the INVITE; the call's events tell the rest. */
  async start(): Promise<void> {
    const media = this.attachMedia(this.#ctx.createMedia(this.mediaOptions));
    let offer: string;
    try {
      offer = await media.createOffer();
    } catch (error) {
      return this.finish('failed', undefined, `no local media: ${(error as Error).message}`);
    }
    if (this.ended) return; // hung up while the offer was being made
    const core = this.#ctx.core;
    let invite = core.withSdp(core.createRequest('INVITE', this.#target), offer);
    for (const [name, value] of this.#headers) invite.setHeader(name, value);
    for (;;) {
      this.sessionTimer.decorate(invite); // RFC 4028 §7.1
      const sent = await core.send((this.#invite = invite), {
        onTransaction: (transaction, request) => {
          this.#transaction = transaction;
          this.#invite = request;
        },
        onProvisional: (response) => void this.#provisional(response),
        onLaterSuccess: (response) => this.#laterSuccess(response),
      });
      // RFC 4028 §7.4: a 422 names the Min-SE it takes; the INVITE goes again (same Call-ID and
      // tag, next CSeq) asking that, a bounded number of times.
      if (sent.response.status !== 422 || this.ended || !this.sessionTimer.retryAfter422(sent.response)) {
        await this.#sent(sent);
        return;
      }
      invite = sent.request.clone();
      invite.removeHeader('Authorization');
      invite.removeHeader('Proxy-Authorization');
      invite.setHeader('CSeq', new CSeq(sent.request.cseq.seq + 1, 'INVITE'));
    }
  }

  async #sent({ response, authProblem, error }: SendResult): Promise<void> {
    const core = this.#ctx.core;
    // The connection dropped under a ringing call: the callee still rings (a proxy would CANCEL
    // only at Timer C, §16.8, minutes later). The INVITE had a provisional response, so §9.1
    // allows a CANCEL; sent from the new flow it matches the callee's transaction by branch (§9.2).
    if (error?.name === 'TransportError' && this.#provisionalSeen) {
      void core.whenConnected(60000).then(
        () => this.#sendCancel(),
        () => undefined,
      );
    }
    await this.#final(response, authProblem);
  }

  async hangup(): Promise<void> {
    if (this.ended) return;
    if (this.dialog && !this.dialog.early) return this.bye('hangup');
    // §9.1: CANCEL only once a provisional response has come; until then the wish is remembered.
    this.#cancelRequested = true;
    if (!this.#provisionalSeen) return this.finish('canceled');
    this.#sendCancel();
    // A CANCELed INVITE may take 5 s to end with its 487 before the call ends without it.
    this.#cancelGrace = this.#ctx.core.clock.setTimeout(() => this.finish('canceled'), 5000);
  }

  #sendCancel(): void {
    const core = this.#ctx.core;
    if (!this.#invite || !this.#transaction) return;
    try {
      core.transactions.sendRequest(cancelFor(this.#invite), {
        onResponse: () => undefined,
        onFailure: () => undefined,
      });
    } catch (error) {
      core.logger.warn(`CANCEL not sent: ${(error as Error).message}`);
    }
  }

  async #provisional(response: SipResponse): Promise<void> {
    if (response.status === 100) return;
    if (!this.#provisionalSeen) {
      this.#provisionalSeen = true;
      if (this.#cancelRequested) return this.#sendCancel();
    }
    if (this.ended) return;
    // RFC 3262 §4: a reliable 1xx out of order, or a retransmission, is not processed further.
    const reliability = this.#prack.receive(response);
    if (reliability === 'ignore') return;
    const tag = response.to.tag;
    const invite = this.#invite;
    if (tag && invite) {
      const early = this.#early;
      const known = early.get(tag);
      // Issue 15: one early dialog per To tag, so a far end sending 180s with ever new tags made
      // as many dialogs. Past MAX_EARLY_DIALOGS forks a new tag is ringing only; its 2xx still
      // makes its dialog in #final (§13.2.2.4).
      if (known) this.dialog = known;
      else if (early.size < MAX_EARLY_DIALOGS) {
        early.set(tag, (this.dialog = Dialog.asUac(invite, response)));
        // Its UPDATEs (RFC 3311: connected line, a new offer once the answer came reliably) reach us.
        this.#ctx.track(this.dialog, this);
      }
    }
    // A fork past MAX_EARLY_DIALOGS has no dialog to PRACK in: its UAS gives up on it (§3).
    if (reliability === 'new' && tag && this.#early.has(tag)) this.#sendPrack(this.#early.get(tag)!, response);
    const sdp = sdpOf(response);
    // §5: our INVITE had the offer, so SDP in a reliable 1xx is the answer; a fork's later 1xx SDP is no new one.
    if (sdp && reliability === 'new' && !this.#prack.answered(tag!, sdp)) return this.#ringing();
    if (sdp && this.#settledFork === undefined) {
      // Early media: a 183 (or 180) with SDP plays the callee's media before the answer.
      try {
        await this.media!.applyAnswer(sdp, { provisional: true });
        this.setState('early');
      } catch (error) {
        this.events.emit('error', error as Error);
      }
    } else this.#ringing();
  }

  /**
   * A request in one of our dialogs. While they are early, only UPDATE is taken (RFC 3311 §5.1),
   * in the dialog of the fork that sent it; anything else, and any request from a fork whose early
   * dialog the 2xx of another ended, finds no dialog: 481 (RFC 3261 §12.2.2).
   */
  override receiveInDialog(request: SipRequest, transaction: ServerTransaction | undefined): void {
    const fork = this.#early.get(request.from.tag ?? '');
    if (fork && request.method === 'UPDATE') this.dialog = fork;
    else if (this.dialog?.early || request.from.tag !== this.dialog?.remoteTag) {
      if (transaction) this.#ctx.core.respond(transaction, 481);
      return;
    }
    super.receiveInDialog(request, transaction);
  }

  /**
   * RFC 3311 §5.1: the fork answered our INVITE in a reliable 1xx (RFC 3262 §5), and no other fork's answer was made
   * final.
   */
  protected override earlyExchangeComplete(): boolean {
    const tag = this.dialog!.remoteTag;
    return this.#prack.answerOf(tag) !== undefined && (this.#settledFork ?? tag) === tag;
  }

  /**
   * An offer in the early dialog is answered on top of the fork's reliable-1xx answer, applied so
   * far as provisional (early media): it becomes the final one now (RFC 3262 §5), once.
   */
  protected override async settleEarlyAnswer(): Promise<void> {
    const tag = this.dialog!.remoteTag;
    if (this.#settledFork === tag) return;
    await this.media!.applyAnswer(this.#prack.answerOf(tag)!);
    this.#settledFork = tag;
  }

  #ringing(): void {
    if (this.state === 'calling') this.setState('ringing');
  }

  /**
   * RFC 3262 §4: a PRACK in the 1xx's early dialog (its route set, its next CSeq), RAck naming the
   * 1xx. Its own non-INVITE transaction retransmits it; when it fails (408, 503) the 1xx's next
   * retransmission is acknowledged again.
   */
  #sendPrack(dialog: Dialog, response: SipResponse): void {
    const rseq = reliableSeq(response)!;
    const prack = dialog.createRequest('PRACK');
    prack.setHeader('RAck', rackFor(response, rseq));
    const failed = () => this.#prack.prackFailed(dialog.remoteTag, rseq);
    this.#ctx.core.send(prack, { nextSeq: () => dialog.nextSeq() }).then(({ response: answer }) => {
      if (answer.status > 299 && answer.status !== 481) failed();
    }, failed);
  }

  async #final(response: SipResponse, authProblem: string | undefined): Promise<void> {
    const core = this.#ctx.core;
    core.clock.clearTimeout(this.#cancelGrace);
    const { status, reason } = response;
    if (status > 299) {
      if (this.#cancelRequested && status === 487) this.finish('canceled', 487, reason);
      else this.finish(END_CAUSES[status] ?? 'rejected', status, authProblem ?? reason);
      return;
    }
    const invite = this.#invite!;
    const dialog = (this.dialog = this.#early.get(response.to.tag ?? '') ?? Dialog.asUac(invite, response));
    dialog.confirm(response);
    this.#early.clear();
    core.sendAck((this.#ack = dialog.createAck(invite.cseq.seq)));
    if (this.ended || this.#cancelRequested) {
      // The 200 crossed our CANCEL (§9.1, §15): the call exists now, so it is ended with BYE.
      void this.sendInDialog(dialog.createRequest('BYE')).catch(() => undefined);
      return this.finish('canceled');
    }
    this.#ctx.track(dialog, this);
    this.notePeer(response);
    this.sessionTimer.answered(response); // RFC 4028 §7.2
    try {
      // RFC 3262 §5: a fork that answered in a reliable 1xx need not repeat it in the 2xx; the
      // early answer (applied as provisional) becomes the final one.
      // Made final already, and renegotiated since by UPDATE: nothing more to apply.
      const answer =
        this.#settledFork === response.to.tag ? undefined : response.body || this.#prack.answerOf(response.to.tag);
      if (answer) await this.media!.applyAnswer(answer);
    } catch (error) {
      // RFC 3264 §6: an answer we cannot use leaves no session: end it.
      return this.bye('failed', `unusable answer: ${(error as Error).message}`);
    }
    this.setState('connected');
  }

  /** §13.2.2.4: a retransmitted 2xx is ACKed again; a 2xx from another fork is ACKed and ended with BYE. */
  #laterSuccess(response: SipResponse): void {
    const core = this.#ctx.core;
    const invite = this.#invite;
    if (this.dialog && response.to.tag === this.dialog.remoteTag) {
      if (this.#ack) core.resendAck(this.#ack);
    } else if (invite) {
      const fork = Dialog.asUac(invite, response);
      core.sendAck(fork.createAck(invite.cseq.seq));
      void core.send(fork.createRequest('BYE')).catch(() => undefined);
    }
  }
}
