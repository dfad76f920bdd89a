/**
 * re-INVITE (RFC 3261 §14): changing an established session both ways. Ours: the offer goes
 * out, the answer in the 2xx is applied and ACKed, and a 491 (glare, §14.1) is retried after the
 * §14.1 wait; a re-INVITE the peer answered 100 but never finally is CANCELed (§9.1). The peer's:
 * answered 491 or 500 while an offer is outstanding (§14.2), else its offer answered (or, without
 * one, ours made) in a 2xx that ok-retransmission.ts repeats until the ACK. Every re-INVITE
 * refreshes the session (RFC 4028 §7.4). The call reaches this module through ReinviteSession.
 */
import { StateError, TransportError } from '../../core/errors';
import type { Dialog } from '../../dialog/dialog';
import { isSuccess, sdpOf } from '../../message/content';
import type { SipRequest, SipResponse } from '../../message/message';
import { cancelFor, responseTo } from '../../transaction/requests';
import type { ClientTransaction, ServerTransaction } from '../../transaction/transaction-layer';
import type { MediaSession, OfferOptions } from '../media-session';
import { RequestFailedError } from '../request-failed-error';
import type { SendResult, UaCore } from '../ua-core';
import type { CallDirection, CallEndCause, CallState } from './call-types';
import type { OkRetransmission } from './ok-retransmission';
import type { SessionTimer } from './session-timer';

/** What a re-INVITE needs of its call. */
export interface ReinviteSession {
  readonly core: UaCore;
  readonly timer: SessionTimer;
  readonly ok: OkRetransmission;
  direction(): CallDirection;
  state(): CallState;
  dialog(): Dialog;
  media(): MediaSession | undefined;
  /** The dialog of a connected or held call; a StateError naming `what` otherwise. */
  established(what: string): Dialog;
  /** The peer's identity headers (identity-update.ts) and its Allow. */
  notePeer(request: SipRequest): void;
  /** The media's directions changed: connected or held. */
  updateHold(): void;
  error(error: Error): void;
  sendInDialog(
    request: SipRequest,
    onLaterSuccess?: (response: SipResponse) => void,
    onTransaction?: (transaction: ClientTransaction, request: SipRequest) => void,
  ): Promise<SendResult>;
  bye(cause: CallEndCause, reason?: string): void;
  /** Our 2xx to the peer's re-INVITE leaves over our current flow: it refreshes our target (recovery.ts). */
  answered(): void;
}

export class Reinvites {
  /**
   * RFC 3264 §4 / RFC 3261 §14: set while an offer is outstanding, ours (re-INVITE sent, no final
   * response yet) or the peer's (being answered). A re-INVITE arriving then gets 491. Not set
   * during the §14.1 wait, so the peer's retry gets through.
   */
  offerPending = false;
  #changing = false;

  constructor(private readonly session: ReinviteSession) {}

  /** One local change (hold, video, ICE restart) at a time, through its retries. */
  get changing(): boolean {
    return this.#changing;
  }

