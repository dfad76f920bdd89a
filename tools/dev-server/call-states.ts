/**
 * The calls this server proxies, as each local user's dialogs for busy lamps (RFC 4235 §3.7.1):
 * the caller's dialog is `trying` from the INVITE, both sides are `early` once a 1xx with a To tag
 * comes back (ringing), `confirmed` after the 2xx, and `terminated` on a failure, a CANCEL (its 487)
 * or a BYE, after which the call is forgotten. Only the first final response counts: with forking
 * (§16.7) one call is one lamp.
 */
import { SipUri } from '../../src/stack/message/message';
import type { SipRequest, SipResponse, Uri } from '../../src/stack/message/message';
import type { DialogInfoEntry, DialogInfoState } from '../../src/stack/ua/subscriptions/dialog-info';
import type { ServerIdentity } from './server-identity';

/** At most this many calls are followed at once; more are not shown on lamps (a bound on memory). */
export const MAX_CALLS = 1000;

interface CallRecord {
  readonly callId: string;
  readonly caller: string | undefined;
  readonly callee: string | undefined;
  readonly callerTag: string | undefined;
  calleeTag: string | undefined;
  state: DialogInfoState;
}

export class CallStates {
  readonly #calls = new Map<string, CallRecord>();

  constructor(
    readonly identity: ServerIdentity,
    /** A user's dialogs changed. */
    readonly changed: (user: string) => void,
  ) {}

  /** A new INVITE (no To tag) is being forwarded. */
  invite(request: SipRequest): void {
    if (request.method !== 'INVITE' || request.to.tag !== undefined || this.#calls.has(request.callId)) return;
    if (this.#calls.size >= MAX_CALLS) return;
    const call: CallRecord = {
      callId: request.callId,
      caller: this.#localUser(request.from.uri),
      callee: this.#localUser(request.to.uri),
      callerTag: request.from.tag,
      calleeTag: undefined,
      state: 'trying',
    };
    if (call.caller === undefined && call.callee === undefined) return;
    this.#calls.set(call.callId, call);
    this.#tell(call);
  }

  /** A response to a forwarded request goes back to its sender. */
  response(request: SipRequest, response: SipResponse): void {
    const call = this.#calls.get(request.callId);
    if (!call || request.method !== 'INVITE' || request.to.tag !== undefined || call.state === 'confirmed') return;
    const { status } = response;
    if (status < 200) {
      // §3.7.1: `early` needs the To tag of the 1xx; 100 Trying (hop by hop) has none.
      if (response.to.tag === undefined || call.state === 'early') return;
      call.calleeTag = response.to.tag;
      call.state = 'early';
    } else if (status < 300) {
      call.calleeTag = response.to.tag;
      call.state = 'confirmed';
    } else {
      call.state = 'terminated';
    }
    this.#tell(call);
  }

  /** A BYE of a call, whichever side sends it, ends it. */
  bye(request: SipRequest): void {
    const call = this.#calls.get(request.callId);
    if (!call || request.method !== 'BYE') return;
    call.state = 'terminated';
    this.#tell(call);
  }

  /** The dialogs of `user` now, as its dialog-info lists them. */
  dialogsOf(user: string): DialogInfoEntry[] {
    const entries: DialogInfoEntry[] = [];
    for (const call of this.#calls.values()) {
      // A user calling themselves has two dialogs: one per direction.
      if (call.caller === user) entries.push(this.#entry(call, 'initiator'));
      if (call.callee === user) entries.push(this.#entry(call, 'recipient'));
    }
    return entries;
  }

  clear(): void {
    this.#calls.clear();
  }

  #entry(call: CallRecord, direction: 'initiator' | 'recipient'): DialogInfoEntry {
    const [localTag, remoteTag] = direction === 'initiator' ? [call.callerTag, call.calleeTag] : [call.calleeTag, call.callerTag];
    return { id: `${direction === 'initiator' ? 'i' : 'r'}-${call.callId}`, callId: call.callId, localTag, remoteTag, state: call.state, direction };
  }

  /** Tells both users; a terminated call is told once (in the NOTIFY it triggers) and forgotten. */
  #tell(call: CallRecord): void {
    for (const user of new Set([call.caller, call.callee])) if (user !== undefined) this.changed(user);
    if (call.state === 'terminated') this.#calls.delete(call.callId);
  }

  #localUser(uri: Uri): string | undefined {
    return uri instanceof SipUri && uri.user !== undefined && this.identity.isLocalHost(uri.host) ? uri.user : undefined;
  }
}
