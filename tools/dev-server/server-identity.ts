/**
 * Who the server is: the names and addresses that mean "this server" in a Request-URI or Route
 * (RFC 3261 §16.4), and the Via and Record-Route values it writes (§16.6 steps 4 and 8).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { NameAddr, SipUri, Via } from '../../src/stack/message/message';
import type { Uri } from '../../src/stack/message/message';

/**
 * A host name as compared: lower case (RFC 3261 §19.1.4) and without the trailing dot of a fully
 * qualified name (RFC 1034 §3.1: `example.com.` is `example.com`), so that `alice@domain.` is
 * taken for the local user it names (and challenged) rather than for a foreign one.
 */
const comparable = (host: string) => host.toLowerCase().replace(/(?<=[^.])\.$/, '');

/** Hosts that always reach this machine, whatever address the server listens on. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export class ServerIdentity {
  /** The host as written in URIs and Via (an IPv6 address in brackets). */
  readonly host: string;
  readonly #hosts: ReadonlySet<string>;
  /** Signs the dialogs this server record-routes (see recordRoute()); new at every start. */
  readonly #secret = randomBytes(32);

  constructor(
    advertisedHost: string,
    readonly port: number,
    readonly domain: string,
  ) {
    this.host =
      advertisedHost.includes(':') && !advertisedHost.startsWith('[') ? `[${advertisedHost}]` : advertisedHost;
    this.#hosts = new Set([this.host, ...LOOPBACK_NAMES].map(comparable));
  }

  /** The SIP domain, compared case-insensitively (RFC 3261 §19.1.4), with or without a trailing dot. */
  isDomain(host: string): boolean {
    return comparable(host) === comparable(this.domain);
  }

  /** Whether a host names this server's users: the domain, or this server's own address. */
  isLocalHost(host: string): boolean {
    return this.isDomain(host) || this.#hosts.has(comparable(host));
  }

  /**
   * Whether a URI addresses this server itself: the domain (any port: it is a name, not a socket)
   * or one of its addresses with its port or none.
   */
  isMe(uri: Uri): boolean {
    if (!(uri instanceof SipUri)) return false;
    if (this.isDomain(uri.host)) return true;
    return this.#hosts.has(comparable(uri.host)) && (uri.port === undefined || uri.port === this.port);
  }

  /** `sip:<host>:<port>;transport=ws`: the server's own address. */
  get uri(): SipUri {
    return new SipUri({ host: this.host, port: this.port, params: { transport: 'ws' } });
  }

  /**
   * §16.6 step 4 with `lr` (loose routing, §19.1.1): in-dialog requests come back through here. It
   * also carries `dlg`, a MAC of the dialog's Call-ID, which both ends copy into their route sets
   * (§12.1.1, §12.1.2): a request that brings it back is in a dialog this server saw authorized,
   * whereas a To tag alone can be made up by anyone (see routesDialog()).
   */
  recordRoute(callId: string): NameAddr {
    return new NameAddr(this.uri.withParam('lr', null).withParam('dlg', this.#dialogMac(callId)));
  }

  /** Whether a Route URI is one of our Record-Route values for the dialog of this Call-ID. */
  routesDialog(uri: Uri, callId: string): boolean {
    const mac = uri instanceof SipUri ? uri.params.get('dlg') : undefined;
    if (!mac || !this.isMe(uri)) return false;
    const [a, b] = [Buffer.from(mac), Buffer.from(this.#dialogMac(callId))];
    return a.length === b.length && timingSafeEqual(a, b);
  }

  #dialogMac(callId: string): string {
    return createHmac('sha256', this.#secret).update(callId).digest('base64url').slice(0, 22);
  }

  /** §16.6 step 8: the Via this server puts on top of a request it forwards. */
  via(branch: string): Via {
    return new Via({ transport: 'WS', host: this.host, port: this.port, branch });
  }
}
