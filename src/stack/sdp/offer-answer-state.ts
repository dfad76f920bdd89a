/**
 * The RFC 3264 offer/answer exchange of one session as a state machine, so the user agent knows at
 * every moment whether it may send an offer, must answer one, or has met glare.
 *
 * - RFC 3264 §4: after sending an offer an agent MUST NOT send another until it has the answer (or
 *   the offer was rejected); after receiving one it must answer before offering.
 * - RFC 3261 §14.1 / §14.2 (and RFC 3311 §5.2 for UPDATE): an offer that arrives while our own is
 *   outstanding is glare, answered 491 Request Pending; an offer that arrives while we still owe an
 *   answer to the previous one is answered 500 with Retry-After.
 * - An SDP in an unreliable 1xx is an early copy of the answer (RFC 3261 §13.2.1): the exchange
 *   stays open until the final answer, which may differ when it comes from another fork.
 * - Rollback: a rejected offer (RFC 3261 §14.1: a non-2xx final response to a re-INVITE) leaves the
 *   session as it was before the offer (RFC 6337 §3.4).
 */
import { StateError } from '../core/errors';

export type OfferAnswerPhase = 'stable' | 'have-local-offer' | 'have-remote-offer' | 'have-remote-pranswer';

export type OfferAnswerEvent =
  'local-offer' | 'remote-offer' | 'local-answer' | 'remote-pranswer' | 'remote-answer' | 'rollback';

/**
 * Why a new offer cannot be made or taken now: `glare` (answer the remote offer 491), `awaiting-answer`
 * (our offer is still out), `answer-owed` (the remote's offer is unanswered; answer a second remote
 * offer 500 with Retry-After).
 */
export type OfferConflict = 'glare' | 'awaiting-answer' | 'answer-owed';

const TRANSITIONS: Readonly<Record<OfferAnswerPhase, Partial<Record<OfferAnswerEvent, OfferAnswerPhase>>>> = {
  stable: {
    'local-offer': 'have-local-offer',
    'remote-offer': 'have-remote-offer',
  },
  'have-local-offer': {
    'remote-pranswer': 'have-remote-pranswer',
    'remote-answer': 'stable',
    // RFC 3261 §14.1: the re-INVITE failed; the session goes on as before the offer.
    rollback: 'stable',
  },
  'have-remote-pranswer': {
    // Another 1xx with SDP, from the same fork or another one.
    'remote-pranswer': 'have-remote-pranswer',
    'remote-answer': 'stable',
  },
  'have-remote-offer': {
    'local-answer': 'stable',
    // We rejected the offer (488 Not Acceptable Here, RFC 3261 §13.3.1.1 / §14.2).
    rollback: 'stable',
  },
};

export class OfferAnswerState {
  #phase: OfferAnswerPhase = 'stable';

  get phase(): OfferAnswerPhase {
    return this.#phase;
  }

  /** Whether `event` is legal now. */
  can(event: OfferAnswerEvent): boolean {
    return TRANSITIONS[this.#phase][event] !== undefined;
  }

  /** Why we may not send an offer now, or undefined when we may (RFC 3264 §4). */
  localOfferConflict(): OfferConflict | undefined {
    return this.#conflict('awaiting-answer');
  }

  /** Why a remote offer cannot be taken now, or undefined when it can (RFC 3261 §14.2). */
  remoteOfferConflict(): OfferConflict | undefined {
    return this.#conflict('glare');
  }

  /** Stable: none; an offer of theirs unanswered: `answer-owed`; one of ours out: `ours`. */
  #conflict(ours: OfferConflict): OfferConflict | undefined {
    const phase = this.#phase;
    return phase === 'stable' ? undefined : phase === 'have-remote-offer' ? 'answer-owed' : ours;
  }

  /** Moves on `event`; an event the phase does not allow throws StateError and changes nothing. */
  transition(event: OfferAnswerEvent): OfferAnswerPhase {
    const next = TRANSITIONS[this.#phase][event];
    if (next === undefined) {
      throw new StateError(this.#phase, `offer/answer: "${event}" is not allowed in ${this.#phase}`);
    }
    this.#phase = next;
    return next;
  }
}
