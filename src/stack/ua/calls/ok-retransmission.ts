/**
 * RFC 3261 §13.3.1.4: the 2xx to an INVITE (ours or a re-INVITE's) is the UAS core's to send
 * again, since its transaction ends with it: at T1, 2T1, ... capped at T2, until the ACK comes.
 * No ACK within 64*T1: the dialog is ended (the call is told through `noAck`, and sends BYE).
 * While a 2xx waits for its ACK, the peer's INVITE transaction is not over for §14.1 glare.
 */
import type { Clock, TimerHandle } from '../../core/clock';
import type { SipRequest, SipResponse } from '../../message/message';
import type { ServerTransaction } from '../../transaction/transaction-layer';

const T1 = 500;
const T2 = 4000;

interface Pending {
  timer?: TimerHandle;
  onAck(ack: SipRequest): void;
}

export class OkRetransmission {
  #pending: Pending | undefined;

  constructor(
    private readonly clock: Clock,
    /** 64*T1 passed without the ACK (§13.3.1.4): the call ends the dialog. */
    private readonly noAck: () => void,
  ) {}

  /** Whether a 2xx of ours still waits for its ACK. */
  get waiting(): boolean {
    return this.#pending !== undefined;
  }

  /** Sends `response` in `transaction` now and again until its ACK; `onAck` gets the ACK (it may carry an answer). */
  send(transaction: ServerTransaction, response: SipResponse, onAck: (ack: SipRequest) => void): void {
    this.stop();
    const pending: Pending = (this.#pending = { onAck });
    let elapsed = 0;
    const send = (interval: number): void => {
      transaction.respond(response);
      pending.timer = this.clock.setTimeout(() => {
        elapsed += interval;
        if (elapsed < 64 * T1) return send(Math.min(2 * interval, T2));
        this.stop();
        this.noAck();
      }, interval);
    };
    send(T1);
  }

  /** An ACK in the dialog: it stops the retransmission of the 2xx it acknowledges. */
  ack(ack: SipRequest): void {
    const pending = this.#pending;
    if (!pending) return;
    this.stop();
    pending.onAck(ack);
  }

  stop(): void {
    this.clock.clearTimeout(this.#pending?.timer);
    this.#pending = undefined;
  }
}
