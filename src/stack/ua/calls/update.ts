import type { Dialog } from '../../dialog/dialog';
import type { SipMessage, SipRequest } from '../../message/message';
import { isSuccess, sdpOf } from '../../message/content';
import type { ServerTransaction } from '../../transaction/transaction-layer';
import { responseTo } from '../../transaction/requests';
import type { MediaSession } from '../media-session';
import type { SendResult, UaCore } from '../ua-core';
import type { CallEndCause } from './call-types';
import type { SessionTimer } from './session-timer';
import type { Reinvites } from './reinvite';

/**
 * UPDATE (RFC 3311): a change to the session without touching the dialog's state, in an early or
 * confirmed dialog, answered at once and never ACKed. With SDP it is an offer (answered in the
 * 2xx); without, it refreshes the session (RFC 4028) or only carries headers, like Asterisk's
 * connected-line UPDATE naming the party a transfer connected us to. The call reaches this
 * module through UpdateSession.
 */

/** What an UPDATE needs of its call. */
export interface UpdateSession {
  readonly core: UaCore;
  readonly timer: SessionTimer;
  dialog(): Dialog;
  media(): MediaSession | undefined;
  /**
   * The offer/answer exchange in progress, if any: `ours` (an offer of ours awaits its answer)
   * or `theirs` (an offer of the peer's awaits ours, or our 2xx awaits its ACK).
   */
  pendingOffer(): 'ours' | 'theirs' | undefined;
  setOfferPending(pending: boolean): void;
  /** Before answering an offer in an early dialog: the answer of the reliable 1xx becomes final. */
  settleEarlyAnswer(): Promise<void>;
  /** The peer's identity headers (identity-update.ts) and its Allow, from a request or 2xx. */
  notePeer(request: SipRequest): void;
  /** The media's directions changed: connected or held. */
  updateHold(): void;
  error(error: Error): void;
  sendInDialog(request: SipRequest): Promise<SendResult>;
  bye(cause: CallEndCause, reason?: string): void;
}

/**
 * RFC 3311 §5.2: an UPDATE from the peer. An offer while ours is outstanding gets 491; while the
 * peer's own is being answered, 500 with a Retry-After of 0–10 s; else it is answered in the 200.
 * In an early dialog that is only once the initial offer/answer is complete (§5.1: its answer in
 * a reliable 1xx, RFC 3262 §5); before, the INVITE's offer is the outstanding one.
 * RFC 4028 §9: its Session-Expires is checked (422) and answered, and the session refreshed.
 */
export async function receiveUpdate(
  session: UpdateSession,
  request: SipRequest,
  transaction: ServerTransaction,
): Promise<void> {
  const core = session.core;
  const respond = (status: number, headers?: ReadonlyArray<readonly [string, string]>) =>
    void core.respond(transaction, status, undefined, headers);
  const offer = sdpOf(request);
  if (request.body && !offer) return respond(415, [['Accept', 'application/sdp']]);
  const tooSmall = session.timer.reject(request);
  if (tooSmall) return respond(tooSmall.status, tooSmall.headers);
  const media = session.media();
  if (offer) {
    const pending = session.pendingOffer();
    if (pending === 'ours') return respond(491);
    if (pending === 'theirs' || !media)
      return respond(500, [['Retry-After', String(Math.floor(core.random.float() * 11))]]);
  }
  const dialog = session.dialog();
  // RFC 3311 §5.2: UPDATE is a target refresh request (RFC 3261 §12.2.2).
  dialog.refreshTarget(request);
  session.notePeer(request);
  const ok = responseTo(request, 200, undefined, dialog.localTag);
  ok.setHeader('Contact', core.contact());
  if (offer) {
    session.setOfferPending(true);
    let settled = false;
    try {
      if (dialog.early) await session.settleEarlyAnswer();
      settled = true;
      core.withSdp(ok, await media!.applyOffer(offer));
    } catch (error) {
      // RFC 3264 §6: an offer we cannot answer gets 488; the session stays as it was (a failed
      // settling leaves our INVITE's offer open: nothing to roll back).
      respond(488);
      if (settled) await media!.rollback().catch(() => undefined);
      return session.error(error as Error);
    } finally {
      session.setOfferPending(false);
    }
  }
  session.timer.accept(request, ok);
  transaction.respond(ok);
  if (offer) session.updateHold();
}

/**
 * RFC 4028 §7.4 / §9: a session refresh by UPDATE without SDP (no offer/answer to collide with),
 * when the peer's Allow lists UPDATE. A 422 is retried with the Min-SE it names; a 481 or 408
 * ends the dialog (RFC 3261 §12.2.1.2); other failures leave the session to its expiry timer.
 */
export async function sendRefreshUpdate(session: UpdateSession): Promise<void> {
  const core = session.core;
  for (;;) {
    const dialog = session.dialog();
    const update = dialog.createRequest('UPDATE');
    update.setHeader('Contact', core.contact());
    session.timer.decorate(update);
    const { response } = await session.sendInDialog(update);
    const { status, reason } = response;
    if (isSuccess(status)) {
      dialog.refreshTarget(response);
      return session.timer.answered(response);
    }
    if (status === 422 && session.timer.retryAfter422(response)) continue;
    if (status === 481 || status === 408) return session.bye('failed', `session refresh failed: ${status} ${reason}`);
    return core.logger.warn(`session refresh refused: ${status} ${reason}`);
  }
}

/**
 * RFC 4028 §7.4 / §9: our turn to refresh: UPDATE without SDP when the peer allows it, else a
 * re-INVITE offering the session as it is. A change of ours in progress is a refresh already.
 */
export async function refreshSession(
  session: UpdateSession,
  peerAllowsUpdate: boolean,
  reinvites: Reinvites,
): Promise<void> {
  try {
    if (peerAllowsUpdate) await sendRefreshUpdate(session);
    else if (!reinvites.changing)
      await reinvites.renegotiate(
        () => undefined,
        () => undefined,
      );
  } catch (error) {
    session.core.logger.warn(`session refresh failed: ${(error as Error).message}`);
  }
}

/**
 * The offer/answer exchange in progress (RFC 3311 §5.2, RFC 3261 §14): `ours` while our offer
 * awaits its answer (our re-INVITE, or the INVITE of a call we place before its answer),
 * `theirs` while the peer's awaits ours (the INVITE of a call we receive before our answer, or
 * our 2xx awaiting its ACK). RFC 3311 §5.1: once the initial exchange is complete (its answer in
 * a reliable 1xx, RFC 3262 §5), an early dialog takes new offers too.
 */
export function pendingOffer(call: {
  offerPending: boolean;
  early: boolean;
  earlyComplete: boolean;
  outgoing: boolean;
  okWaiting: boolean;
}): 'ours' | 'theirs' | undefined {
  if (call.offerPending) return 'ours';
  if (call.early && call.earlyComplete) return undefined;
  if (call.early && call.outgoing) return 'ours';
  return call.early || call.okWaiting ? 'theirs' : undefined;
}

/** Whether a message's Allow lists UPDATE (undefined when it has no Allow: nothing learned). */
export function allowsUpdate(message: SipMessage): boolean | undefined {
  if (!message.hasHeader('Allow')) return undefined;
  return message.headers('Allow').some((method) => method.trim().toUpperCase() === 'UPDATE');
}
