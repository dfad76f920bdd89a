import { StateError } from '../../core/errors';
import { Dialog } from '../../dialog/dialog';
import type { SipRequest, SipResponse } from '../../message/message';
import type { ServerTransaction } from '../../transaction/transaction-layer';
import { responseTo } from '../../transaction/requests';
import { mediaType } from '../capabilities';
import { Call } from './call';
import type { CallContext } from './call-context';
import type { CallMediaOptions } from './call-types';

/**
 * A call we receive (RFC 3261 §13.3): 180 Ringing with our tag makes the early dialog; answer()
 * makes the answer (or, for an INVITE without SDP, the offer that the ACK answers) and sends a
 * 200 until its ACK; decline() sends 486 or 603; a CANCEL from the caller ends it with 487.
 */
export class IncomingCall extends Call {
  readonly direction = 'incoming' as const;
  readonly invite: SipRequest;
  private readonly offer: string | undefined;
  private answering = false;

  constructor(
    context: CallContext,
    invite: SipRequest,
    readonly transaction: ServerTransaction,
    firstLocalSeq: number,
  ) {
    super(context, invite.from, 'incoming', context.mediaDefaults);
    this.invite = invite;
    this.offer = invite.body && mediaType(invite.contentType) === 'application/sdp' ? invite.body : undefined;
    const localTag = context.core.newTag();
    this.dialog = Dialog.asUas(invite, localTag, true, firstLocalSeq);
    context.trackDialog(this.dialog, this);
    // §13.3.1.1: ringing, with our tag and Contact, so the caller has an early dialog with us.
    transaction.respond(this.dialogResponse(180));
  }

  /**
   * A response that makes (or confirms) the dialog: our To tag, our Contact, and the Record-Route
   * of the INVITE copied as it came (§12.1.1), without which proxies cannot route in the dialog.
   */
  private dialogResponse(status: number): SipResponse {
    const response = responseTo(this.invite, status, undefined, this.dialog!.localTag);
    if (this.invite.recordRoute.length > 0) response.setHeader('Record-Route', this.invite.recordRoute);
    response.setHeader('Contact', this.context.core.contact());
    return response;
  }

  /** Whether the caller offered video. */
  get offersVideo(): boolean {
    return this.offer !== undefined && /^m=video [1-9]/m.test(this.offer);
  }

  async answer(options: CallMediaOptions = {}): Promise<void> {
    if (this.state !== 'incoming' || this.answering) throw new StateError(this.state, `cannot answer a call in state ${this.state}`);
    this.answering = true;
    await this.context.holdOthers(this);
    const media = this.context.createMedia({ ...this.mediaOptions, ...options });
    this.attachMedia(media);
    let sdp: string;
    try {
      sdp = this.offer !== undefined ? await media.applyOffer(this.offer) : await media.createOffer();
    } catch (error) {
      if (!this.endInfo) {
        this.context.respond(this.transaction, this.offer !== undefined ? 488 : 500);
        this.finish('failed', undefined, `cannot answer: ${(error as Error).message}`);
      }
      return;
    }
    if (this.endInfo) return; // canceled while we prepared the answer
    const ok = this.dialogResponse(200);
    ok.setHeader('Content-Type', 'application/sdp');
    ok.body = sdp;
    this.dialog!.confirm();
    this.sendOk(this.transaction, ok, (ack) => {
      // An INVITE without an offer: ours went in the 200, the answer comes in the ACK (§13.2.1).
      if (this.offer === undefined && ack.body) {
        void media.applyAnswer(ack.body).catch((error: Error) => this.bye('failed', `unusable answer in ACK: ${error.message}`));
      }
    });
    this.setState('connected');
  }

  /** Declines with 603 Decline (or 486 Busy Here). */
  decline(status: 486 | 603 = 603): void {
    if (this.state !== 'incoming' || this.answering) throw new StateError(this.state, `cannot decline a call in state ${this.state}`);
    this.context.respond(this.transaction, status);
    this.finish('declined', status);
  }

  async hangup(): Promise<void> {
    if (this.endInfo) return;
    if (this.state === 'incoming' && !this.answering) {
      this.decline();
      return;
    }
    this.bye('hangup');
  }

  /** §9.2: the caller CANCELed before our final response: the INVITE gets 487. */
  remoteCancel(): void {
    if (this.endInfo || this.state !== 'incoming') return;
    this.context.respond(this.transaction, 487);
    this.finish('remote-canceled', 487);
  }
}
