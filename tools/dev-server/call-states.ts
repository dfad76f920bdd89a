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
  /** This server's own number for the call: the dialog id watchers see (never the Call-ID). */
  readonly serial: number;
  readonly caller: string | undefined;
  readonly callee: string | undefined;
  state: DialogInfoState;
}

export class CallStates {
  readonly #calls = new Map<string, CallRecord>();
  #serial = 0;

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
      serial: ++this.#serial,
      caller: this.#localUser(request.from.uri),
      callee: this.#localUser(request.to.uri),
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
      call.state = 'early';
    } else if (status < 300) {
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

  /**
   * What a watcher is told of one side of a call: an opaque id, the state and the direction, never
   * the Call-ID or the tags. With those, anyone allowed to watch a lamp could take the call over
   * with an INVITE carrying Replaces (RFC 3891), which our phones accept on the strength of those
   * three values alone; RFC 4235 §10 warns of exactly this. A lamp needs none of them.
   */
  #entry(call: CallRecord, direction: 'initiator' | 'recipient'): DialogInfoEntry {
    return { id: `${direction === 'initiator' ? 'i' : 'r'}-${call.serial}`, state: call.state, direction };
  }

  /** Tells both users; a terminated call is told once (in the NOTIFY it triggers) and forgotten. */
  #tell(call: CallRecord): void {
    for (const user of new Set([call.caller, call.callee])) if (user !== undefined) this.changed(user);
    if (call.state === 'terminated') this.#calls.delete(call.callId);
  }

  #localUser(uri: Uri): string | undefined {
    return uri instanceof SipUri && uri.user !== undefined && this.identity.isLocalHost(uri.host)
      ? uri.user
      : undefined;
  }
}
