import type { TimerHandle } from '../../core/clock';
import { Emitter } from '../../core/emitter';
import { StateError } from '../../core/errors';
import type { Dialog } from '../../dialog/dialog';
import { NameAddr, type SipRequest, type SipResponse } from '../../message/message';
import type { ServerTransaction } from '../../transaction/transaction-layer';
import { responseTo } from '../../transaction/requests';
import { mediaType } from '../capabilities';
import { DTMF_DIGITS, type MediaKind, type MediaSession, type OfferOptions } from '../media-session';
import { RequestFailedError } from '../request-failed-error';
import type { CallContext } from './call-context';
import type { CallDirection, CallEndCause, CallEndInfo, CallEvents, CallMediaOptions, CallState, DtmfMode } from './call-types';
import { DTMF_RELAY, dtmfRelayBody, readDtmfRelay } from './dtmf-relay';
import { SIPFRAG, sipfragBody, sipfragStatus } from './sipfrag';

const SDP = 'application/sdp';
/** How long a BYE waits for a lost connection to come back. */
const BYE_WAIT_MS = 60000;
/** The callee's recovery re-INVITE waits 0.5–1 s, so the caller's usually comes first. */
const RECOVERY_DELAY_MS = 500;
/** Recovery re-INVITEs answered 480 or 503 are tried again, after 1 s and 2 s. */
const RECOVERY_ATTEMPTS = 3;
let nextId = 1;

/**
 * One INVITE session (RFC 3261 §13–15) and its media. This base holds what both directions share
 * once a dialog exists: in-dialog requests both ways, re-INVITE offer/answer with glare handling
 * (§14), hold (RFC 6337), DTMF (RFC 4733 or INFO), blind transfer (RFC 3515) and the end of the
 * call. OutgoingCall and IncomingCall add the initial INVITE of their side.
 */
export abstract class Call {
  readonly events: Emitter<CallEvents>;
  readonly id = `call-${nextId++}`;
  abstract readonly direction: CallDirection;
  /** The peer as From/To named it; the display name is remote text: render it as text only. */
  readonly remote: { uri: string; displayName: string | undefined };
  media: MediaSession | undefined;
  dialog: Dialog | undefined;
  protected currentState: CallState;
  protected endInfo: CallEndInfo | undefined;
  /** One local change (hold, video, ICE restart) at a time, through its retries. */
  private changing = false;
  /**
   * RFC 3264 §4 / RFC 3261 §14: set while an offer is outstanding, ours (re-INVITE sent, no final
   * response yet) or the peer's (being answered). A re-INVITE arriving then gets 491. Not set
   * during the §14.1 wait, so the peer's retry gets through.
   */
  private offerPending = false;
  /** §13.3.1.4: a 2xx to an INVITE is sent again until its ACK arrives. */
  private okRetransmission: { timer: TimerHandle | undefined; response: SipResponse; onAck: (ack: SipRequest) => void } | undefined;
  private dtmfQueue: Promise<void> = Promise.resolve();
  private readonly offMedia: Array<() => void> = [];

  protected constructor(
    protected readonly context: CallContext,
    remote: NameAddr,
    initial: CallState,
    protected readonly mediaOptions: CallMediaOptions,
  ) {
    this.events = new Emitter<CallEvents>((error) => context.core.logger.error('a call listener failed', error));
    this.remote = { uri: remote.uri.toString(), displayName: remote.displayName };
    this.currentState = initial;
  }

  get state(): CallState {
    return this.currentState;
  }

  get ended(): CallEndInfo | undefined {
    return this.endInfo;
  }

  get localHold(): boolean {
    return this.media?.localHold ?? false;
  }

  get remoteHold(): boolean {
    return this.media?.remoteHold ?? false;
  }

  /** Ends the call the way its state requires: CANCEL, BYE, or declining an unanswered call. */
  abstract hangup(): Promise<void>;

  // ------------------------------------------------------------------ state and ending

  protected setState(next: CallState): void {
    const previous = this.currentState;
    if (previous === next || previous === 'ended') return;
    this.currentState = next;
    this.events.emit('state', next, previous);
  }

  /** Connected or held, from the media's view of both holds (RFC 6337 §5.3). */
  protected updateHoldState(): void {
    if (this.currentState !== 'connected' && this.currentState !== 'held') return;
    this.setState(this.localHold || this.remoteHold ? 'held' : 'connected');
  }

