import type { Clock, TimerHandle } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { SipMessage, SipRequest, SipResponse } from '../../message/message';

/**
 * RFC 3262: reliable provisional responses (the `100rel` option tag, RSeq, RAck and PRACK), both
 * sides. The calls reach it through two small classes: PrackSender for a call we place (which
 * 1xx to acknowledge, in order), ReliableProvisionals for a call we receive (RSeq, retransmission
 * until PRACK, the PRACK's answer, and the hold on the 2xx).
 */

export const OPTION_100REL = '100rel';

/** RFC 3262 §7.1: RSeq is 1*DIGIT between 1 and 2**32 - 1. */
const MAX_RSEQ = 2 ** 32 - 1;

/**
 * Reliable 1xx a call we place acknowledges in all (every fork together). A UAS sends one at a
 * time (§3), a 180 and a 183 in practice; past this a peer sending endless in-order 1xx is left
 * unacknowledged, so it cannot make us send (and hold transactions for) PRACKs without end.
 */
export const MAX_PRACKS_PER_CALL = 32;

/** Reliable 1xx we queue behind an unacknowledged one as a UAS (§3): the 180 then the 183. */
const MAX_QUEUED = 2;

/** RFC 3262 §3 and §4: a 101–199 response is reliable when it requires 100rel and has an RSeq. */
export function reliableSeq(response: SipResponse): number | undefined {
  if (response.status <= 100 || response.status >= 200 || !requires100rel(response)) return undefined;
  const text = response.header('RSeq')?.trim() ?? '';
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const seq = Number(text);
  return seq >= 1 && seq <= MAX_RSEQ ? seq : undefined;
}

export function requires100rel(message: SipMessage): boolean {
  return message.headers('Require').includes(OPTION_100REL);
}

/** RFC 3262 §7.2: RAck is `response-num CSeq-num Method`. */
export function parseRAck(value: string | undefined): { rseq: number; seq: number; method: string } | undefined {
  const match = /^\s*(\d{1,10})\s+(\d{1,10})\s+([A-Za-z]{1,20})\s*$/.exec(value ?? '');
  return match ? { rseq: Number(match[1]), seq: Number(match[2]), method: match[3]! } : undefined;
}

/** What a call we place does with a provisional response. */
export type ProvisionalVerdict = 'unreliable' | 'new' | 'ignore';

interface ForkState {
  /** §4: the RSeq of the last in-order reliable 1xx from this fork (its To tag). */
  rseq: number;
  /** The PRACK of that 1xx failed (408, 503): its retransmission is acknowledged again. */
  failed: boolean;
  /** The answer to our INVITE's offer, from a reliable 1xx (§5): final for this fork. */
  answer?: string;
}

/**
 * RFC 3262 §4, as the UAC: decides per fork (To tag, §4: each UAS numbers its own) which reliable
 * 1xx is new and must be PRACKed. The first sets the sequence; then only RSeq = last + 1 is
 * processed. A retransmission (RSeq = last) is ignored, its PRACK's own transaction does the
 * retransmitting (§4: the UAC MUST NOT send PRACK again for it), unless that PRACK failed. Any
 * other RSeq (a gap, or one going back) is discarded unacknowledged and holds no state.
 */
export class PrackSender {
  readonly #forks = new Map<string, ForkState>();
  #pracks = 0;

  constructor(readonly logger: Logger) {}

  receive(response: SipResponse): ProvisionalVerdict {
    const rseq = reliableSeq(response);
    if (rseq === undefined) return 'unreliable';
    // §3: a reliable 1xx creates a dialog, so it has a To tag; one without cannot be PRACKed.
    const tag = response.to.tag;
    if (!tag) return 'ignore';
    const fork = this.#forks.get(tag);
    if (fork && rseq === fork.rseq) {
      if (!fork.failed) return 'ignore';
      fork.failed = false;
      return 'new';
    }
    if (fork && rseq !== fork.rseq + 1) {
      this.logger.debug(`reliable ${response.status} with RSeq ${rseq} out of order (last ${fork.rseq}): discarded`);
      return 'ignore';
    }
    if (this.#pracks >= MAX_PRACKS_PER_CALL) {
      this.logger.warn(
        `reliable ${response.status} beyond ${MAX_PRACKS_PER_CALL} PRACKs in one call: not acknowledged`,
      );
      return 'ignore';
    }
    this.#pracks++;
    if (fork) fork.rseq = rseq;
    else this.#forks.set(tag, { rseq, failed: false });
    return 'new';
  }

  /** The PRACK for this fork's last reliable 1xx got no 2xx: acknowledge its retransmission again. */
  prackFailed(tag: string, rseq: number): void {
    const fork = this.#forks.get(tag);
    if (fork?.rseq === rseq) fork.failed = true;
  }

  /**
   * §5: SDP in a reliable 1xx answering our INVITE's offer completes the offer/answer exchange;
   * later SDP from the same fork in 1xx is not a new answer (RFC 6337 §3.1.1) and is ignored.
   * Returns whether this is the fork's first answer.
   */
  answered(tag: string, sdp: string): boolean {
    const fork = this.#forks.get(tag);
    if (!fork || fork.answer !== undefined) return false;
    fork.answer = sdp;
    return true;
  }

