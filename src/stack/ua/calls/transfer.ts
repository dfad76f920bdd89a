import type { Emitter } from '../../core/emitter';
import { StateError } from '../../core/errors';
import type { Dialog } from '../../dialog/dialog';
import { NameAddr, SipUri, type SipRequest, type Uri } from '../../message/message';
import { parseNameAddr } from '../../message/name-addr';
import { formatReplaces, parseReplaces } from '../../message/replaces';
import { isSuccess, mediaType, requireSuccess, type SendResult, type UaCore } from '../ua-core';
import type { CallEndCause, CallEvents, CallMediaOptions } from './call-types';
import type { OutgoingCall } from './outgoing-call';
import { SIPFRAG, sipfragBody, sipfragStatus } from './sipfrag';

type Respond = (status: number, reason?: string, headers?: ReadonlyArray<readonly [string, string]>) => void;

/**
 * What a transfer needs from its INVITE session (call.ts): a narrow seam, so that REFER and its
 * NOTIFYs live here and the session knows only that they exist.
 */
export interface TransferSession {
  readonly core: UaCore;
  readonly events: Emitter<CallEvents>;
  /** The session's media choice, for the call a REFER makes. */
  readonly mediaOptions: CallMediaOptions;
  /** The dialog while the call lasts (undefined once it ended). */
  dialog(): Dialog | undefined;
  /** The dialog, confirmed, of a connected or held call; throws a StateError naming `what` otherwise. */
  established(what: string): Dialog;
  sendInDialog(request: SipRequest): Promise<SendResult>;
  /** Ends the call with BYE. */
  bye(cause: CallEndCause): void;
  /** Places the call a REFER asks for (the call manager's call()). */
  call(target: string, options: CallMediaOptions, headers: ReadonlyArray<readonly [string, string]>): OutgoingCall;
}

/**
 * RFC 5589 §7: where a transferee reaches the party of `dialog` to replace it: its Contact when
 * that is a GRUU (RFC 5627: that very device, routable), else its address of record, with
 * `?Replaces=`. RFC 3891 §3: the tags as the party sees them, so to-tag is its tag (our remote
 * tag) and from-tag ours.
 */
export function replacingUri(dialog: Dialog): Uri {
  const { remoteTarget, remoteUri, callId, localTag, remoteTag } = dialog;
  const uri = remoteTarget instanceof SipUri && remoteTarget.params.has('gr') ? remoteTarget : remoteUri.uri;
  if (!(uri instanceof SipUri)) throw new StateError('connected', 'the party of this call has no SIP URI');
  return uri.with({ headers: { Replaces: formatReplaces({ callId, toTag: remoteTag, fromTag: localTag, earlyOnly: false }) } });
}

/**
 * Call transfer on one INVITE session, both directions: the REFER we send and the NOTIFYs that
 * report its progress (RFC 3515 §2.4), and the REFER we receive, the call it makes (with Replaces
 * for an attended transfer, RFC 5589 §7, RFC 3891) and the NOTIFYs we send about it.
 */
export class Transfer {
  readonly #session: TransferSession;
  /** Our REFER was accepted: a final 2xx NOTIFY ends the call as transferred. */
  #transferring = false;

  constructor(session: TransferSession) {
    this.#session = session;
  }

  /**
   * Sends the REFER: a string is a blind transfer; a dialog (of another of our established calls)
   * makes it attended. Resolves once the REFER is accepted (202).
   */
  async refer(target: string | Dialog): Promise<void> {
    const session = this.#session;
    const dialog = session.established('transfer');
    const core = session.core;
    const refer = dialog.createRequest('REFER');
    const uri = typeof target === 'string' ? core.targetUri(target) : replacingUri(target);
    refer.setHeader('Refer-To', new NameAddr(uri).toString());
    refer.setHeader('Referred-By', core.localAddress().toString());
    refer.setHeader('Contact', core.contact());
    requireSuccess((await session.sendInDialog(refer)).response, 'transfer refused');
    this.#transferring = true;
  }

