import type { TimerHandle } from '../../core/clock';
import type { Emitter } from '../../core/emitter';
import { StateError, TransportError } from '../../core/errors';
import type { Dialog } from '../../dialog/dialog';
import type { NameAddr, SipRequest, SipResponse } from '../../message/message';
import type { ClientTransaction, ServerTransaction } from '../../transaction/transaction-layer';
import { cancelFor, responseTo } from '../../transaction/requests';
import { DTMF_DIGITS, type MediaKind, type MediaSession, type OfferOptions } from '../media-session';
import { RequestFailedError } from '../request-failed-error';
import { requireSuccess, type SendResult, type UaCore } from '../ua-core';
import { isSuccess, mediaType, sdpOf } from '../../message/content';
import type { CallContext } from './call-context';
import type { CallDirection, CallEndCause, CallEndInfo, CallEvents, CallMediaOptions, CallState, DtmfMode } from './call-types';
import type { IncomingCall } from './incoming-call';
import { DTMF_RELAY, dtmfRelayBody, readDtmfRelay } from './dtmf-relay';
import { Transfer } from './transfer';
import { InDialogMessages } from './in-dialog-message';
import { assertedIdentity, type RemoteParty } from './identity-update';
import { SessionTimer } from './session-timer';
import { allowsUpdate, receiveUpdate, sendRefreshUpdate, type UpdateSession } from './update';

let nextId = 1;

/** A 2xx to an INVITE waiting for its ACK (§13.3.1.4). */
interface OkPending {
  timer?: TimerHandle;
  onAck(ack: SipRequest): void;
}

/**
 * One INVITE session (RFC 3261 §13–15) and its media. This base holds what both directions share
 * once a dialog exists: in-dialog requests both ways, re-INVITE offer/answer with glare handling
 * (§14), hold (RFC 6337), DTMF (RFC 4733 or INFO) and the end of the call; transfer (RFC 3515,
 * 5589) is in transfer.ts, reached through its seam. OutgoingCall and IncomingCall add the initial INVITE of their side.
 */
export abstract class Call {
  readonly events: Emitter<CallEvents>;
  readonly id = `call-${nextId++}`;
  abstract readonly direction: CallDirection;
  /**
   * The peer as From/To named it, or as a later re-INVITE or UPDATE asserted it (a PBX transfer,
   * identity-update.ts): remote text, render it as text only.
   */
  get remote(): RemoteParty {
    return this.#remote;
  }
  #remote: RemoteParty;
  media: MediaSession | undefined;
  dialog: Dialog | undefined;
  readonly #ctx: CallContext;
  readonly #core: UaCore;
  #state: CallState;
  #ended: CallEndInfo | undefined;
  /** One local change (hold, video, ICE restart) at a time, through its retries. */
  #changing = false;
  /**
   * RFC 3264 §4 / RFC 3261 §14: set while an offer is outstanding, ours (re-INVITE sent, no final
   * response yet) or the peer's (being answered). A re-INVITE arriving then gets 491. Not set
   * during the §14.1 wait, so the peer's retry gets through.
   */
  #offerPending = false;
  /** §13.3.1.4: a 2xx to an INVITE is sent again until its ACK arrives. */
  #ok: OkPending | undefined;
  #dtmfQueue: Promise<void> = Promise.resolve();
  readonly #offMedia: Array<() => void> = [];
  /** ICE failed or the network changed: the next recovery re-INVITE restarts ICE. */
  #iceRestart = false;
  /** A recovery re-INVITE is wanted (see recover()); our 2xx to the peer's re-INVITE does its job. */
  #recovering = false;
  /** REFER both ways (RFC 3515, 5589): its own module, reaching the session through a narrow seam. */
  readonly #transfer: Transfer;
  /** MESSAGE in the dialog (RFC 3428 §4): in-dialog-message.ts. */
  readonly #messages: InDialogMessages;
  /** RFC 4028 session timers; started by the 2xx that makes the session. */
  protected readonly sessionTimer: SessionTimer;
  /** UPDATE both ways (RFC 3311), through its seam. */
  readonly #update: UpdateSession;
  /** Whether the peer's Allow lists UPDATE (RFC 4028 §7.4 / §9: refresh by UPDATE, else re-INVITE). */
  #peerAllowsUpdate = false;