  protected attachMedia(media: MediaSession): void {
    this.media = media;
    this.offMedia.push(
      // ICE failed (a network change, a NAT rebinding): restart it by re-INVITE, now or on reconnect.
      media.on('ice-failed', () => {
        this.iceRestartWanted = true;
        if (this.context.core.options.transport.state === 'connected') void this.recover().catch((error: Error) => this.events.emit('error', error));
      }),
      media.on('remote-track', (kind) => this.events.emit('remote-track', kind)),
      media.on('remote-hold', (held) => {
        this.events.emit('remote-hold', held);
        this.updateHoldState();
      }),
    );
  }

  /** Ends the call once: media closed, timers stopped, dialog forgotten, `ended` emitted. */
  protected finish(cause: CallEndCause, status?: number, reason?: string): void {
    if (this.endInfo) return;
    this.endInfo = { cause, status, reason };
    this.stopOkRetransmission();
    for (const off of this.offMedia.splice(0)) off();
    this.media?.close();
    this.context.forgetCall(this);
    this.setState('ended');
    this.events.emit('ended', this.endInfo);
  }

  /**
   * Sends BYE in the dialog (§15.1.1); the call is over for the user at once. While the
   * connection is down the BYE waits for it (up to a minute), so the peer is not left talking to
   * nobody.
   */
  protected bye(cause: CallEndCause, reason?: string): void {
    const dialog = this.dialog;
    this.finish(cause, undefined, reason);
    if (!dialog || dialog.early) return;
    const core = this.context.core;
    void core
      .whenConnected(BYE_WAIT_MS)
      .then(() => this.sendInDialog(dialog.createRequest('BYE')))
      .catch((error: Error) => core.logger.warn(`BYE not delivered: ${error.message}`));
  }

  // ------------------------------------------------------------------ controls

  async hold(): Promise<void> {
    if (this.localHold) return;
    await this.renegotiate(() => this.media!.hold(), () => this.media!.unhold());
  }

  async unhold(): Promise<void> {
    if (!this.localHold) return;
    await this.renegotiate(() => this.media!.unhold(), () => this.media!.hold());
  }

  /** Adds or removes our video by re-INVITE. */
  async setVideo(enabled: boolean): Promise<void> {
    if (this.media?.video === enabled) return;
    await this.renegotiate(() => this.media!.setVideo(enabled), () => this.media!.setVideo(!enabled));
  }

  private iceRestartWanted = false;

  /** The network changed: restart ICE by re-INVITE now, or once signalling is back (see recover()). */
  async networkChanged(): Promise<void> {
    this.iceRestartWanted = true;
    if (this.context.core.options.transport.state === 'connected') await this.recover();
  }

  /**
   * After a reconnect or an ICE failure: a re-INVITE from the new flow refreshes the target the
   * peer and proxies hold for us (RFC 3261 §12.2, a target refresh), restarting ICE when media
   * failed meanwhile. Calls not yet established have nothing to refresh.
   */
  async recover(): Promise<void> {
    if (!this.dialog || this.dialog.early || (this.state !== 'connected' && this.state !== 'held')) return;
    // When the server restarts, both ends reconnect at once and would re-INVITE at once (glare,
    // §14). One exchange refreshes both targets, because our 2xx leaves over our new flow too. So
    // the caller goes first and the callee waits a moment, and skips its own re-INVITE when it
    // has answered the caller's meanwhile.
    this.recoveryPending = true;
    if (this.direction === 'incoming') await this.sleep(RECOVERY_DELAY_MS + this.context.core.options.random.float() * RECOVERY_DELAY_MS);
    for (let attempt = 1; ; attempt++) {
      if (!this.recoveryPending || this.endInfo) return;
      const restart = this.iceRestartWanted;
      this.iceRestartWanted = false;
      try {
        await this.renegotiate(() => undefined, () => undefined, restart ? { iceRestart: true } : undefined);
        this.recoveryPending = false;
        return;
      } catch (error) {
        this.iceRestartWanted ||= restart;
        // The peer may not have registered again yet (480), or the proxy is still coming up (503).
        const status = (error as { status?: number }).status;
        if (attempt >= RECOVERY_ATTEMPTS || (status !== 480 && status !== 503)) throw error;
        await this.sleep(attempt * 1000);
      }
    }
  }

  private recoveryPending = false;

  /** Mutes our outgoing audio (and/or video): tracks disabled, no renegotiation. */
  mute(kind?: MediaKind): void {
    for (const k of kind ? [kind] : (['audio', 'video'] as const)) this.media?.setMuted(k, true);
  }

  unmute(kind?: MediaKind): void {
    for (const k of kind ? [kind] : (['audio', 'video'] as const)) this.media?.setMuted(k, false);
  }

  muted(kind: MediaKind = 'audio'): boolean {
    return this.media?.isMuted(kind) ?? false;
  }

