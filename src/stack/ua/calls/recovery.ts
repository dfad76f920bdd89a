/**
 * Keeping a call through a reconnect or a network change (RFC 5626 §4.4, RFC 3261 §12.2): the
 * peer and the proxies reach us at the Contact and flow of our last target refresh, which died
 * with the old connection. A re-INVITE from the new flow refreshes that target, restarting ICE
 * when media failed meanwhile (RFC 8445 §9); our 2xx to a re-INVITE of the peer's does the same
 * job. Calls not yet established have nothing to refresh. A BYE waits for the connection too.
 */
import type { Dialog } from '../../dialog/dialog';
import type { SipRequest } from '../../message/message';
import type { SendResult, UaCore } from '../ua-core';
import type { CallDirection } from './call-types';
import type { OkRetransmission } from './ok-retransmission';
import type { Reinvites } from './reinvite';

/** What recovery needs of its call. */
export interface RecoverySession {
  readonly core: UaCore;
  direction(): CallDirection;
  readonly ok: OkRetransmission;
  reinvites(): Reinvites;
  /** An established (connected or held) call with a confirmed dialog. */
  live(): boolean;
  ended(): boolean;
}

export class Recovery {
  /** ICE failed or the network changed: the next recovery re-INVITE restarts ICE. */
  #iceRestart = false;
  /** A recovery re-INVITE is wanted; our 2xx to the peer's re-INVITE does its job. */
  #recovering = false;

  constructor(private readonly session: RecoverySession) {}

  /** The network changed: restart ICE by re-INVITE now, or once signalling is back. */
  async networkChanged(): Promise<void> {
    this.#iceRestart = true;
    if (this.session.core.connected) await this.recover();
  }

  /** Our 2xx to the peer's re-INVITE left over our current flow: the peer has our fresh target. */
  answered(): void {
    this.#recovering = false;
  }

  /** After a reconnect or an ICE failure: the target refresh, by re-INVITE from the new flow. */
  async recover(): Promise<void> {
    const session = this.session;
    if (!session.live()) return;
    const core = session.core;
    // When the server restarts, both ends reconnect at once and would re-INVITE at once (glare,
    // RFC 3261 §14). One exchange refreshes both targets, because our 2xx leaves over our new flow
    // too. So the caller goes first and the callee waits 0.5–1 s, and skips its own re-INVITE when
    // it has answered the caller's meanwhile.
    this.#recovering = true;
    if (session.direction() === 'incoming') await core.sleep(500 + core.random.float() * 500);
    // Recovery re-INVITEs answered 480 or 503 are tried again, after 1 s and 2 s.
    for (let attempt = 1; ; attempt++) {
      // Our 2xx still waits for its ACK: it goes out again over the new flow with our Contact
      // (§13.3.1.4), and a re-INVITE now would reach a caller whose dialog may still be early (the
      // 2xx was lost with the old flow): it answers 481 and the call is lost (§14.1, §12.2.2).
      // A change of ours (hold, video) is running: the refresh is still needed (its INVITE may
      // have left over the old flow), so it goes after it, never as a second INVITE (§14.1).
      while ((session.ok.waiting || session.reinvites().changing) && !session.ended()) await core.sleep(100);
      if (!this.#recovering || session.ended()) return;
      const restart = this.#iceRestart;
      this.#iceRestart = false;
      try {
        await session.reinvites().renegotiate(
          () => undefined,
          () => undefined,
          restart ? { iceRestart: true } : undefined,
        );
        this.#recovering = false;
      } catch (error) {
        this.#iceRestart ||= restart;
        // The peer may not have registered again yet (480), or the proxy is still coming up (503).
        const status = (error as { status?: number }).status;
        if (attempt > 2 || (status !== 480 && status !== 503)) throw error;
        await core.sleep(attempt * 1000);
      }
    }
  }
}

/**
 * Sends BYE in `dialog` (RFC 3261 §15.1.1). While the connection is down the BYE waits for it (up
 * to a minute), so the peer is not left talking to nobody; a BYE the connection dropped under is
 * sent again on the next one (RFC 5626 §4.4: its response could not come back anyway), as
 * sendMessage() does. A peer that did get the first answers the second 481.
 */
export function sendBye(
  core: UaCore,
  dialog: Dialog,
  sendInDialog: (request: SipRequest) => Promise<SendResult>,
): void {
  const deadline = core.clock.now() + 60000;
  const send = async (): Promise<void> => {
    for (;;) {
      await core.whenConnected(deadline - core.clock.now());
      const { error } = await sendInDialog(dialog.createRequest('BYE'));
      if (error?.name !== 'TransportError' || core.clock.now() >= deadline) return;
    }
  };
  void send().catch((error: Error) => core.logger.warn(`BYE not delivered: ${error.message}`));
}
