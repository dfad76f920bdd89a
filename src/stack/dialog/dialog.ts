import { CSeq, NameAddr, SipRequest, SipUri, type SipResponse, type Uri } from '../message/message';

/** The dialog id of RFC 3261 §12: Call-ID, local tag, remote tag. */
export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\u0000${localTag}\u0000${remoteTag}`;
}

/** What a dialog says about an incoming in-dialog request (§12.2.2). */
export type InDialogVerdict = 'accept' | 'out-of-order';

/**
 * A SIP dialog (RFC 3261 §12): the peer-to-peer state that in-dialog requests are built from and
 * checked against. It holds no transaction and no media; the session that owns it does.
 */
export class Dialog {
  /** Our CSeq for the next request; §12.2.1.1 increments it by one per request but ACK and CANCEL. */
  #localSeq: number;
  /** The highest CSeq number seen from the peer, undefined until its first request (§12.2.2). */
  #remoteSeq: number | undefined;
  /** Where requests go (§12.1.1: the Contact of the peer), refreshed by target-refresh requests. */
  remoteTarget: Uri;

  private constructor(
    readonly callId: string,
    readonly localTag: string,
    readonly remoteTag: string,
    /** Our address: From of requests we send (without tag). */
    readonly localUri: NameAddr,
    /** The peer's address: To of requests we send (without tag). */
    readonly remoteUri: NameAddr,
    localSeq: number,
    remoteSeq: number | undefined,
    remoteTarget: Uri | undefined,
    /** The route set, in the order Route header fields are written (§12.1.1, §12.1.2). */
    public routeSet: NameAddr[],
    /** §12.1: early until a 2xx confirms it. */
    public early: boolean,
  ) {
    this.#localSeq = localSeq;
    this.#remoteSeq = remoteSeq;
    this.remoteTarget = remoteTarget!;
  }

  get key(): string {
    return dialogKey(this.callId, this.localTag, this.remoteTag);
  }

  /**
   * §12.1.2: the UAC's dialog from a response with a To tag to its request: route set from
   * Record-Route in reverse order, remote target from the response's Contact, local CSeq from the
   * request. A 1xx makes an early dialog.
   */
  static asUac(request: SipRequest, response: SipResponse): Dialog {
    return new Dialog(
      request.callId,
      tagOf(request.from),
      tagOf(response.to),
      withoutTag(request.from),
      withoutTag(request.to),
      request.cseq.seq,
      undefined,
      contactUri(response) ?? request.uri,
      [...response.recordRoute].reverse(),
      response.status < 200,
    );
  }

  /**
   * §12.1.1: the UAS's dialog from a request it answers with `localTag`: route set from
   * Record-Route in order, remote target from the request's Contact, remote CSeq from the request.
   * The local sequence starts at a random value below 2^31 (§8.1.1.5 leaves the start open).
   */
  static asUas(request: SipRequest, localTag: string, early: boolean, firstLocalSeq: number): Dialog {
    return new Dialog(
      request.callId,
      localTag,
      tagOf(request.from),
      withoutTag(request.to),
      withoutTag(request.from),
      firstLocalSeq - 1,
      request.cseq.seq,
      contactUri(request) ?? request.from.uri,
      [...request.recordRoute],
      early,
    );
  }

  /**
   * §13.2.2.4 and §12.1.2: the 2xx that confirms an early dialog sets its route set and target
   * again (a proxy may Record-Route the 2xx differently from the 1xx).
   */
  confirm(response?: SipResponse): void {
    this.early = false;
    if (!response) return;
    this.routeSet = [...response.recordRoute].reverse();
    this.refreshTarget(response);
  }

  /** §12.2.1.2 / §12.2.2: a target refresh (re-INVITE, UPDATE, or a 2xx to one) brings a new Contact. */
  refreshTarget(message: SipRequest | SipResponse): void {
    this.remoteTarget = contactUri(message) ?? this.remoteTarget;
  }

  /**
   * §12.2.1.1: a request within the dialog. To and From carry the remote and local tags, CSeq is
   * the next local number (ACK and CANCEL reuse the INVITE's: pass `seq`), and Request-URI and Route
   * follow the route set: with a loose router first (`lr`) the Request-URI is the remote target
   * and Route is the route set; with a strict router first, the Request-URI is that router and the
   * remote target goes last in Route.
   */
  createRequest(method: string, seq = this.nextSeq()): SipRequest {
    let uri = this.remoteTarget;
    let route = this.routeSet;
    const first = route[0]?.uri;
    // §12.2.1.1: a strict router (no `lr`) becomes the Request-URI, without the parameters not
    // allowed there (§19.1.1).
    if (first && !(first instanceof SipUri && first.params.has('lr'))) {
      uri =
        first instanceof SipUri
          ? new SipUri({
              scheme: first.scheme,
              user: first.user,
              host: first.host,
              port: first.port,
              params: [...first.params].filter(([name]) => name !== 'method' && name !== 'ttl'),
            })
          : first;
      route = [...route.slice(1), new NameAddr(this.remoteTarget)];
    }
    const request = new SipRequest(method, uri);
    request.setHeader('Max-Forwards', 70);
    request.setHeader('From', this.localUri.withTag(this.localTag));
    request.setHeader('To', this.remoteUri.withTag(this.remoteTag));
    request.setHeader('Call-ID', this.callId);
    request.setHeader('CSeq', new CSeq(seq, method));
    if (route[0]) request.setHeader('Route', route);
    return request;
  }

  /** Takes the next local CSeq number: for a request resent with credentials (§22.2). */
  nextSeq(): number {
    return ++this.#localSeq;
  }

  /** §13.2.2.4: the ACK for a 2xx carries the INVITE's CSeq number. */
  createAck(inviteSeq: number): SipRequest {
    return this.createRequest('ACK', inviteSeq);
  }

  /**
   * §12.2.2: a request within the dialog whose CSeq is lower than the last one seen is out of
   * order (answer 500); otherwise its number is remembered. ACK and CANCEL do not count.
   */
  receiveRequest(request: SipRequest): InDialogVerdict {
    const method = request.method;
    if (method === 'ACK' || method === 'CANCEL') return 'accept';
    const seq = request.cseq.seq;
    if (seq < this.#remoteSeq!) return 'out-of-order';
    this.#remoteSeq = seq;
    return 'accept';
  }
}

function tagOf(address: NameAddr): string {
  if (!address.tag) throw new Error('a dialog needs tags on both ends');
  return address.tag;
}

function withoutTag(address: NameAddr): NameAddr {
  return address.withParam('tag', undefined);
}

function contactUri(message: SipRequest | SipResponse): Uri | undefined {
  const first = message.contact[0];
  return first && first !== '*' ? first.uri : undefined;
}