  /**
   * Sends DTMF: RFC 4733 telephone-events when the answer negotiated them, else INFO with
   * application/dtmf-relay, one request per digit in order; `mode` overrides the choice. A comma
   * is a two-second pause.
   */
  sendDtmf(digits: string, options: { mode?: DtmfMode; duration?: number; gap?: number } = {}): Promise<void> {
    if (!DTMF_DIGITS.test(digits)) return Promise.reject(new RangeError(`not DTMF digits: ${JSON.stringify(digits)}`));
    this.requireEstablished('send DTMF');
    const mode = options.mode ?? 'auto';
    const duration = options.duration ?? 100;
    if (mode === 'rfc4733' || (mode === 'auto' && this.media?.canSendRfc4733())) {
      if (this.media?.sendDtmf(digits, { duration, gap: options.gap })) return Promise.resolve();
      if (mode === 'rfc4733') return Promise.reject(new StateError(this.state, 'RFC 4733 DTMF was not negotiated for this call'));
    }
    const send = async (): Promise<void> => {
      for (const digit of digits) {
        if (this.state === 'ended') return;
        if (digit === ',') {
          await this.sleep(2000);
          continue;
        }
        const info = this.dialog!.createRequest('INFO');
        info.setHeader('Content-Type', DTMF_RELAY);
        info.body = dtmfRelayBody(digit.toUpperCase(), duration);
        const { response } = await this.sendInDialog(info);
        if (response.status >= 300) throw new RequestFailedError(response.status, response.reason, `DTMF ${digit} refused: ${response.status} ${response.reason}`);
      }
    };
    const queued = this.dtmfQueue.then(send, send);
    this.dtmfQueue = queued.catch(() => undefined);
    return queued;
  }

  /**
   * Blind transfer (RFC 3515): REFER the peer to `target`; progress arrives as `transfer-progress`
   * events, and when the peer reports success the call ends as `transferred`. Resolves once the
   * REFER is accepted (202).
   */
  async transfer(target: string): Promise<void> {
    this.requireEstablished('transfer');
    const refer = this.dialog!.createRequest('REFER');
    refer.setHeader('Refer-To', new NameAddr(this.context.core.targetUri(target)).toString());
    refer.setHeader('Referred-By', this.context.core.localAddress().toString());
    refer.setHeader('Contact', this.context.core.contact());
    const { response } = await this.sendInDialog(refer);
    if (response.status >= 300) throw new RequestFailedError(response.status, response.reason, `transfer refused: ${response.status} ${response.reason}`);
    this.transferring = true;
  }

  private transferring = false;

  getStats(): Promise<unknown> {
    return this.media ? this.media.getStats() : Promise.reject(new StateError(this.state, 'the call has no media'));
  }

  protected requireEstablished(what: string): void {
    if (!this.dialog || this.dialog.early || (this.state !== 'connected' && this.state !== 'held')) {
      throw new StateError(this.state, `cannot ${what} in state ${this.state}`);
    }
  }

  // ------------------------------------------------------------------ our re-INVITE (§14.1)

  /**
   * Changes the session by re-INVITE: `change` edits the media (hold, video, ...), the offer goes
   * out, and the answer is applied. A 491 means glare: roll back, wait the §14.1 time, try again
   * (up to three times); any other failure rolls back and `undo`es the change.
   */
  private async renegotiate(change: () => void, undo: () => void, offerOptions?: OfferOptions): Promise<void> {
    this.requireEstablished('renegotiate');
    if (this.changing) throw new StateError(this.state, 'another offer/answer exchange is in progress');
    this.changing = true;
    try {
      change();
      for (let attempt = 1; ; attempt++) {
        while (this.offerPending) await this.sleep(50); // the peer's offer is being answered
        this.offerPending = true;
        const offer = await this.media!.createOffer(offerOptions);
        const reinvite = this.dialog!.createRequest('INVITE');
        reinvite.setHeader('Contact', this.context.core.contact());
        reinvite.setHeader('Content-Type', SDP);
        reinvite.body = offer;
        let ack: SipRequest | undefined;
        const result = await this.sendInDialog(reinvite, { onLaterSuccess: () => ack && this.context.core.transactions.sendStateless(ack) });
        this.offerPending = false;
        const response = result.response;
        if (response.status >= 200 && response.status < 300) {
          ack = this.dialog!.createAck(result.request.cseq.seq);
          this.context.core.sendAck(ack);
          this.dialog!.refreshTarget(response);
          await this.media!.applyAnswer(response.body);
          this.updateHoldState();
          return;
        }
        await this.media!.rollback();
        if (response.status === 491 && attempt < 3) {
          // The rollback undid our change too: wait, then make it again on whatever the peer did.
          await this.sleep(this.glareWaitMs());
          this.requireEstablished('renegotiate');
          change();
          continue;
        }
        undo();
        // §14.1: a 481 or 408 to a re-INVITE ends the dialog.
        if (response.status === 481 || response.status === 408) this.bye('failed', `re-INVITE failed: ${response.status} ${response.reason}`);
        throw new RequestFailedError(response.status, response.reason, `re-INVITE failed: ${response.status} ${response.reason}`);
      }
    } finally {
      this.offerPending = false;
      this.changing = false;
    }
  }