  protected constructor(
    context: CallContext,
    remote: NameAddr,
    initial: CallState,
    protected readonly mediaOptions: CallMediaOptions,
  ) {
    const core = (this.#core = context.core);
    this.#ctx = context;
    this.events = core.emitter();
    this.#remote = { uri: remote.uri.toString(), displayName: remote.displayName };
    this.#state = initial;
    this.sessionTimer = new SessionTimer(
      { clock: core.clock, refresh: () => void this.#refresh(), expire: () => this.bye('session-expired', 'no session refresh (RFC 4028 §10)') },
      context.sessionTimers,
    );
    this.#update = {
      core,
      timer: this.sessionTimer,
      dialog: () => this.dialog!,
      media: () => this.media,
      pendingOffer: () => {
        const early = !this.media || this.dialog!.early;
        if (this.#offerPending || (early && this.direction === 'outgoing')) return 'ours';
        return early || this.#ok ? 'theirs' : undefined;
      },
      setOfferPending: (pending) => (this.#offerPending = pending),
      notePeer: (message) => this.notePeer(message),
      updateHold: () => this.#updateHold(),
      error: (error) => this.#error(error),
      sendInDialog: (request) => this.sendInDialog(request),
      bye: (cause, reason) => this.bye(cause, reason),
    };
    this.#transfer = new Transfer({
      core,
      events: this.events,
      mediaOptions,
      dialog: () => (this.#ended ? undefined : this.dialog),
      confirmed: () => !!this.dialog && !this.dialog.early && this.#live,
      established: (what) => this.#established(what),
      sendInDialog: (request) => this.sendInDialog(request),
      bye: (cause) => this.bye(cause),
      call: (target, options, headers) => context.call(target, options, headers),
    });
    this.#messages = new InDialogMessages(core.clock, core.messageTypes, (message) => this.events.emit('message', message));
  }

  get state(): CallState {
    return this.#state;
  }

  get ended(): CallEndInfo | undefined {
    return this.#ended;
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
    const previous = this.#state;
    if (previous === next || previous === 'ended') return;
    this.#state = next;
    this.events.emit('state', next, previous);
  }

  /** Connected or held, from the media's view of both holds (RFC 6337 §5.3). */
  #updateHold(): void {
    if (this.#live) this.setState(this.localHold || this.remoteHold ? 'held' : 'connected');
  }

  /** Connected or held. */
  get #live(): boolean {
    return this.#state === 'connected' || this.#state === 'held';
  }

  #error(error: Error): void {
    this.events.emit('error', error);
  }

