import type { SipRequest, SipResponse } from '../message/message';
import { responseTo } from './requests';
import type { ServerTransactionUser } from './server-transaction-user';
import { Transaction, type Moves, type TransactionContext } from './transaction';

/** RFC 3261 §17.2.1 (Figure 7), with the Accepted state of RFC 6026 §7.1. */
export type InviteServerState = 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated';

const MOVES: Moves<InviteServerState> = {
  proceeding: ['accepted', 'completed'],
  accepted: [],
  completed: ['confirmed'],
  confirmed: [],
};

export class InviteServerTransaction extends Transaction<InviteServerState, ServerTransactionUser> {
  readonly kind = 'INVITE server transaction';
  /** The last response sent, for retransmitted INVITEs (§17.2.1). */
  #last: string | undefined;

  constructor(id: string, request: SipRequest, context: TransactionContext) {
    super(id, request, context, 'proceeding', MOVES, {});
  }

  /**
   * §17.2.1: the server transaction MUST send a 100 (Trying) unless the TU answers within 200 ms.
   * Sending it at once is always correct and stops the client's INVITE retransmissions early
   * (a 100 never adds a To tag, §8.2.6.1).
   */
  start(): void {
    this.respond(responseTo(this.request, 100));
  }

  /** The TU's response; a 2xx may be sent again by the TU while in Accepted (§13.3.1.4). */
  respond(response: SipResponse): void {
    const status = response.status;
    const text = response.toString();
    const { G, H, T2 } = this.context.timers;
    // A 2xx is sent quietly: §13.3.1.4 has the TU send it again until the ACK, on any transport,
    // so a 2xx lost with its connection goes out again on the next one instead of failing here.
    const success = status >= 200 && status < 300;
    if (this.in('accepted')) {
      if (success) this.send(text, true);
      return;
    }
    if (!this.in('proceeding')) return; // A response after the final one has nowhere to go (§17.2.1).
    this.#last = text;
    if (success) {
      this.send(text, true);
      // RFC 6026 §7.1: a 2xx moves to Accepted; Timer L absorbs INVITE retransmissions.
      this.transition('accepted');
      this.terminateAfter('L', H);
      return;
    }
    if (!this.send(text) || status < 200) return;
    // §17.2.1: a non-2xx final moves to Completed: Timer G retransmits (unreliable), Timer H waits for the ACK.
    this.transition('completed');
    this.retransmit(
      'G',
      G,
      text,
      () => this.in('completed'),
      (interval) => Math.min(2 * interval, T2),
    );
    this.startTimer('H', H, () => this.timeout('H', `no ACK for the ${status} response within ${H} ms`));
  }

  /** A request matched to this transaction: a retransmitted INVITE or an ACK (§17.2.3). */
  receiveRequest(request: SipRequest): void {
    if (request.method === 'ACK') {
      if (this.in('completed')) {
        // §17.2.1: the ACK for a non-2xx ends retransmissions; Timer I absorbs further ACKs.
        this.transition('confirmed');
        this.terminateAfter('I', this.context.timers.I);
      } else if (this.in('accepted')) {
        this.user.onAck?.(request);
      }
      return;
    }
    // §17.2.1: a retransmitted INVITE gets the last response again in Proceeding and Completed.
    if (this.in('proceeding', 'completed') && this.#last) this.send(this.#last);
  }
}
