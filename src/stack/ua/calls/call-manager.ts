import { dialogKey, type Dialog } from '../../dialog/dialog';
import type { SipRequest } from '../../message/message';
import type { ServerTransaction } from '../../transaction/transaction-layer';
import { mediaType } from '../capabilities';
import type { MediaSessionFactory, MediaSessionOptions } from '../media-session';
import type { UserAgent } from '../user-agent';
import type { Call } from './call';
import type { CallContext } from './call-context';
import type { CallMediaOptions } from './call-types';
import { IncomingCall } from './incoming-call';
import { OutgoingCall } from './outgoing-call';

export interface CallManagerOptions {
  mediaSessionFactory: MediaSessionFactory;
  iceServers?: MediaSessionOptions['iceServers'];
  iceGatheringTimeoutMs?: number;
  /** Media for calls when the caller gives no choice: audio only by default. */
  defaults?: CallMediaOptions;
}

/**
 * The calls of one user agent: places them, turns incoming INVITEs into calls, and routes every
 * in-dialog request, ACK and CANCEL to the call it belongs to (by dialog id, §12, or by the
 * INVITE server transaction a CANCEL matches, §9.2).
 */
export class CallManager {
  private readonly live = new Set<Call>();
  private readonly byDialog = new Map<string, Call>();
  private readonly context: CallContext;

  constructor(
    private readonly ua: UserAgent,
    options: CallManagerOptions,
    private readonly onIncoming: (call: IncomingCall) => void,
  ) {
    const defaults = { audio: true, video: false, ...options.defaults };
    this.context = {
      core: ua.core,
      respond: (transaction, status, reason, headers) => ua.respond(transaction, status, reason, headers),
      createMedia: (choice) =>
        options.mediaSessionFactory({
          audio: choice.audio ?? defaults.audio,
          video: choice.video ?? defaults.video,
          iceServers: options.iceServers ?? [],
          iceGatheringTimeoutMs: options.iceGatheringTimeoutMs,
        }),
      mediaDefaults: defaults,
      trackDialog: (dialog, call) => this.track(dialog, call as Call),
      forgetCall: (call) => this.forget(call as Call),
      holdOthers: (call) => this.holdOthers(call as Call),
      callFor: (target, choice) => this.call(target, choice),
    };
    ua.handleRequests((request, transaction) => this.route(request, transaction));
  }

  /** The calls that have not ended, oldest first. */
  get calls(): Call[] {
    return [...this.live];
  }

  /** Places a call; the returned call reports its progress by events. */
  call(target: string, options: CallMediaOptions = {}): OutgoingCall {
    const call = new OutgoingCall(this.context, this.ua.targetUri(target), options);
    this.live.add(call);
    void call.start().catch((error: Error) => call.events.emit('error', error));
    return call;
  }

  /**
   * The signalling connection is new (RFC 5626 §4.4: the old flow is dead). Media does not depend
   * on it, but the proxy's route back to us does: every established call refreshes its target.
   */
  flowChanged(): void {
    for (const call of this.live) void call.recover().catch((error: Error) => call.events.emit('error', error));
  }

  /** The network changed: every call restarts ICE now, or on the new flow when signalling is down. */
  networkChanged(): void {
    for (const call of this.live) void call.networkChanged().catch((error: Error) => call.events.emit('error', error));
  }

  /** Hangs up every call (the phone is going away). */
  async hangupAll(): Promise<void> {
    await Promise.allSettled([...this.live].map((call) => call.hangup()));
  }

  private track(dialog: Dialog, call: Call): void {
    this.byDialog.set(dialog.key, call);
  }

  private forget(call: Call): void {
    this.live.delete(call);
    for (const [key, owner] of this.byDialog) if (owner === call) this.byDialog.delete(key);
  }

  private async holdOthers(call: Call): Promise<void> {
    const others = [...this.live].filter((other) => other !== call && other.state === 'connected');
    await Promise.allSettled(others.map((other) => other.hold()));
  }

  private route(request: SipRequest, transaction: ServerTransaction | undefined): boolean {
    const toTag = request.to.tag;
    if (toTag !== undefined) {
      const call = this.byDialog.get(dialogKey(request.callId, toTag, request.from.tag ?? ''));
      if (!call) return false;
      call.receiveInDialog(request, transaction);
      return true;
    }
    if (!transaction) return false;
    if (request.method === 'CANCEL') {
      const invite = this.ua.core.transactions.findInviteFor(request);
      const call = [...this.live].find((c): c is IncomingCall => c instanceof IncomingCall && c.transaction === invite);
      if (!call) return false;
      this.ua.respond(transaction, 200); // §9.2: the CANCEL itself succeeds
      call.remoteCancel();
      return true;
    }
    if (request.method !== 'INVITE') return false;
    if (request.body !== '' && mediaType(request.contentType) !== 'application/sdp') {
      this.ua.respond(transaction, 415, undefined, [['Accept', 'application/sdp']]);
      return true;
    }
    const firstSeq = 1 + Math.floor(this.ua.core.options.random.float() * 0x7fff);
    const call = new IncomingCall(this.context, request, transaction, firstSeq);
    this.live.add(call);
    this.onIncoming(call);
    return true;
  }
}