  protected attachMedia(media: MediaSession): MediaSession {
    this.media = media;
    this.#offMedia.push(
      // ICE failed (a network change, a NAT rebinding): restart it by re-INVITE, now or on reconnect.
      media.on('ice-failed', () => void this.networkChanged().catch((error: Error) => this.#error(error))),
      media.on('remote-track', (kind) => this.events.emit('remote-track', kind)),
      media.on('remote-hold', (held) => {
        this.events.emit('remote-hold', held);
        this.#updateHold();
      }),
    );
    return media;
  }

  /** Ends the call once: media closed, timers stopped, dialog forgotten, `ended` emitted. */
  protected finish(cause: CallEndCause, status?: number, reason?: string): void {
    if (this.#ended) return;
    const info = (this.#ended = { cause, status, reason });
    this.#stopOk();
    this.sessionTimer.end();
    this.#transfer.end();
    for (const off of this.#offMedia.splice(0)) off();
    this.media?.close();
    this.#ctx.forgetCall(this);
    this.setState('ended');
    this.events.emit('ended', info);
  }

  /**
   * Sends BYE in the dialog (§15.1.1); the call is over for the user at once. While the
   * connection is down the BYE waits for it (up to a minute), so the peer is not left talking to
   * nobody; a BYE the connection dropped under is sent again on the next one (RFC 5626 §4.4: its
   * response could not come back anyway), as sendMessage() does. A peer that did get the first
   * answers the second 481.
   */
  protected bye(cause: CallEndCause, reason?: string): void {
    const dialog = this.dialog;
    const core = this.#core;
    this.finish(cause, undefined, reason);
    if (!dialog || dialog.early) return;
    const deadline = core.clock.now() + 60000;
    const send = async (): Promise<void> => {
      for (;;) {
        await core.whenConnected(deadline - core.clock.now());
        const { error } = await this.sendInDialog(dialog.createRequest('BYE'));
        if (error?.name !== 'TransportError' || core.clock.now() >= deadline) return;
      }
    };
    void send().catch((error: Error) => core.logger.warn(`BYE not delivered: ${error.message}`));
  }

  /**
   * RFC 3891 §3: `call` takes this call's place. This one ends as `replaced`: with BYE, or with
   * CANCEL while it is an early dialog we started.
   */
  replaceWith(call: IncomingCall): void {
    this.events.emit('replaced', call);
    if (this.dialog?.early) void this.hangup().catch(() => undefined);
    this.bye('replaced');
  }

  // ------------------------------------------------------------------ controls

  async hold(): Promise<void> {
    if (!this.localHold) await this.#renegotiate((media) => media.hold(), (media) => media.unhold());
  }

  async unhold(): Promise<void> {
    if (this.localHold) await this.#renegotiate((media) => media.unhold(), (media) => media.hold());
  }

  /** Adds or removes our video by re-INVITE. */
  async setVideo(enabled: boolean): Promise<void> {
    if (this.media?.video !== enabled) await this.#renegotiate((media) => media.setVideo(enabled), (media) => media.setVideo(!enabled));
  }

  /**
   * Offers a change the page made to the media session itself (a shared screen adding a video
   * stream) by re-INVITE: `change` edits the session, `undo` reverts it if the offer fails.
   */
  async reoffer(change: (media: MediaSession) => void, undo: (media: MediaSession) => void = () => undefined): Promise<void> {
    await this.#renegotiate(change, undo);
  }

  /** The network changed: restart ICE by re-INVITE now, or once signalling is back (see recover()). */
  async networkChanged(): Promise<void> {
    this.#iceRestart = true;
    if (this.#core.connected) await this.recover();
  }

  /**
   * After a reconnect or an ICE failure: a re-INVITE from the new flow refreshes the target the
   * peer and proxies hold for us (RFC 3261 §12.2, a target refresh), restarting ICE when media
   * failed meanwhile. Calls not yet established have nothing to refresh.
   */
  async recover(): Promise<void> {
    if (!this.dialog || this.dialog.early || !this.#live) return;
    const core = this.#core;
    // When the server restarts, both ends reconnect at once and would re-INVITE at once (glare,
    // §14). One exchange refreshes both targets, because our 2xx leaves over our new flow too. So
    // the caller goes first and the callee waits 0.5–1 s, and skips its own re-INVITE when it has
    // answered the caller's meanwhile.
    this.#recovering = true;
    if (this.direction === 'incoming') await core.sleep(500 + core.random.float() * 500);
    // Recovery re-INVITEs answered 480 or 503 are tried again, after 1 s and 2 s.
    for (let attempt = 1; ; attempt++) {
      // Our 2xx still waits for its ACK: it goes out again over the new flow with our Contact
      // (§13.3.1.4), and a re-INVITE now would reach a caller whose dialog may still be early (the
      // 2xx was lost with the old flow): it answers 481 and the call is lost (§14.1, §12.2.2).
      // A change of ours (hold, video) is running: the refresh is still needed (its INVITE may
      // have left over the old flow), so it goes after it, never as a second INVITE (§14.1).
      while ((this.#ok || this.#changing) && !this.#ended) await core.sleep(100);
      if (!this.#recovering || this.#ended) return;
      const restart = this.#iceRestart;
      this.#iceRestart = false;
      try {
        await this.#renegotiate(() => undefined, () => undefined, restart ? { iceRestart: true } : undefined);
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

  /** Mutes our outgoing audio (and/or video): tracks disabled, no renegotiation. */
  mute(kind?: MediaKind): void {
    this.#mute(true, kind);
  }

  unmute(kind?: MediaKind): void {
    this.#mute(false, kind);
  }

  #mute(muted: boolean, kind?: MediaKind): void {
    for (const k of kind ? [kind] : (['audio', 'video'] as const)) this.media?.setMuted(k, muted);
  }

  muted(kind: MediaKind = 'audio'): boolean {
    return this.media?.isMuted(kind) ?? false;
  }

  /**
   * Sends DTMF: RFC 4733 telephone-events when the answer negotiated them at the audio codec's
   * clock rate (MediaSession.prefersRfc4733: an Opus call to a plain phone that offers only
   * telephone-event/8000 loses its digits otherwise), else INFO with application/dtmf-relay, one
   * request per digit in order; `mode` overrides the choice. A comma is a two-second pause.
   */
  sendDtmf(digits: string, options: { mode?: DtmfMode; duration?: number; gap?: number } = {}): Promise<void> {
    if (!DTMF_DIGITS.test(digits)) return Promise.reject(new RangeError(`not DTMF digits: ${JSON.stringify(digits)}`));
    this.#established('send DTMF');
    const { mode = 'auto', duration = 100 } = options;
    if (mode === 'rfc4733' || (mode === 'auto' && this.media?.prefersRfc4733())) {
      if (this.media?.sendDtmf(digits, { duration, gap: options.gap })) return Promise.resolve();
      if (mode === 'rfc4733') return Promise.reject(new StateError(this.#state, 'RFC 4733 DTMF not negotiated'));
    }
    const send = async (): Promise<void> => {
      for (const digit of digits) {
        if (this.#ended) return;
        if (digit === ',') {
          await this.#core.sleep(2000);
          continue;
        }
        const info = this.dialog!.createRequest('INFO');
        info.setHeader('Content-Type', DTMF_RELAY);
        info.body = dtmfRelayBody(digit.toUpperCase(), duration);
        requireSuccess((await this.sendInDialog(info)).response, `DTMF ${digit} refused`);
      }
    };
    const queued = this.#dtmfQueue.then(send, send);
    this.#dtmfQueue = queued.catch(() => undefined);
    return queued;
  }

  /**
   * Transfer (RFC 3515): REFER the peer to `target`. A string is a blind transfer; another of our
   * established calls makes it attended (RFC 5589 §7): the peer calls that call's party with
   * Replaces (RFC 3891), who then ends that call with BYE. Progress arrives as `transfer-progress`
   * events, and when the peer reports success this call ends as `transferred`. Resolves once the
   * REFER is accepted (202).
   */
  async transfer(target: string | Call): Promise<void> {
    this.#established('transfer');
    await this.#transfer.refer(typeof target === 'string' ? target : target.#established('transfer to a call'));
  }

  /**
   * Sends a MESSAGE in the call's dialog (RFC 3428 §4) and resolves with the 2xx; rejects with a
   * RequestFailedError for any other final status.
   */
  async sendMessage(body: string, contentType = 'text/plain;charset=utf-8'): Promise<SipResponse> {
    const request = this.#established('send a message').createRequest('MESSAGE');
    request.setHeader('Content-Type', contentType);
    request.body = body;
    const { response, authProblem } = await this.sendInDialog(request);
    if (!isSuccess(response.status)) throw new RequestFailedError(response.status, authProblem ?? response.reason);
    return response;
  }

  getStats(): Promise<unknown> {
    return this.media ? this.media.getStats() : Promise.reject(new StateError(this.#state, 'the call has no media'));
  }

  /** The dialog of a connected or held call; a StateError naming `what` otherwise. */
  #established(what: string): Dialog {
    if (!this.dialog || this.dialog.early || !this.#live) throw new StateError(this.#state, `cannot ${what} in state ${this.#state}`);
    return this.dialog;
  }

  // ------------------------------------------------------------------ our re-INVITE (§14.1)

  /**
   * Changes the session by re-INVITE: `change` edits the media (hold, video, ...), the offer goes
   * out, and the answer is applied. A 491 means glare: roll back, wait the §14.1 time, try again
   * (up to three times); any other failure rolls back and `undo`es the change.
   */
  async #renegotiate(change: (media: MediaSession) => void, undo: (media: MediaSession) => void, offerOptions?: OfferOptions): Promise<void> {
    this.#established('renegotiate');
    if (this.#changing) throw new StateError(this.#state, 'an offer/answer exchange is in progress');
    this.#changing = true;
    const core = this.#core;
    const media = this.media!;
    const dialog = this.dialog!;
    try {
      change(media);
      for (let attempt = 1; ; attempt++) {
        // §14.1: no INVITE of ours while one of the peer's is in progress: its offer is being
        // answered, or our 2xx waits for its ACK (until it comes, or §13.3.1.4 ends the call).
        while (this.#offerPending || this.#ok) await core.sleep(50);
        this.#established('renegotiate');
        this.#offerPending = true;
        const reinvite = core.withSdp(dialog.createRequest('INVITE'), await media.createOffer(offerOptions));
        this.sessionTimer.decorate(reinvite); // every re-INVITE refreshes the session (RFC 4028 §7.4)
        let ack: SipRequest | undefined;
        let sent: { transaction: ClientTransaction; request: SipRequest } | undefined;
        const unguard = this.#cancelWhenUnanswered(() => sent);
        // A 2xx retransmitted after the first is ACKed again (§13.2.2.4).
        const { response, request } = await this.sendInDialog(
          reinvite,
          () => ack && core.resendAck(ack),
          (transaction, request) => (sent = { transaction, request }),
        );
        unguard();
        this.#offerPending = false;
        const { status, reason } = response;
        if (isSuccess(status)) {
          core.sendAck((ack = dialog.createAck(request.cseq.seq)));
          dialog.refreshTarget(response);
          this.sessionTimer.answered(response);
          await media.applyAnswer(response.body);
          return this.#updateHold();
        }
        await media.rollback();
        // RFC 4028 §7.4: too small an interval for the peer: again with the Min-SE it named.
        if (status === 422 && this.sessionTimer.retryAfter422(response)) {
          change(media);
          continue;
        }
        if (status !== 491 || attempt > 2) {
          undo(media);
          const problem = `re-INVITE failed: ${status} ${reason}`;
          // §14.1: a 481 or 408 to a re-INVITE ends the dialog.
          if (status === 481 || status === 408) this.bye('failed', problem);
          throw new RequestFailedError(status, reason, problem);
        }
        // Glare. §14.1: the Call-ID owner waits 2.1–4 s, the other side 0–2 s, in units of 10 ms.
        // The rollback undid our change too: wait, then make it again on whatever the peer did.
        const outgoing = this.direction === 'outgoing';
        await core.sleep((outgoing ? 2100 : 0) + Math.floor(core.random.float() * (outgoing ? 191 : 201)) * 10);
        this.#established('renegotiate');
        change(media);
      }
    } finally {
      this.#offerPending = false;
      this.#changing = false;
    }
  }

  /** Sends a request in our dialog; its CSeq, and that of a resend with credentials, come from the dialog. */
  protected sendInDialog(
    request: SipRequest,
    onLaterSuccess?: (response: SipResponse) => void,
    onTransaction?: (transaction: ClientTransaction, request: SipRequest) => void,
  ): Promise<SendResult> {
    const dialog = this.dialog!;
    return this.#core.send(request, { nextSeq: () => dialog.nextSeq(), onLaterSuccess, onTransaction });
  }

  /**
   * A re-INVITE the peer answered 100 but whose final response never comes (it was lost with the
   * peer's connection, and a reliable transport does not resend it; Timer B only runs before the
   * 100) would hold the offer open for ever, and every later re-INVITE of either side would meet
   * 491. §9.1: after 64*T1 it is CANCELed, and 64*T1 after the CANCEL without a final response it
   * is given up (as a 503, so the dialog stays). Returns the guard's remover.
   */
  #cancelWhenUnanswered(sent: () => { transaction: ClientTransaction; request: SipRequest } | undefined): () => void {
    const core = this.#core;
    let timer = core.clock.setTimeout(() => {
      const reinvite = sent();
      if (reinvite?.transaction.state !== 'proceeding') return;
      try {
        core.transactions.sendRequest(cancelFor(reinvite.request), { onResponse: () => undefined, onFailure: () => undefined });
      } catch (error) {
        core.logger.warn(`CANCEL not sent: ${(error as Error).message}`);
      }
      timer = core.clock.setTimeout(() => reinvite.transaction.fail(new TransportError('connection-closed', 'no final response to the re-INVITE')), 32000);
    }, 32000);
    return () => core.clock.clearTimeout(timer);
  }

  // ------------------------------------------------------------------ session refresh and the peer's identity

  /**
   * RFC 4028 §7.4 / §9: our turn to refresh: UPDATE without SDP when the peer allows it, else a
   * re-INVITE offering the session as it is. A change of ours in progress is a refresh already.
   */
  async #refresh(): Promise<void> {
    if (this.#ended || !this.#live) return;
    try {
      if (this.#peerAllowsUpdate) await sendRefreshUpdate(this.#update);
      else if (!this.#changing) await this.#renegotiate(() => undefined, () => undefined);
    } catch (error) {
      this.#core.logger.warn(`session refresh failed: ${(error as Error).message}`);
    }
  }

  /**
   * What a request or 2xx from the peer tells of it: whether it takes UPDATE (its Allow), and in
   * a re-INVITE or UPDATE who it now is (P-Asserted-Identity or Remote-Party-ID after a PBX
   * transfer; SECURITY.md says why this is shown as the far end's claim).
   */
  protected notePeer(message: SipRequest | SipResponse): void {
    this.#peerAllowsUpdate = allowsUpdate(message) ?? this.#peerAllowsUpdate;
    if (message.kind !== 'request' || message.method === 'ACK' || !this.dialog || message.to.tag === undefined) return;
    const party = assertedIdentity(message);
    if (!party || (party.uri === this.#remote.uri && party.displayName === this.#remote.displayName)) return;
    this.#remote = party;
    this.events.emit('remote-identity', party);
  }

  // ------------------------------------------------------------------ requests from the peer

  /** A request within our dialog (the manager found it by dialog id); `transaction` is absent for ACK. */
  receiveInDialog(request: SipRequest, transaction: ServerTransaction | undefined): void {
    const ok = this.#ok;
    if (request.method === 'ACK') {
      // The ACK for our 2xx (§13.3.1.4) stops its retransmission; it may carry the answer to an offer in a 2xx.
      if (ok) {
        this.#stopOk();
        ok.onAck(request);
      }
      return;
    }
    if (!transaction) return;
    const respond = (status: number, reason?: string, headers?: ReadonlyArray<readonly [string, string]>) =>
      void this.#core.respond(transaction, status, reason, headers);
    if (this.dialog!.receiveRequest(request) === 'out-of-order') return respond(500, 'Out of Order'); // §12.2.2
    switch (request.method) {
      case 'BYE':
        respond(200);
        return this.finish('remote-hangup');
      case 'INVITE':
        return void this.#receiveReinvite(request, transaction);
      case 'UPDATE':
        return void receiveUpdate(this.#update, request, transaction);
      case 'INFO': {
        const dtmf = readDtmfRelay(request.body, mediaType(request.contentType));
        if (!dtmf) return respond(415, undefined, [['Accept', `${DTMF_RELAY}, application/dtmf`]]);
        respond(200);
        return this.events.emit('dtmf', { ...dtmf, via: 'info' });
      }
      case 'REFER':
        return this.#transfer.receiveRefer(request, respond);
      case 'NOTIFY':
        return this.#transfer.receiveNotify(request, respond);
      case 'PRACK':
        return this.receivePrack(request, respond);
      case 'MESSAGE':
        return this.#messages.receive(request, respond);
      default:
        respond(200);
    }
  }

  /** RFC 3262 §3: a PRACK matching no reliable 1xx of ours gets 481 (IncomingCall has the ones it sent). */
  protected receivePrack(_request: SipRequest, respond: (status: number) => void): void {
    respond(481);
  }

  /** Sends a 2xx to an INVITE and again at T1, 2T1, ... up to T2 until the ACK; after 64*T1 the dialog ends (§13.3.1.4). */
  protected sendOk(transaction: ServerTransaction, response: SipResponse, onAck: (ack: SipRequest) => void): void {
    this.#stopOk();
    const clock = this.#core.clock;
    const pending: OkPending = (this.#ok = { onAck });
    let elapsed = 0;
    const send = (interval: number): void => {
      transaction.respond(response);
      pending.timer = clock.setTimeout(() => {
        elapsed += interval;
        if (elapsed < 32000) return send(Math.min(2 * interval, 4000));
        this.#stopOk();
        this.bye('failed', 'no ACK for the 200 OK');
      }, interval);
    };
    send(500);
  }

  #stopOk(): void {
    this.#core.clock.clearTimeout(this.#ok?.timer);
    this.#ok = undefined;
  }

  /** A re-INVITE from the peer: glare gets 491 (§14.2), else answer its offer or make one (offer in the 2xx, answer in the ACK). */
  async #receiveReinvite(request: SipRequest, transaction: ServerTransaction): Promise<void> {
    const media = this.media;
    // §14.2: an INVITE of ours is in progress (our first one, still early, or our re-INVITE) → 491;
    // one of theirs is (their first, not yet answered, or our 2xx not yet ACKed) → 500, Retry-After.
    const early = !media || this.dialog!.early;
    const ours = this.#offerPending || (early && this.direction === 'outgoing');
    if (ours || early || this.#ok) {
      this.#core.respond(transaction, ours ? 491 : 500, undefined, ours ? [] : [['Retry-After', '1']]);
      return;
    }
    const tooSmall = this.sessionTimer.reject(request);
    if (tooSmall) return void this.#core.respond(transaction, tooSmall.status, undefined, tooSmall.headers);
    const offer = sdpOf(request);
    this.#offerPending = true;
    try {
      this.dialog!.refreshTarget(request);
      this.notePeer(request);
      const ok = this.#core.withSdp(responseTo(request, 200, undefined, this.dialog!.localTag), await (offer ? media.applyOffer(offer) : media.createOffer()));
      this.sessionTimer.accept(request, ok);
      // Our 2xx goes out over our current flow: the peer now has our fresh target (see recover()).
      this.#recovering = false;
      this.sendOk(transaction, ok, (ack) => {
        if (!offer && ack.body) void media.applyAnswer(ack.body).then(() => this.#updateHold(), (error: Error) => this.#error(error));
      });
      this.#updateHold();
    } catch (error) {
      // RFC 3264 §6: an offer we cannot answer gets 488; the session stays as it was.
      this.#core.respond(transaction, 488);
      await media.rollback().catch(() => undefined);
      this.#error(error as Error);
    } finally {
      this.#offerPending = false;
    }
  }
}