  /** §14.1: the Call-ID owner waits 2.1–4 s, the other side 0–2 s, in units of 10 ms. */
  private glareWaitMs(): number {
    const units = Math.floor(this.context.core.options.random.float() * (this.direction === 'outgoing' ? 191 : 201));
    return this.direction === 'outgoing' ? 2100 + units * 10 : units * 10;
  }

  protected sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.context.core.clock.setTimeout(resolve, ms));
  }

  protected sendInDialog(request: SipRequest, options: { onLaterSuccess?: (r: SipResponse) => void } = {}) {
    const dialog = this.dialog!;
    // Allow and Supported in every request we send, in a dialog too (RFC 3261 §20.5, §20.37).
    this.context.core.addCommonHeaders(request);
    return this.context.core.send(request, { nextSeq: () => dialog.nextSeq(), onLaterSuccess: options.onLaterSuccess });
  }

  // ------------------------------------------------------------------ requests from the peer

  /** A request within our dialog (the manager found it by dialog id); `transaction` is absent for ACK. */
  receiveInDialog(request: SipRequest, transaction: ServerTransaction | undefined): void {
    if (request.method === 'ACK') {
      this.receiveAck(request);
      return;
    }
    if (!transaction) return;
    if (this.dialog!.receiveRequest(request) === 'out-of-order') {
      this.context.respond(transaction, 500, 'Out of Order'); // §12.2.2
      return;
    }
    switch (request.method) {
      case 'BYE':
        this.context.respond(transaction, 200);
        this.finish('remote-hangup');
        return;
      case 'INVITE':
        void this.receiveReinvite(request, transaction);
        return;
      case 'INFO':
        this.receiveInfo(request, transaction);
        return;
      case 'REFER':
        this.receiveRefer(request, transaction);
        return;
      case 'NOTIFY':
        this.receiveNotify(request, transaction);
        return;
      default:
        this.context.respond(transaction, 200);
    }
  }

  /** The ACK for our 2xx (§13.3.1.4): stops its retransmission; it may carry the answer to an offer in a 2xx. */
  protected receiveAck(ack: SipRequest): void {
    const pending = this.okRetransmission;
    if (!pending) return;
    this.stopOkRetransmission();
    pending.onAck(ack);
  }

  /** Sends a 2xx to an INVITE and again at T1, 2T1, ... up to T2 until the ACK; after 64*T1 the dialog ends (§13.3.1.4). */
  protected sendOk(transaction: ServerTransaction, response: SipResponse, onAck: (ack: SipRequest) => void): void {
    this.stopOkRetransmission();
    transaction.respond(response);
    const t1 = 500;
    const t2 = 4000;
    const started = this.context.core.clock.now();
    const retransmit = (interval: number): void => {
      const pending = this.okRetransmission;
      if (!pending) return;
      pending.timer = this.context.core.clock.setTimeout(() => {
        if (this.context.core.clock.now() - started >= 64 * t1) {
          this.stopOkRetransmission();
          this.bye('failed', 'no ACK for the 200 OK');
          return;
        }
        transaction.respond(response);
        retransmit(Math.min(2 * interval, t2));
      }, interval);
    };
    this.okRetransmission = { timer: undefined, response, onAck };
    retransmit(t1);
  }

  private stopOkRetransmission(): void {
    if (this.okRetransmission) this.context.core.clock.clearTimeout(this.okRetransmission.timer);
    this.okRetransmission = undefined;
  }

  /** A re-INVITE from the peer: glare gets 491 (§14.2), else answer its offer or make one (offer in the 2xx, answer in the ACK). */
  private async receiveReinvite(request: SipRequest, transaction: ServerTransaction): Promise<void> {
    if (this.offerPending || this.okRetransmission) {
      // §14.2: our own offer is out (491), or our last 2xx is not ACKed yet (500 with Retry-After).
      this.context.respond(transaction, this.offerPending ? 491 : 500, undefined, this.offerPending ? [] : [['Retry-After', '1']]);
      return;
    }
    const hasOffer = request.body !== '' && mediaType(request.contentType) === 'application/sdp';
    this.offerPending = true;
    try {
      this.dialog!.refreshTarget(request);
      const sdp = hasOffer ? await this.media!.applyOffer(request.body) : await this.media!.createOffer();
      const ok = responseTo(request, 200, undefined, this.dialog!.localTag);
      ok.setHeader('Contact', this.context.core.contact());
      ok.setHeader('Content-Type', SDP);
      ok.body = sdp;
      // Our 2xx goes out over our current flow: the peer now has our fresh target (see recover()).
      this.recoveryPending = false;
      this.sendOk(transaction, ok, (ack) => {
        if (!hasOffer && ack.body) void this.media!.applyAnswer(ack.body).then(() => this.updateHoldState(), (error: Error) => this.events.emit('error', error));
      });
      this.updateHoldState();
    } catch (error) {
      // RFC 3264 §6: an offer we cannot answer gets 488; the session stays as it was.
      this.context.respond(transaction, 488);
      await this.media!.rollback().catch(() => undefined);
      this.events.emit('error', error as Error);
    } finally {
      this.offerPending = false;
    }
  }

  private receiveInfo(request: SipRequest, transaction: ServerTransaction): void {
    const type = mediaType(request.contentType);
    const dtmf = readDtmfRelay(request.body, type);
    if (!dtmf) {
      this.context.respond(transaction, 415, undefined, [['Accept', `${DTMF_RELAY}, application/dtmf`]]);
      return;
    }
    this.context.respond(transaction, 200);
    this.events.emit('dtmf', { ...dtmf, via: 'info' });
  }

  /** RFC 3515 §2.4.2: the application accepts (202, then NOTIFYs) or the REFER is declined (603). */
  private receiveRefer(request: SipRequest, transaction: ServerTransaction): void {
    const referTo = request.header('Refer-To');
    if (!referTo) {
      this.context.respond(transaction, 400, 'Missing Refer-To');
      return;
    }
    let decided = false;
    const target = referToTarget(referTo);
    this.events.emit('refer', {
      target,
      referredBy: request.header('Referred-By'),
      accept: () => {
        if (decided) return;
        decided = true;
        this.context.respond(transaction, 202);
        this.startReferredCall(target);
      },
      reject: () => {
        if (decided) return;
        decided = true;
        this.context.respond(transaction, 603);
      },
    });
    if (!decided) this.context.respond(transaction, 603);
  }

  /** Calls the REFER target and reports its progress to the referrer by NOTIFY (RFC 3515 §2.4.4). */
  private startReferredCall(target: string): void {
    const notify = (status: number, reason: string, final: boolean): void => {
      if (!this.dialog || this.state === 'ended') return;
      const request = this.dialog.createRequest('NOTIFY');
      request.setHeader('Event', 'refer');
      request.setHeader('Subscription-State', final ? 'terminated;reason=noresource' : 'active;expires=60');
      request.setHeader('Contact', this.context.core.contact());
      request.setHeader('Content-Type', SIPFRAG);
      request.body = sipfragBody(status, reason);
      void this.sendInDialog(request).catch(() => undefined);
    };
    notify(100, 'Trying', false);
    const call = this.context.callFor(target, this.mediaOptions);
    this.events.emit('referred-call', call);
    const offState = call.events.on('state', (state) => {
      if (state !== 'connected') return;
      offState();
      notify(200, 'OK', true);
    });
    call.events.on('ended', (info) => {
      offState();
      if (info.cause !== 'hangup' && info.cause !== 'remote-hangup' && info.cause !== 'transferred') {
        notify(info.status ?? 500, info.reason ?? info.cause, true);
      }
    });
  }

  /** NOTIFYs of a transfer we asked for; a final 2xx means the peer reached the target, so we leave. */
  private receiveNotify(request: SipRequest, transaction: ServerTransaction): void {
    const event = (request.header('Event') ?? '').split(';')[0]!.trim().toLowerCase();
    if (event !== 'refer') {
      this.context.respond(transaction, 489, 'Bad Event'); // RFC 6665 §8.2.1
      return;
    }
    this.context.respond(transaction, 200);
    const progress = sipfragStatus(request.body);
    if (!progress) return;
    this.events.emit('transfer-progress', progress);
    if (this.transferring && progress.status >= 200 && progress.status < 300) this.bye('transferred');
  }
}

/** The URI of a Refer-To value (RFC 3515 §2.1: a name-addr or addr-spec). */
function referToTarget(value: string): string {
  const bracketed = /<([^>]*)>/.exec(value);
  return (bracketed ? bracketed[1]! : value.split(';')[0]!).trim();
}