  /**
   * NOTIFYs of a transfer we asked for; a final 2xx means the peer reached the target, so we
   * leave. The Event value is a token with parameters, like a media type.
   */
  receiveNotify(request: SipRequest, respond: Respond): void {
    if (mediaType(request.header('Event')) !== 'refer') return respond(489, 'Bad Event'); // RFC 6665 §8.2.1
    respond(200);
    const progress = sipfragStatus(request.body);
    if (!progress) return;
    this.#session.events.emit('transfer-progress', progress);
    if (this.#transferring && isSuccess(progress.status)) this.#session.bye('transferred');
  }

  /**
   * RFC 3515 §2.4.2: the application accepts (202, then NOTIFYs) or the REFER is declined (603).
   * Headers of the Refer-To URI go into the INVITE it triggers (§2.1, RFC 3261 §19.1.5), but only
   * Replaces (RFC 5589 §7): the others (Via, Call-ID, CSeq, From, To, Route...) would let the
   * referrer forge our request, so they are dropped. The Request-URI is the URI without them.
   */
  receiveRefer(request: SipRequest, respond: Respond): void {
    const referTo = request.header('Refer-To');
    if (!referTo) return respond(400, 'Missing Refer-To');
    let uri: Uri;
    let replaces: string | undefined;
    try {
      uri = parseNameAddr(referTo).uri;
      if (uri instanceof SipUri && uri.headers.size) {
        const entry = [...uri.headers].find(([name]) => name.toLowerCase() === 'replaces');
        replaces = entry && formatReplaces(parseReplaces(entry[1]));
        uri = uri.with({ headers: undefined });
      }
    } catch {
      return respond(400, 'Bad Refer-To');
    }
    const target = uri.toString();
    let decided = false;
    const decide = (status: number) => {
      if (decided) return false;
      decided = true;
      respond(status);
      return true;
    };
    this.#session.events.emit('refer', {
      target,
      replaces,
      referredBy: request.header('Referred-By'),
      accept: () => decide(202) && this.#callReferred(target, replaces),
      reject: () => void decide(603),
    });
    decide(603);
  }

  /** Calls the REFER target and reports its progress to the referrer by NOTIFY (RFC 3515 §2.4.4). */
  #callReferred(target: string, replaces: string | undefined): void {
    const session = this.#session;
    const notify = (status: number, reason: string, final = true): void => {
      const dialog = session.dialog();
      if (!dialog) return;
      const request = dialog.createRequest('NOTIFY');
      request.setHeader('Event', 'refer');
      request.setHeader('Subscription-State', final ? 'terminated;reason=noresource' : 'active;expires=60');
      request.setHeader('Contact', session.core.contact());
      request.setHeader('Content-Type', SIPFRAG);
      request.body = sipfragBody(status, reason);
      void session.sendInDialog(request).catch(() => undefined);
    };
    notify(100, 'Trying', false);
    // RFC 3891 §4, §6.2: with Require: replaces a target that does not know Replaces refuses with
    // 420 (RFC 3261 §8.2.2.3), which reaches the referrer as a failed transfer, instead of ringing
    // as a new call and leaving the dialog it should replace up: three parties, none of them told.
    const headers: Array<[string, string]> = replaces ? [['Replaces', replaces], ['Require', 'replaces']] : [];
    const call = session.call(target, session.mediaOptions, headers);
    session.events.emit('referred-call', call);
    const offState = call.events.on('state', (state) => {
      if (state !== 'connected') return;
      offState();
      notify(200, 'OK');
    });
    call.events.on('ended', ({ cause, status, reason }) => {
      offState();
      if (cause !== 'hangup' && cause !== 'remote-hangup' && cause !== 'transferred') notify(status ?? 500, reason ?? cause);
    });
  }
}
