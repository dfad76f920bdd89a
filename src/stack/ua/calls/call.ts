import type { Emitter } from '../../core/emitter';
import { StateError } from '../../core/errors';
import type { Dialog } from '../../dialog/dialog';
import type { NameAddr, SipRequest, SipResponse } from '../../message/message';
import type { ClientTransaction, ServerTransaction } from '../../transaction/transaction-layer';
import type { MediaKind, MediaSession } from '../media-session';
import type { SendResult, UaCore } from '../ua-core';
import type { CallContext } from './call-context';
import type {
  CallDirection,
  CallEndCause,
  CallEndInfo,
  CallEvents,
  CallMediaOptions,
  CallState,
  DtmfMode,
} from './call-types';
import type { IncomingCall } from './incoming-call';
import { DtmfSender, receiveDtmfInfo } from './dtmf-relay';
import { Transfer } from './transfer';
import { InDialogMessages, sendInDialogMessage } from './in-dialog-message';
import { changedIdentity, type RemoteParty } from './identity-update';
import { SessionTimer } from './session-timer';
import { allowsUpdate, pendingOffer, receiveUpdate, refreshSession, type UpdateSession } from './update';
import { OkRetransmission } from './ok-retransmission';
import { Reinvites } from './reinvite';
import { Recovery, sendBye } from './recovery';

let nextId = 1;

