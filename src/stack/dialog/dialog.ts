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
  /** §12.1: early until a 2xx confirms it. */
  early: boolean;
  /** Our CSeq for the next request; §12.2.1.1 increments it by one per request but ACK and CANCEL. */
  private localSeq: number;
  /** The highest CSeq number seen from the peer, undefined until its first request (§12.2.2). */
  private remoteSeq: number | undefined;
  /** Where requests go (§12.1.1: the Contact of the peer), refreshed by target-refresh requests. */
  remoteTarget: Uri;
  /** The route set, in the order Route header fields are written (§12.1.1, §12.1.2). */
  routeSet: NameAddr[];

  private constructor(
    readonly callId: string,
    readonly localTag: string,
    readonly remoteTag: string,
    /** Our address: From of requests we send (without tag). */
    readonly localUri: NameAddr,
    /** The peer's address: To of requests we send (without tag). */
    readonly remoteUri: NameAddr,
    init: { localSeq: number; remoteSeq: number | undefined; remoteTarget: Uri; routeSet: NameAddr[]; early: boolean },
  ) {
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.early = init.early;
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
    const remoteTag = response.to.tag;
    if (!remoteTag) throw new Error('a dialog needs a To tag in the response');
    const localTag = request.from.tag;
    if (!localTag) throw new Error('a dialog needs a From tag in the request');
    return new Dialog(request.callId, localTag, remoteTag, withoutTag(request.from), withoutTag(request.to), {
      localSeq: request.cseq.seq,
      remoteSeq: undefined,
      remoteTarget: contactUri(response) ?? request.uri,
      routeSet: [...response.recordRoute].reverse(),
      early: response.status < 200,
    });
  }

  /**
   * §12.1.1: the UAS's dialog from a request it answers with `localTag`: route set from
   * Record-Route in order, remote target from the request's Contact, remote CSeq from the request.
   * The local sequence starts at a random value below 2^31 (§8.1.1.5 leaves the start open).
   */
  static asUas(request: SipRequest, localTag: string, early: boolean, firstLocalSeq: number): Dialog {
    const remoteTag = request.from.tag;
    if (!remoteTag) throw new Error('a dialog needs a From tag in the request');
    return new Dialog(request.callId, localTag, remoteTag, withoutTag(request.to), withoutTag(request.from), {
      localSeq: firstLocalSeq - 1,
      remoteSeq: request.cseq.seq,
      remoteTarget: contactUri(request) ?? request.from.uri,
      routeSet: [...request.recordRoute],
      early,
    });
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
    const target = contactUri(message);
    if (target) this.remoteTarget = target;
  }

  /**
   * §12.2.1.1: a request within the dialog. To and From carry the remote and local tags, CSeq is
   * the next local number (ACK and CANCEL reuse the INVITE's: pass `seq`), and Request-URI and Route
   * follow the route set: with a loose router first (`lr`) the Request-URI is the remote target
   * and Route is the route set; with a strict router first, the Request-URI is that router and the
   * remote target goes last in Route.
   */
  createRequest(method: string, seq?: number): SipRequest {
    const number = seq ?? this.nextSeq();
    let uri: Uri = this.remoteTarget;
    let route = this.routeSet;
    const first = route[0];
    if (first && !isLooseRouter(first)) {
      uri = stripForRequestUri(first.uri);
      route = [...route.slice(1), new NameAddr(this.remoteTarget)];
    }
    const request = new SipRequest(method, uri);
    request.setHeader('Max-Forwards', 70);
    request.setHeader('From', this.localUri.withTag(this.localTag));
    request.setHeader('To', this.remoteUri.withTag(this.remoteTag));
    request.setHeader('Call-ID', this.callId);
    request.setHeader('CSeq', new CSeq(number, method));
    if (route.length > 0) request.setHeader('Route', route);
    return request;
  }

  /** Takes the next local CSeq number: for a request resent with credentials (§22.2). */
  nextSeq(): number {
    return ++this.localSeq;
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
    if (request.method === 'ACK' || request.method === 'CANCEL') return 'accept';
    const seq = request.cseq.seq;
    if (this.remoteSeq !== undefined && seq < this.remoteSeq) return 'out-of-order';
    this.remoteSeq = seq;
    return 'accept';
  }
}

function withoutTag(address: NameAddr): NameAddr {
  return address.withParam('tag', undefined);
}

function contactUri(message: SipRequest | SipResponse): Uri | undefined {
  const first = message.contact[0];
  return first && first !== '*' ? first.uri : undefined;
}

function isLooseRouter(route: NameAddr): boolean {
  return route.uri instanceof SipUri && route.uri.params.has('lr');
}

/** §12.2.1.1: a strict router's URI as Request-URI, without parameters not allowed there (§19.1.1). */
function stripForRequestUri(uri: Uri): Uri {
  if (!(uri instanceof SipUri)) return uri;
  return new SipUri({
    scheme: uri.scheme,
    user: uri.user,
    host: uri.host,
    port: uri.port,
    params: [...uri.params].filter(([name]) => name !== 'method' && name !== 'ttl'),
  });
}