  /** The answer a fork gave in a reliable 1xx: its 2xx need not repeat it (§5). */
  answerOf(tag: string | undefined): string | undefined {
    return tag === undefined ? undefined : this.#forks.get(tag)?.answer;
  }
}

/** The PRACK's RAck for a reliable 1xx (§7.2): its RSeq, and the INVITE's CSeq number and method. */
export function rackFor(response: SipResponse, rseq: number): string {
  return `${rseq} ${response.cseq.seq} ${response.cseq.method}`;
}

interface Outstanding {
  readonly response: SipResponse;
  readonly rseq: number;
  readonly sdp: boolean;
  timer?: TimerHandle;
  deadline?: TimerHandle;
}

export interface ReliableProvisionalsOptions {
  readonly clock: Clock;
  /** The first RSeq (§3: chosen between 1 and 2**31 - 1). */
  readonly firstRSeq: number;
  /** Sends a response in the INVITE server transaction (the first time and each retransmission). */
  send(response: SipResponse): void;
  /** No PRACK came within 64*T1 (§3): the caller rejects the INVITE with a 5xx and ends the call. */
  giveUp(): void;
  /** T1, 500 ms by default. */
  readonly t1?: number;
}

/**
 * RFC 3262 §3, as the UAS: our 1xx to an INVITE that requires 100rel go out with `Require:
 * 100rel` and RSeq, one at a time (a second waits until the first is PRACKed), each sent again at
 * T1, 2T1, 4T1... until its PRACK, and given up after 64*T1. The 2xx waits for the PRACK of a
 * 1xx that carried SDP (`settled()`); after it, nothing is retransmitted and a late PRACK still
 * gets its answer.
 */
export class ReliableProvisionals {
  readonly #options: ReliableProvisionalsOptions;
  #next: number;
  #outstanding: Outstanding | undefined;
  readonly #queue: SipResponse[] = [];
  readonly #waiters: Array<() => void> = [];
  #finalSent = false;
  /** Whether a reliable 1xx carried our SDP: the offer/answer exchange is done before the 2xx (§5). */
  sdpSent = false;
  /**
   * Whether the PRACK of the reliable 1xx that carried our answer came: the caller has the answer,
   * so the initial offer/answer exchange is complete in the early dialog and an UPDATE may carry
   * a new offer (RFC 3311 §5.1).
   */
  answerAcknowledged = false;

  constructor(options: ReliableProvisionalsOptions) {
    this.#options = options;
    this.#next = options.firstRSeq;
  }

  /** Sends `response` reliably now, or once the one before is PRACKed; after the final response, not at all. */
  send(response: SipResponse): void {
    if (this.#finalSent) return;
    if (this.#outstanding) {
      if (this.#queue.length < MAX_QUEUED) this.#queue.push(response);
      return;
    }
    const rseq = this.#next++;
    response.setHeader('Require', OPTION_100REL);
    response.setHeader('RSeq', String(rseq));
    const outstanding: Outstanding = (this.#outstanding = { response, rseq, sdp: !!response.body });
    if (outstanding.sdp) this.sdpSent = true;
    const t1 = this.#options.t1 ?? 500;
    const { clock } = this.#options;
    const transmit = (interval: number): void => {
      this.#options.send(response);
      outstanding.timer = clock.setTimeout(() => transmit(2 * interval), interval);
    };
    transmit(t1);
    outstanding.deadline = clock.setTimeout(() => {
      this.stop();
      this.#options.giveUp();
    }, 64 * t1);
  }

  /**
   * A PRACK (§3): its RAck must name the outstanding 1xx (RSeq, the INVITE's CSeq number, INVITE);
   * anything else gets 481. Returns the status to answer it with.
   */
  receivePrack(prack: SipRequest, inviteSeq: number): 200 | 481 {
    const rack = parseRAck(prack.header('RAck'));
    const outstanding = this.#outstanding;
    if (!rack || !outstanding || rack.rseq !== outstanding.rseq || rack.seq !== inviteSeq || rack.method !== 'INVITE')
      return 481;
    this.#stopTimers(outstanding);
    this.#outstanding = undefined;
    if (outstanding.sdp) this.answerAcknowledged = true;
    const next = this.#queue.shift();
    if (next) this.send(next);
    else this.#settle();
    return 200;
  }

  /**
   * Resolves when no 1xx with SDP waits for its PRACK (§3: the 2xx MUST NOT go before it). A 1xx
   * without SDP does not hold the 2xx: it is simply no longer retransmitted.
   */
  settled(): Promise<void> {
    if (!this.#outstanding?.sdp && !this.#queue.some((response) => response.body)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #stopTimers(outstanding: Outstanding): void {
    this.#options.clock.clearTimeout(outstanding.timer);
    this.#options.clock.clearTimeout(outstanding.deadline);
  }

  #settle(): void {
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  /** The final response goes (or the call ended): no more retransmissions, no new reliable 1xx (§3). */
  stop(): void {
    this.#finalSent = true;
    if (this.#outstanding) this.#stopTimers(this.#outstanding);
    this.#queue.length = 0;
    this.#settle();
  }
}