/**
 * One INVITE session (RFC 3261 §13–15) and its media. This base holds what both directions share
 * once a dialog exists: the call's state, its controls (hold per RFC 6337, video, mute), routing
 * the peer's in-dialog requests, and the end of the call (BYE, §15). Each idea beside it is its
 * own module, reached through a narrow seam: re-INVITE and glare (§14) in reinvite.ts, the 2xx
 * retransmission (§13.3.1.4) in ok-retransmission.ts, recovery after a reconnect (RFC 5626
 * §4.4) in recovery.ts, DTMF in dtmf-relay.ts, transfer (RFC 3515, 5589) in transfer.ts, UPDATE
 * (RFC 3311) in update.ts, session timers (RFC 4028) in session-timer.ts, MESSAGE (RFC 3428) in
 * in-dialog-message.ts. OutgoingCall and IncomingCall add the initial INVITE of their side.
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
  // The modules beside the session (see above), each reaching it through its seam.
  readonly #offMedia: Array<() => void> = [];
  readonly #ok: OkRetransmission;
  readonly #reinvites: Reinvites;
  readonly #recovery: Recovery;
  readonly #dtmf: DtmfSender;
  readonly #transfer: Transfer;
  readonly #messages: InDialogMessages;
  /** RFC 4028 session timers; started by the 2xx that makes the session. */
  protected readonly sessionTimer: SessionTimer;
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
      {
        clock: core.clock,
        refresh: () => void (this.#live && refreshSession(this.#update, this.#peerAllowsUpdate, this.#reinvites)),
        expire: () => this.bye('session-expired', 'no session refresh (RFC 4028 §10)'),
      },
      context.sessionTimers,
    );
    this.#messages = new InDialogMessages(core.clock, core.messageTypes, (message) =>
      this.events.emit('message', message),
    );
    const ok = (this.#ok = new OkRetransmission(core.clock, () => this.bye('failed', 'no ACK for the 200 OK')));
    // One seam for reinvite.ts, recovery.ts, update.ts and dtmf-relay.ts (functions: a subclass
    // sets `direction` after this constructor).
    const seam = {
      core,
      ok,
      timer: this.sessionTimer,
      direction: () => this.direction,
      reinvites: () => this.#reinvites,
      state: () => this.#state,
      dialog: () => this.dialog!,
      media: () => this.media,
      established: (what: string) => this.#established(what),
      live: () => !!this.dialog && !this.dialog.early && this.#live,
      ended: () => !!this.#ended,
      sendInDialog: this.sendInDialog.bind(this),
      notePeer: (message: SipRequest) => this.notePeer(message),
      updateHold: () => this.#updateHold(),
      error: (error: Error) => this.#error(error),
      bye: (cause: CallEndCause, reason?: string) => this.bye(cause, reason),
      answered: () => this.#recovery.answered(),
      pendingOffer: () =>
        pendingOffer({
          offerPending: this.#reinvites.offerPending,
          early: !this.media || this.dialog!.early,
          earlyComplete: !!this.media && this.earlyExchangeComplete(),
          outgoing: this.direction === 'outgoing',
          okWaiting: this.#ok.waiting,
        }),
      setOfferPending: (pending: boolean) => (this.#reinvites.offerPending = pending),
      settleEarlyAnswer: () => this.settleEarlyAnswer(),
    };
    this.#update = seam;
    this.#reinvites = new Reinvites(seam);
    this.#recovery = new Recovery(seam);
    this.#dtmf = new DtmfSender(seam);
    this.#transfer = new Transfer({
      ...seam,
      events: this.events,
      mediaOptions,
      liveDialog: () => (this.#ended ? undefined : this.dialog),
      call: (target, options, headers) => context.call(target, options, headers),
    });
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
    this.#ok.stop();
    this.sessionTimer.end();
    this.#transfer.end();
    for (const off of this.#offMedia.splice(0)) off();
    this.media?.close();
    this.#ctx.forgetCall(this);
    this.setState('ended');
    this.events.emit('ended', info);
  }

  /**
   * Sends BYE in the dialog (§15.1.1), through a reconnect if need be (recovery.ts); the call is over for the user at
   * once.
   */
  protected bye(cause: CallEndCause, reason?: string): void {
    const dialog = this.dialog;
    this.finish(cause, undefined, reason);
    if (dialog && !dialog.early) sendBye(this.#core, dialog, (request) => this.sendInDialog(request));
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

  /**
   * hold, unhold, setVideo and reoffer change the session by re-INVITE (reinvite.ts), `undo`ing the change on failure.
   */
  async hold(): Promise<void> {
    if (!this.localHold)
      await this.#reinvites.renegotiate(
        (media) => media.hold(),
        (media) => media.unhold(),
      );
  }

  async unhold(): Promise<void> {
    if (this.localHold)
      await this.#reinvites.renegotiate(
        (media) => media.unhold(),
        (media) => media.hold(),
      );
  }

  /** Adds or removes our video by re-INVITE. */
  async setVideo(enabled: boolean): Promise<void> {
    if (this.media?.video !== enabled)
      await this.#reinvites.renegotiate(
        (media) => media.setVideo(enabled),
        (media) => media.setVideo(!enabled),
      );
  }

  /**
   * Offers a change the page made to the media session itself (a shared screen adding a video
   * stream) by re-INVITE: `change` edits the session, `undo` reverts it if the offer fails.
   */
  async reoffer(
    change: (media: MediaSession) => void,
    undo: (media: MediaSession) => void = () => undefined,
  ): Promise<void> {
    await this.#reinvites.renegotiate(change, undo);
  }

  /** The network changed: restart ICE by re-INVITE now, or once signalling is back (recovery.ts). */
  networkChanged(): Promise<void> {
    return this.#recovery.networkChanged();
  }

  /** After a reconnect or an ICE failure: the target refresh, by re-INVITE from the new flow (recovery.ts). */
  recover(): Promise<void> {
    return this.#recovery.recover();
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

  /** Sends DTMF: RFC 4733 telephone-events when negotiated, else INFO (dtmf-relay.ts); a comma pauses 2 s. */
  sendDtmf(digits: string, options: { mode?: DtmfMode; duration?: number; gap?: number } = {}): Promise<void> {
    return this.#dtmf.send(digits, options);
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
    return sendInDialogMessage(
      this.#established('send a message'),
      (request) => this.sendInDialog(request),
      body,
      contentType,
    );
  }

  getStats(): Promise<unknown> {
    return this.media ? this.media.getStats() : Promise.reject(new StateError(this.#state, 'the call has no media'));
  }

  /** The dialog of a connected or held call; a StateError naming `what` otherwise. */
  #established(what: string): Dialog {
    if (!this.dialog || this.dialog.early || !this.#live)
      throw new StateError(this.#state, `cannot ${what} in state ${this.#state}`);
    return this.dialog;
  }

  // ------------------------------------------------------------------ in the dialog

  /** Sends a request in our dialog; its CSeq, and that of a resend with credentials, come from the dialog. */
  protected sendInDialog(
    request: SipRequest,
    onLaterSuccess?: (response: SipResponse) => void,
    onTransaction?: (transaction: ClientTransaction, request: SipRequest) => void,
  ): Promise<SendResult> {
    const dialog = this.dialog!;
    return this.#core.send(request, { nextSeq: () => dialog.nextSeq(), onLaterSuccess, onTransaction });
  }

  // ------------------------------------------------------------------ session refresh and the peer's identity

  /** RFC 3311 §5.1: the early dialog's initial offer/answer is complete (its answer in a reliable 1xx, RFC 3262 §5). */
  protected earlyExchangeComplete(): boolean {
    return false;
  }

  /** Before an offer in an early dialog is answered: the early answer becomes the session's (OutgoingCall). */
  protected async settleEarlyAnswer(): Promise<void> {}

  /**
   * What a request or 2xx from the peer tells of it: whether it takes UPDATE (its Allow), and in
   * a re-INVITE or UPDATE who it now is (P-Asserted-Identity or Remote-Party-ID after a PBX
   * transfer; SECURITY.md says why this is shown as the far end's claim).
   */
  protected notePeer(message: SipRequest | SipResponse): void {
    this.#peerAllowsUpdate = allowsUpdate(message) ?? this.#peerAllowsUpdate;
    const party = this.dialog && changedIdentity(message, this.#remote);
    if (party) this.events.emit('remote-identity', (this.#remote = party));
  }

  // ------------------------------------------------------------------ requests from the peer

  /** A request within our dialog (the manager found it by dialog id); `transaction` is absent for ACK. */
  receiveInDialog(request: SipRequest, transaction: ServerTransaction | undefined): void {
    // The ACK for our 2xx (§13.3.1.4) stops its retransmission; it may carry the answer to an offer in a 2xx.
    if (request.method === 'ACK') return this.#ok.ack(request);
    if (!transaction) return;
    const respond = (status: number, reason?: string, headers?: ReadonlyArray<readonly [string, string]>) =>
      void this.#core.respond(transaction, status, reason, headers);
    if (this.dialog!.receiveRequest(request) === 'out-of-order') return respond(500, 'Out of Order'); // §12.2.2
    switch (request.method) {
      case 'BYE':
        respond(200);
        return this.finish('remote-hangup');
      case 'INVITE':
        return void this.#reinvites.receive(request, transaction);
      case 'UPDATE':
        return void receiveUpdate(this.#update, request, transaction);
      case 'INFO':
        return receiveDtmfInfo(request, respond, (dtmf) => this.events.emit('dtmf', { ...dtmf, via: 'info' }));
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

  /** Sends a 2xx to an INVITE until its ACK (ok-retransmission.ts, §13.3.1.4); `onAck` gets the ACK. */
  protected sendOk(transaction: ServerTransaction, response: SipResponse, onAck: (ack: SipRequest) => void): void {
    this.#ok.send(transaction, response, onAck);
  }
}