  /**
   * Changes the session by re-INVITE: `change` edits the media (hold, video, ...), the offer goes
   * out, and the answer is applied. A 491 means glare: roll back, wait the §14.1 time, try again
   * (up to three times); any other failure rolls back and `undo`es the change.
   */
  async renegotiate(
    change: (media: MediaSession) => void,
    undo: (media: MediaSession) => void,
    offerOptions?: OfferOptions,
  ): Promise<void> {
    const session = this.session;
    const dialog = session.established('renegotiate');
    if (this.#changing) throw new StateError(session.state(), 'an offer/answer exchange is in progress');
    this.#changing = true;
    const core = session.core;
    const media = session.media()!;
    try {
      change(media);
      for (let attempt = 1; ; attempt++) {
        // §14.1: no INVITE of ours while one of the peer's is in progress: its offer is being
        // answered, or our 2xx waits for its ACK (until it comes, or §13.3.1.4 ends the call).
        while (this.offerPending || session.ok.waiting) await core.sleep(50);
        session.established('renegotiate');
        this.offerPending = true;
        const reinvite = core.withSdp(dialog.createRequest('INVITE'), await media.createOffer(offerOptions));
        session.timer.decorate(reinvite); // every re-INVITE refreshes the session (RFC 4028 §7.4)
        let ack: SipRequest | undefined;
        let sent: { transaction: ClientTransaction; request: SipRequest } | undefined;
        const unguard = this.#cancelWhenUnanswered(() => sent);
        // A 2xx retransmitted after the first is ACKed again (§13.2.2.4).
        const { response, request } = await session.sendInDialog(
          reinvite,
          () => ack && core.resendAck(ack),
          (transaction, request) => (sent = { transaction, request }),
        );
        unguard();
        this.offerPending = false;
        const { status, reason } = response;
        if (isSuccess(status)) {
          core.sendAck((ack = dialog.createAck(request.cseq.seq)));
          dialog.refreshTarget(response);
          session.timer.answered(response);
          await media.applyAnswer(response.body);
          return session.updateHold();
        }
        await media.rollback();
        // RFC 4028 §7.4: too small an interval for the peer: again with the Min-SE it named.
        if (status === 422 && session.timer.retryAfter422(response)) {
          change(media);
          continue;
        }
        if (status !== 491 || attempt > 2) {
          undo(media);
          const problem = `re-INVITE failed: ${status} ${reason}`;
          // §14.1: a 481 or 408 to a re-INVITE ends the dialog.
          if (status === 481 || status === 408) session.bye('failed', problem);
          throw new RequestFailedError(status, reason, problem);
        }
        // Glare. §14.1: the Call-ID owner waits 2.1–4 s, the other side 0–2 s, in units of 10 ms.
        // The rollback undid our change too: wait, then make it again on whatever the peer did.
        const outgoing = session.direction() === 'outgoing';
        await core.sleep((outgoing ? 2100 : 0) + Math.floor(core.random.float() * (outgoing ? 191 : 201)) * 10);
        session.established('renegotiate');
        change(media);
      }
    } finally {
      this.offerPending = false;
      this.#changing = false;
    }
  }

  /**
   * A re-INVITE the peer answered 100 but whose final response never comes (it was lost with the
   * peer's connection, and a reliable transport does not resend it; Timer B only runs before the
   * 100) would hold the offer open for ever, and every later re-INVITE of either side would meet
   * 491. §9.1: after 64*T1 it is CANCELed, and 64*T1 after the CANCEL without a final response it
   * is given up (as a 503, so the dialog stays). Returns the guard's remover.
   */
  #cancelWhenUnanswered(sent: () => { transaction: ClientTransaction; request: SipRequest } | undefined): () => void {
    const core = this.session.core;
    let timer = core.clock.setTimeout(() => {
      const reinvite = sent();
      if (reinvite?.transaction.state !== 'proceeding') return;
      try {
        core.transactions.sendRequest(cancelFor(reinvite.request), {
          onResponse: () => undefined,
          onFailure: () => undefined,
        });
      } catch (error) {
        core.logger.warn(`CANCEL not sent: ${(error as Error).message}`);
      }
      timer = core.clock.setTimeout(
        () => reinvite.transaction.fail(new TransportError('connection-closed', 'no final response to the re-INVITE')),
        32000,
      );
    }, 32000);
    return () => core.clock.clearTimeout(timer);
  }

  /**
   * A re-INVITE from the peer: glare gets 491 (§14.2), else answer its offer or make one (offer in the 2xx, answer in
   * the ACK).
   */
  async receive(request: SipRequest, transaction: ServerTransaction): Promise<void> {
    const session = this.session;
    const core = session.core;
    const media = session.media();
    const dialog = session.dialog();
    // §14.2: an INVITE of ours is in progress (our first one, still early, or our re-INVITE) → 491;
    // one of theirs is (their first, not yet answered, or our 2xx not yet ACKed) → 500, Retry-After.
    const early = !media || dialog.early;
    const ours = this.offerPending || (early && session.direction() === 'outgoing');
    if (ours || early || session.ok.waiting) {
      core.respond(transaction, ours ? 491 : 500, undefined, ours ? [] : [['Retry-After', '1']]);
      return;
    }
    const tooSmall = session.timer.reject(request);
    if (tooSmall) return void core.respond(transaction, tooSmall.status, undefined, tooSmall.headers);
    const offer = sdpOf(request);
    this.offerPending = true;
    try {
      dialog.refreshTarget(request);
      session.notePeer(request);
      const ok = core.withSdp(
        responseTo(request, 200, undefined, dialog.localTag),
        await (offer ? media.applyOffer(offer) : media.createOffer()),
      );
      session.timer.accept(request, ok);
      // Our 2xx goes out over our current flow: the peer now has our fresh target (recovery.ts).
      session.answered();
      session.ok.send(transaction, ok, (ack) => {
        if (!offer && ack.body)
          void media.applyAnswer(ack.body).then(
            () => session.updateHold(),
            (error: Error) => session.error(error),
          );
      });
      session.updateHold();
    } catch (error) {
      // RFC 3264 §6: an offer we cannot answer gets 488; the session stays as it was.
      core.respond(transaction, 488);
      await media.rollback().catch(() => undefined);
      session.error(error as Error);
    } finally {
      this.offerPending = false;
    }
  }
}
