import type { TimerHandle } from '../../core/clock';
import { Dialog } from '../../dialog/dialog';
import { NameAddr, type SipRequest, type SipResponse, type Uri } from '../../message/message';
import type { ClientTransaction } from '../../transaction/transaction-layer';
import { cancelFor } from '../../transaction/requests';
import { mediaType } from '../capabilities';
import { Call } from './call';
import type { CallContext } from './call-context';
import type { CallEndCause, CallMediaOptions } from './call-types';

/** How long a CANCELed INVITE may take to end with its 487 before the call ends without it. */
const CANCEL_GRACE_MS = 5000;

/**
 * A call we place (RFC 3261 §13.2): the INVITE with our offer, provisional responses that make
 * early dialogs (one per To tag: forking, §13.2.2.4), early media from a 183 with SDP, the 2xx
 * that confirms one dialog (its ACK sent, other forks ACKed and sent BYE), and CANCEL (§9.1),
 * including the race where the 200 crosses our CANCEL.
 */
export class OutgoingCall extends Call {
  readonly direction = 'outgoing' as const;
  private invite: SipRequest | undefined;
  private inviteTransaction: ClientTransaction | undefined;
  private readonly earlyDialogs = new Map<string, Dialog>();
  private provisionalSeen = false;
  private cancelRequested = false;
  private cancelGrace: TimerHandle | undefined;
  private ack: SipRequest | undefined;

  constructor(
    context: CallContext,
    private readonly target: Uri,
    mediaOptions: CallMediaOptions,
  ) {
    super(context, new NameAddr(target), 'calling', mediaOptions);
  }

  /** Makes the offer and sends the INVITE; the call's events tell the rest. */
  async start(): Promise<void> {
    const media = this.context.createMedia(this.mediaOptions);
    this.attachMedia(media);
    let offer: string;
    try {
      offer = await media.createOffer();
    } catch (error) {
      this.finish('failed', undefined, `no local media: ${(error as Error).message}`);
      return;
    }
    if (this.endInfo) return; // hung up while the offer was being made
    const core = this.context.core;
    const invite = core.createRequest('INVITE', this.target);
    invite.setHeader('Contact', core.contact());
    invite.setHeader('Content-Type', 'application/sdp');
    invite.body = offer;
    this.invite = invite;
    const result = await core.send(invite, {
      onTransaction: (transaction, request) => {
        this.inviteTransaction = transaction;
        this.invite = request;
      },
      onProvisional: (response) => void this.provisional(response),
      onLaterSuccess: (response) => this.laterSuccess(response),
    });
    await this.final(result.response, result.authProblem);
  }

  async hangup(): Promise<void> {
    if (this.endInfo) return;
    if (this.dialog && !this.dialog.early) {
      this.bye('hangup');
      return;
    }
    // §9.1: CANCEL only once a provisional response has come; until then the wish is remembered.
    this.cancelRequested = true;
    if (this.provisionalSeen) {
      this.sendCancel();
      this.cancelGrace = this.context.core.clock.setTimeout(() => this.finish('canceled'), CANCEL_GRACE_MS);
    } else {
      this.finish('canceled');
    }
  }

  private sendCancel(): void {
    if (!this.invite || !this.inviteTransaction) return;
    const cancel = cancelFor(this.invite);
    try {
      this.context.core.transactions.sendRequest(cancel, { onResponse: () => undefined, onFailure: () => undefined });
    } catch (error) {
      this.context.core.logger.warn(`CANCEL not sent: ${(error as Error).message}`);
    }
  }

  private async provisional(response: SipResponse): Promise<void> {
    if (response.status === 100) return;
    if (!this.provisionalSeen) {
      this.provisionalSeen = true;
      if (this.cancelRequested) {
        this.sendCancel();
        return;
      }
    }
    if (this.endInfo) return;
    const tag = response.to.tag;
    if (tag && this.invite) {
      let dialog = this.earlyDialogs.get(tag);
      if (!dialog) {
        dialog = Dialog.asUac(this.invite, response);
        this.earlyDialogs.set(tag, dialog);
      }
      this.dialog = dialog;
    }
    if (response.body && mediaType(response.contentType) === 'application/sdp') {
      // Early media: a 183 (or 180) with SDP plays the callee's media before the answer.
      try {
        await this.media!.applyAnswer(response.body, { provisional: true });
        this.setState('early');
      } catch (error) {
        this.events.emit('error', error as Error);
      }
      return;
    }
    if (this.state === 'calling') this.setState('ringing');
  }

  private async final(response: SipResponse, authProblem: string | undefined): Promise<void> {
    this.context.core.clock.clearTimeout(this.cancelGrace);
    const status = response.status;
    if (status >= 300) {
      if (this.cancelRequested && status === 487) this.finish('canceled', 487, response.reason);
      else this.finish(endCause(status), status, authProblem ?? response.reason);
      return;
    }
    const invite = this.invite!;
    const tag = response.to.tag ?? '';
    const dialog = this.earlyDialogs.get(tag) ?? Dialog.asUac(invite, response);
    dialog.confirm(response);
    this.dialog = dialog;
    this.earlyDialogs.clear();
    this.ack = dialog.createAck(invite.cseq.seq);
    this.context.core.sendAck(this.ack);
    if (this.endInfo || this.cancelRequested) {
      // The 200 crossed our CANCEL (§9.1, §15): the call exists now, so it is ended with BYE.
      void this.sendInDialog(dialog.createRequest('BYE')).catch(() => undefined);
      this.finish('canceled');
      return;
    }
    this.context.trackDialog(dialog, this);
    try {
      if (response.body) await this.media!.applyAnswer(response.body);
    } catch (error) {
      // RFC 3264 §6: an answer we cannot use leaves no session: end it.
      this.bye('failed', `unusable answer: ${(error as Error).message}`);
      return;
    }
    this.setState('connected');
  }

  /** §13.2.2.4: a retransmitted 2xx is ACKed again; a 2xx from another fork is ACKed and ended with BYE. */
  private laterSuccess(response: SipResponse): void {
    if (this.dialog && response.to.tag === this.dialog.remoteTag) {
      if (this.ack) this.context.core.transactions.sendStateless(this.ack);
      return;
    }
    if (!this.invite) return;
    const fork = Dialog.asUac(this.invite, response);
    this.context.core.sendAck(fork.createAck(this.invite.cseq.seq));
    void this.context.core.send(fork.createRequest('BYE')).catch(() => undefined);
  }
}

function endCause(status: number): CallEndCause {
  if (status === 486 || status === 600) return 'busy';
  if (status === 603) return 'declined';
  if (status === 408 || status === 480 || status === 487) return 'no-answer';
  if (status === 503 || status === 500) return 'failed';
  return 'rejected';
}
